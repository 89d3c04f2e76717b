// Text output: every line of the trace as it was, with the states the segment
// implies (sender → receiver, `?` = assumed) and its analysis codes beside it,
// and each finding on an indented line below the line it starts on.
import type { Finding, Severity } from '../../analysis/model';
import type { Palette } from '../color';
import { countSeverities, countsText, stateLabel, type Report } from '../report';

function paint(palette: Palette, severity: Severity): (s: string) => string {
  if (severity === 'error') return palette.error;
  if (severity === 'warning') return palette.warning;
  return palette.note;
}

function findingLine(d: Finding, palette: Palette): string {
  const related = d.related.length
    ? palette.dim(` (${d.related.map((r) => `line ${r.line + 1}: ${r.message}`).join('; ')})`)
    : '';
  return `    ${paint(palette, d.severity)(`↳ ${d.severity} ${d.code}`)}: ${d.message}${related}\n`;
}

/** `text` is the trace the line numbers refer to (the input, or a capture's rendering). */
export function* formatText(report: Report, text: string, palette: Palette): Generator<string> {
  const r = report.result;
  const segments = r.segments;
  const diagnostics = r.diagnostics;
  let si = 0;
  let di = 0;
  let line = 0;
  let start = 0;
  const n = text.length;
  for (;;) {
    // The empty "line" after a final newline is not printed.
    if (start === n && line > 0) break;
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let content = text.slice(start, end);
    if (content.endsWith('\r')) content = content.slice(0, -1);
    let out = content;
    while (si < segments.length && segments[si].line < line) si++;
    if (si < segments.length && segments[si].line === line) {
      const a = r.perSegment.get(si);
      if (a) {
        const codes = a.analysis.length ? ` ${palette.warning(a.analysis.join(' '))}` : '';
        out +=
          palette.dim('  │ ') +
          palette.bold(`#${a.connection}`) +
          ` ${palette.state(stateLabel(a.sender))} → ${palette.state(stateLabel(a.receiver))}${codes}`;
      }
    }
    out += '\n';
    while (di < diagnostics.length && diagnostics[di].line <= line) {
      out += findingLine(diagnostics[di], palette);
      di++;
    }
    yield out;
    line++;
    if (end >= n) break;
    start = end + 1;
  }
  // Findings past the last line (none expected, but never drop one).
  for (; di < diagnostics.length; di++) yield findingLine(diagnostics[di], palette);
  yield palette.dim(
    `── ${r.connections.length} connections, ${r.segments.length} segments; ${countsText(countSeverities(diagnostics))}\n`,
  );
}
