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

/** Where formatText is in the trace and its segments and findings. */
interface TextCursor {
  /** Next segment and finding to look at. */
  si: number;
  di: number;
  /** The line starting at `start` in the text. */
  line: number;
  start: number;
  done: boolean;
}

/** Lines per piece: made in a plain function, whose loop is optimised (a generator's is not). */
const LINES_PER_PIECE = 64;

/** `text` is the trace the line numbers refer to (the input, or a capture's rendering). */
export function* formatText(report: Report, text: string, palette: Palette): Generator<string> {
  const r = report.result;
  const diagnostics = r.diagnostics;
  const at: TextCursor = { si: 0, di: 0, line: 0, start: 0, done: false };
  while (!at.done) yield textLines(report, text, palette, at);
  // Findings past the last line (none expected, but never drop one).
  for (let di = at.di; di < diagnostics.length; di++) yield findingLine(diagnostics[di], palette);
  yield palette.dim(
    `── ${r.connections.length} connections, ${r.segments.length} segments; ${countsText(countSeverities(diagnostics))}\n`,
  );
}

/** The next LINES_PER_PIECE lines of the text with their states, codes and findings, from `at` on. */
function textLines(report: Report, text: string, palette: Palette, at: TextCursor): string {
  const r = report.result;
  const segments = r.segments;
  const diagnostics = r.diagnostics;
  let { si, di, line, start } = at;
  const n = text.length;
  const stop = line + LINES_PER_PIECE;
  let piece = '';
  while (line < stop) {
    // The empty "line" after a final newline is not printed.
    if (start === n && line > 0) {
      at.done = true;
      break;
    }
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
    piece += out;
    line++;
    if (end >= n) {
      at.done = true;
      break;
    }
    start = end + 1;
  }
  at.si = si;
  at.di = di;
  at.line = line;
  at.start = start;
  return piece;
}
