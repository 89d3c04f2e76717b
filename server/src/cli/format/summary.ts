// Summary output: one line per connection, then the totals.
import type { Connection, Finding } from '../../analysis/model';
import type { Palette } from '../color';
import { countSeverities, countsText, endpointText, plural, SEVERITIES, type Report } from '../report';

function stateText(s: string | null): string {
  return s ?? '?';
}

export function* formatSummary(report: Report, palette: Palette): Generator<string> {
  const r = report.result;
  const byConnection = new Map<number, Finding[]>();
  const unattached: Finding[] = [];
  for (const d of r.diagnostics) {
    if (d.connection === undefined) {
      unattached.push(d);
      continue;
    }
    let list = byConnection.get(d.connection);
    if (!list) byConnection.set(d.connection, (list = []));
    list.push(d);
  }
  const zeek = new Map<string, number>();
  for (const c of r.connections) {
    zeek.set(c.zeekState, (zeek.get(c.zeekState) ?? 0) + 1);
    yield connectionLine(c, byConnection.get(c.id) ?? [], palette);
  }
  const total = countSeverities(r.diagnostics);
  const source = report.path ?? 'standard input';
  const states = [...zeek].map(([state, n]) => `${state} ${n}`).join(', ');
  yield (
    `${palette.bold('Total')}: ${source} (${report.inputFormat}, ${plural(r.lineCount, 'line')}): ` +
    `${plural(r.connections.length, 'connection')}${states ? ` (${states})` : ''}, ` +
    `${plural(report.segmentCount, 'segment')}; ${severityText(total, palette)}` +
    (unattached.length ? ` (${unattached.length} outside any connection)` : '') +
    `; vantage ${r.vantage}\n`
  );
}

function severityText(c: ReturnType<typeof countSeverities>, palette: Palette): string {
  const text = countsText(c);
  if (c.error) return palette.error(text);
  if (c.warning) return palette.warning(text);
  return SEVERITIES.some((s) => c[s] > 0) ? palette.note(text) : text;
}

function connectionLine(c: Connection, findings: readonly Finding[], palette: Palette): string {
  const segments = c.c2s.segments + c.s2c.segments;
  const rtt = c.handshakeRtt === null ? '' : `, rtt ${(c.handshakeRtt * 1000).toFixed(3)} ms`;
  return (
    `${palette.bold(`#${c.id}`)} ${endpointText(c.client)} → ${endpointText(c.server)}  ` +
    `${stateText(c.clientState)}/${stateText(c.serverState)}  ${c.zeekState} ${c.history || '-'}  ` +
    `${plural(segments, 'segment')}, ${c.c2s.bytes}/${c.s2c.bytes} bytes${rtt}, lines ${c.firstLine + 1}-${c.lastLine + 1}` +
    `${c.outcome ? `, ${c.outcome}` : ''}: ${severityText(countSeverities(findings), palette)}\n`
  );
}
