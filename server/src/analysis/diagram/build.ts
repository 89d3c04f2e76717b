// AnalysisResult -> DiagramModel. Pure: no I/O, never throws on user input.
import { ACK, type AnalysisResult, type Finding, type Segment } from '../model';
import { seqAdd } from '../seq';
import type { DiagramArrow, DiagramConnection, DiagramFinding, DiagramModel, TimeBase } from './model';

const SEVERITY_RANK: Record<DiagramFinding['severity'], number> = {
  error: 3,
  warning: 2,
  information: 1,
  hint: 0,
};

const RETRANSMISSION_CODES: ReadonlySet<string> = new Set([
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'syn-retransmission',
]);

/** Seconds values above two days cannot be a time of day: they count from the epoch. */
const EPOCH_THRESHOLD = 2 * 86_400;

function endpointLabel(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Findings keyed by segment index; findings without a segment are not drawn on arrows. */
function findingsBySegment(diagnostics: readonly Finding[]): Map<number, DiagramFinding[]> {
  const bySegment = new Map<number, DiagramFinding[]>();
  for (const f of diagnostics) {
    if (f.segment === undefined || f.code === 'parse-error') continue;
    let list = bySegment.get(f.segment);
    if (!list) bySegment.set(f.segment, (list = []));
    list.push({ code: f.code, severity: f.severity, message: f.message });
  }
  return bySegment;
}

function worstSeverity(findings: readonly DiagramFinding[]): DiagramFinding['severity'] | null {
  let worst: DiagramFinding['severity'] | null = null;
  for (const f of findings)
    if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

function fromIsn(isn: number | null, relative: number | null): number | null {
  return isn === null || relative === null ? null : seqAdd(isn, relative);
}

const NO_FINDINGS: readonly DiagramFinding[] = [];

export type MutableArrow = { -readonly [K in keyof DiagramArrow]: DiagramArrow[K] };

/** An arrow to fill in; every field present from the start, in one order (one hidden class). */
export function emptyArrow(): MutableArrow {
  return {
    segment: 0,
    line: 0,
    endLine: 0,
    connection: 0,
    direction: 'c2s',
    time: null,
    flags: 0,
    seq: null,
    ack: null,
    relSeq: null,
    relAck: null,
    len: 0,
    win: null,
    phase: 'data',
    clientState: null,
    serverState: null,
    severity: null,
    findings: NO_FINDINGS,
    retransmission: false,
    role: '',
  };
}

/**
 * Calls `visit` with each arrow of the trace, in trace order, and returns the
 * connections (their `arrows` filled with the indices of those arrows). The
 * model keeps the arrows; the wire form (`buildDiagramWire`) packs them as they
 * come, without holding 100,000 objects.
 */
export function visitArrows(
  result: AnalysisResult,
  visit: (arrow: DiagramArrow) => void,
  /** One object to fill for every arrow (the visitor must not keep it), or a new object each. */
  reuse?: MutableArrow,
): DiagramConnection[] {
  const bySegment = findingsBySegment(result.diagnostics);
  const connectionIndex = new Map<number, number>();
  result.connections.forEach((c, i) => connectionIndex.set(c.id, i));
  const arrowsOf: number[][] = result.connections.map(() => []);
  let count = 0;

  for (const analysis of result.perSegment) {
    const segment = result.segments[analysis.segment];
    const connection = connectionIndex.get(analysis.connection);
    if (!segment || connection === undefined) continue;
    const findings = bySegment.get(segment.index) ?? NO_FINDINGS;
    const c2s = analysis.direction === 'c2s';
    const conn = result.connections[connection]!;
    // The analysis' base of relative numbers: the ISN, or first seq - 1 when no SYN was seen.
    const clientBase = conn.clientSeqBase ?? conn.clientIsn;
    const serverBase = conn.serverSeqBase ?? conn.serverIsn;
    const senderIsn = c2s ? clientBase : serverBase;
    const receiverIsn = c2s ? serverBase : clientBase;
    arrowsOf[connection]!.push(count++);
    const arrow = reuse ?? emptyArrow();
    arrow.segment = segment.index;
    arrow.line = segment.line;
    arrow.endLine = segment.endLine;
    arrow.connection = connection;
    arrow.direction = analysis.direction;
    arrow.time = segment.time;
    arrow.flags = segment.flags;
    // tcpdump prints no seq on pure ACKs; the analysis still knows it relative to the ISN.
    arrow.seq = segment.seq ?? fromIsn(senderIsn, analysis.relSeq);
    arrow.ack = segment.ack ?? ((segment.flags & ACK) !== 0 ? fromIsn(receiverIsn, analysis.relAck) : null);
    arrow.relSeq = analysis.relSeq;
    arrow.relAck = analysis.relAck;
    arrow.len = segment.len;
    arrow.win = segment.win;
    arrow.phase = analysis.phase;
    arrow.clientState = (c2s ? analysis.sender : analysis.receiver).state;
    arrow.serverState = (c2s ? analysis.receiver : analysis.sender).state;
    arrow.severity = findings.length > 0 ? worstSeverity(findings) : null;
    arrow.findings = findings;
    arrow.retransmission =
      analysis.analysis.length > 0 && analysis.analysis.some((code) => RETRANSMISSION_CODES.has(code));
    arrow.role = analysis.role;
    visit(arrow);
  }

  return result.connections.map((c, i) => ({
    id: c.id,
    label: c.label,
    client: endpointLabel(c.client.host, c.client.port),
    server: endpointLabel(c.server.host, c.server.port),
    outcome: c.outcome,
    arrows: arrowsOf[i]!,
  }));
}

/** Where relative time starts and how absolute times read. */
export function timeBaseOf(segments: readonly Segment[]): { origin: number | null; base: TimeBase } {
  for (const s of segments) {
    if (s.time !== null) return { origin: s.time, base: s.time > EPOCH_THRESHOLD ? 'epoch' : 'time-of-day' };
  }
  return { origin: null, base: 'none' };
}

export function buildDiagramModel(result: AnalysisResult, uri: string, version: number): DiagramModel {
  const arrows: DiagramArrow[] = [];
  const connections = visitArrows(result, (arrow) => arrows.push(arrow));
  const { origin, base } = timeBaseOf(result.segments);
  return { uri, version, connections, arrows, timeOrigin: origin, timeBase: base };
}
