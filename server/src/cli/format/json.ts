// JSON output, schema 1 (docs/cli.md). Produced in pieces — one per segment —
// so a million-segment trace never needs one giant string or object tree.
import type { Connection, Finding, SegmentAnalysis, Segment } from '../../analysis/model';
import { endpointText, flagLetters, type Report } from '../report';

const str = JSON.stringify;

function num(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? 'null' : String(n);
}

/**
 * The absolute sequence number: as printed, or — for tcpdump's pure ACKs, which
 * print none — the sender's ISN plus the analysis' relative number.
 */
function absoluteSeq(
  s: Segment,
  a: SegmentAnalysis | undefined,
  connections: readonly Connection[],
): number | null {
  if (s.seq !== null || !a || a.relSeq === null) return s.seq;
  const c = connections[a.connection] as Connection | undefined;
  if (!c || c.id !== a.connection) return null;
  const isn = a.direction === 'c2s' ? c.clientIsn : c.serverIsn;
  return isn === null ? null : (isn + a.relSeq) >>> 0;
}

function segmentJson(s: Segment, a: SegmentAnalysis | undefined, connections: readonly Connection[]): string {
  return (
    `{"line":${s.line + 1},"connection":${a ? a.connection : 'null'},` +
    `"src":${str(endpointText(s.src))},"dst":${str(endpointText(s.dst))},` +
    `"flags":"${flagLetters(s.flags)}","seq":${num(absoluteSeq(s, a, connections))},"ack":${num(s.ack)},"len":${s.len},` +
    `"time":${num(s.time)},"senderState":${a?.sender.state ? str(a.sender.state) : 'null'},` +
    `"receiverState":${a?.receiver.state ? str(a.receiver.state) : 'null'},` +
    `"analysis":${str(a ? a.analysis : [])}}`
  );
}

/** Seconds to the nanosecond: differences of float timestamps carry noise (0.000011000000085914508). */
function seconds(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e9) / 1e9;
}

function connectionJson(c: Connection): string {
  return str({
    id: c.id,
    client: endpointText(c.client),
    server: endpointText(c.server),
    firstLine: c.firstLine + 1,
    lastLine: c.lastLine + 1,
    clientState: c.clientState,
    serverState: c.serverState,
    zeekState: c.zeekState,
    history: c.history,
    handshakeRtt: seconds(c.handshakeRtt),
    // Beyond the minimum of schema 1 (documented in docs/cli.md):
    outcome: c.outcome,
    completeness: c.completeness,
    duration: seconds(c.duration),
    segments: c.segments.length,
    c2s: c.c2s,
    s2c: c.s2c,
  });
}

function diagnosticJson(d: Finding): string {
  return str({
    line: d.line + 1,
    endLine: d.endLine + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: d.related.map((r) => ({ line: r.line + 1, message: r.message })),
    connection: d.connection ?? null,
  });
}

/** Items per piece: made in a plain function, whose loop is optimised (a generator's is not). */
const ITEMS_PER_PIECE = 64;

function* list<T>(name: string, items: readonly T[], one: (item: T, i: number) => string, last = false) {
  yield `  ${str(name)}: [`;
  for (let i = 0; i < items.length; i += ITEMS_PER_PIECE) yield listItems(items, i, one);
  yield items.length ? `\n  ]${last ? '' : ','}\n` : `]${last ? '' : ','}\n`;
}

/** Items [from, from + ITEMS_PER_PIECE) of a list, each on its line after a comma (but the first). */
function listItems<T>(items: readonly T[], from: number, one: (item: T, i: number) => string): string {
  let piece = '';
  const to = Math.min(items.length, from + ITEMS_PER_PIECE);
  for (let i = from; i < to; i++) piece += `${i ? ',' : ''}\n    ${one(items[i], i)}`;
  return piece;
}

export function* formatJson(report: Report): Generator<string> {
  const r = report.result;
  yield `{\n  "schema": 1,\n  "input": ${str({ path: report.path, format: report.inputFormat, lines: r.lineCount })},\n`;
  yield `  "vantage": ${str(r.vantage)},\n`;
  yield* list('segments', r.segments, (s, i) => segmentJson(s, r.perSegment.get(i), r.connections));
  yield* list('connections', r.connections, connectionJson);
  yield* list('diagnostics', r.diagnostics, diagnosticJson, true);
  yield '}\n';
}
