// The diagram model as it travels (server → client → webview): one column per
// field instead of one object per arrow, each column packed into a string
// (packedColumn.ts) — JSON.stringify/parse, the LSP pipe and the webview's
// structured clone then handle a few strings instead of millions of numbers.
// Columns that grow steadily travel as differences from the previous arrow
// (segment index, line, time in integer nanoseconds — exact for microsecond and
// nanosecond stamps), relative seq as the difference from the sender's next
// expected number, relative ack and window as differences from the same
// direction's previous ones (mostly 0), and absolute seq/ack as an index into a
// small table of offsets between the absolute and the relative number (one per
// ISN). Differences make a steady transfer repeat itself, which the packing
// turns into a few characters.
import type { AnalysisResult } from '../model';
import { FIN, SYN, TCP_STATES, type Phase, type TcpState } from '../model';
import { timeBaseOf, visitArrows } from './build';
import type { DiagramArrow, DiagramConnection, DiagramFinding, DiagramModel, TimeBase } from './model';
import { packColumn, unpackColumn } from './packedColumn';

const PHASES: readonly Phase[] = ['handshake', 'data', 'teardown', 'reset'];

/** One value per arrow, packed by `packColumn`. */
export type WireColumn = string;

export interface DiagramWire {
  readonly encoding: 'columns-3';
  readonly uri: string;
  readonly version: number;
  readonly timeOrigin: number | null;
  readonly timeBase: TimeBase;
  readonly connections: readonly Omit<DiagramConnection, 'arrows'>[];
  readonly count: number;
  /** Segment index minus the previous arrow's. */
  readonly segment: WireColumn;
  /** Line minus the previous arrow's. */
  readonly line: WireColumn;
  /** endLine - line. */
  readonly span: WireColumn;
  readonly connection: WireColumn;
  /** 1 client → server, 0 server → client. */
  readonly c2s: WireColumn;
  /** Nanoseconds since the previous timestamped arrow (the first: since timeOrigin), or null. */
  readonly time: WireColumn;
  readonly flags: WireColumn;
  /**
   * Absolute seq/ack: >= 0, an index into `bases` (absolute = base + relative,
   * mod 2^32); -1 null; <= -2, -(2 + index into `absolute`) for a number without
   * a relative form.
   */
  readonly seq: WireColumn;
  readonly ack: WireColumn;
  readonly bases: readonly number[];
  readonly absolute: readonly number[];
  /** relSeq minus what the same connection and direction would send next (previous relSeq + len + SYN/FIN), or null. */
  readonly relSeq: WireColumn;
  /** relAck minus the same connection and direction's previous relAck, or null. */
  readonly relAck: WireColumn;
  readonly len: WireColumn;
  /** Window minus the same connection and direction's previous window, or null. */
  readonly win: WireColumn;
  /** Index into PHASES. */
  readonly phase: WireColumn;
  /** Index into TCP_STATES, -1 for unknown. */
  readonly clientState: WireColumn;
  readonly serverState: WireColumn;
  readonly retransmission: WireColumn;
  /** Distinct role texts, and each arrow's index into them. */
  readonly roles: readonly string[];
  readonly role: WireColumn;
  /** Only the arrows that have findings. */
  readonly findings: readonly { readonly arrow: number; readonly list: readonly DiagramFinding[] }[];
}

/** Per connection and direction: the previous numbers the deltas are taken from. */
class Previous {
  readonly nextSeq: number[] = [];
  readonly ack: number[] = [];
  readonly win: number[] = [];
  key(connection: number, c2s: boolean): number {
    const key = connection * 2 + (c2s ? 1 : 0);
    while (this.nextSeq.length <= key) {
      this.nextSeq.push(0);
      this.ack.push(0);
      this.win.push(0);
    }
    return key;
  }
}

/** Sequence space a segment occupies: payload plus one for SYN and for FIN. */
function seqLength(flags: number, len: number): number {
  return len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
}

const STATE_INDEX: ReadonlyMap<TcpState, number> = new Map(TCP_STATES.map((s, i) => [s, i]));
const PHASE_INDEX: ReadonlyMap<Phase, number> = new Map(PHASES.map((p, i) => [p, i]));
const stateIndex = (s: TcpState | null): number => (s === null ? -1 : (STATE_INDEX.get(s) ?? -1));
const stateOf = (i: number | null): TcpState | null => (i === null || i < 0 ? null : (TCP_STATES[i] ?? null));

/** Collects arrows one at a time into the columns of the wire form. */
class WireWriter {
  private readonly segment: number[] = [];
  private readonly line: number[] = [];
  private readonly span: number[] = [];
  private readonly connection: number[] = [];
  private readonly c2s: number[] = [];
  private readonly time: (number | null)[] = [];
  private readonly flags: number[] = [];
  private readonly seq: number[] = [];
  private readonly ack: number[] = [];
  private readonly relSeq: (number | null)[] = [];
  private readonly relAck: (number | null)[] = [];
  private readonly len: number[] = [];
  private readonly win: (number | null)[] = [];
  private readonly phase: number[] = [];
  private readonly clientState: number[] = [];
  private readonly serverState: number[] = [];
  private readonly retransmission: number[] = [];
  private readonly role: number[] = [];
  private readonly roles: string[] = [];
  private readonly roleIndex = new Map<string, number>();
  private readonly findings: { arrow: number; list: readonly DiagramFinding[] }[] = [];
  private readonly bases: number[] = [];
  private readonly baseIndex = new Map<number, number>();
  private readonly absolute: number[] = [];
  private readonly previous = new Previous();
  private lastNs = 0;
  private lastSegment = 0;
  private lastLine = 0;
  private count = 0;

  constructor(private readonly origin: number) {}

  private encodeNumber(abs: number | null, rel: number | null): number {
    if (abs === null) return -1;
    if (rel === null) {
      this.absolute.push(abs);
      return -(this.absolute.length + 1);
    }
    const base = (abs - rel) >>> 0;
    let index = this.baseIndex.get(base);
    if (index === undefined) {
      index = this.bases.length;
      this.bases.push(base);
      this.baseIndex.set(base, index);
    }
    return index;
  }

  add(a: DiagramArrow): void {
    const c2s = a.direction === 'c2s';
    this.segment.push(a.segment - this.lastSegment);
    this.lastSegment = a.segment;
    this.line.push(a.line - this.lastLine);
    this.lastLine = a.line;
    this.span.push(a.endLine - a.line);
    this.connection.push(a.connection);
    this.c2s.push(c2s ? 1 : 0);
    if (a.time === null) this.time.push(null);
    else {
      // Differences of whole nanoseconds since the origin, so that the float error
      // of epoch times (~0.2 µs at 1.7e9 s) never adds up over many arrows.
      const ns = Math.round((a.time - this.origin) * 1e9);
      this.time.push(ns - this.lastNs);
      this.lastNs = ns;
    }
    this.flags.push(a.flags);
    this.seq.push(this.encodeNumber(a.seq, a.relSeq));
    this.ack.push(this.encodeNumber(a.ack, a.relAck));
    const previous = this.previous;
    const key = previous.key(a.connection, c2s);
    if (a.relSeq === null) this.relSeq.push(null);
    else {
      this.relSeq.push(a.relSeq - previous.nextSeq[key]!);
      previous.nextSeq[key] = a.relSeq + seqLength(a.flags, a.len);
    }
    if (a.relAck === null) this.relAck.push(null);
    else {
      this.relAck.push(a.relAck - previous.ack[key]!);
      previous.ack[key] = a.relAck;
    }
    this.len.push(a.len);
    if (a.win === null) this.win.push(null);
    else {
      this.win.push(a.win - previous.win[key]!);
      previous.win[key] = a.win;
    }
    this.phase.push(PHASE_INDEX.get(a.phase) ?? -1);
    this.clientState.push(stateIndex(a.clientState));
    this.serverState.push(stateIndex(a.serverState));
    this.retransmission.push(a.retransmission ? 1 : 0);
    let r = this.roleIndex.get(a.role);
    if (r === undefined) {
      r = this.roles.length;
      this.roles.push(a.role);
      this.roleIndex.set(a.role, r);
    }
    this.role.push(r);
    if (a.findings.length > 0) this.findings.push({ arrow: this.count, list: a.findings });
    this.count++;
  }

  finish(
    model: Pick<DiagramModel, 'uri' | 'version' | 'timeOrigin' | 'timeBase'>,
    connections: readonly DiagramConnection[],
  ): DiagramWire {
    return {
      encoding: 'columns-3',
      uri: model.uri,
      version: model.version,
      timeOrigin: model.timeOrigin,
      timeBase: model.timeBase,
      connections: connections.map(({ arrows: _arrows, ...rest }) => rest),
      count: this.count,
      segment: packColumn(this.segment),
      line: packColumn(this.line),
      span: packColumn(this.span),
      connection: packColumn(this.connection),
      c2s: packColumn(this.c2s),
      time: packColumn(this.time),
      flags: packColumn(this.flags),
      seq: packColumn(this.seq),
      ack: packColumn(this.ack),
      relSeq: packColumn(this.relSeq),
      relAck: packColumn(this.relAck),
      len: packColumn(this.len),
      win: packColumn(this.win),
      phase: packColumn(this.phase),
      clientState: packColumn(this.clientState),
      serverState: packColumn(this.serverState),
      retransmission: packColumn(this.retransmission),
      role: packColumn(this.role),
      bases: this.bases,
      absolute: this.absolute,
      roles: this.roles,
      findings: this.findings,
    };
  }
}

export function encodeDiagramModel(model: DiagramModel): DiagramWire {
  const writer = new WireWriter(model.timeOrigin ?? 0);
  for (const arrow of model.arrows) writer.add(arrow);
  return writer.finish(model, model.connections);
}

/**
 * What `encodeDiagramModel(buildDiagramModel(result, uri, version))` returns,
 * in one pass over the analysis without keeping an object per arrow: the
 * server's answer to `tcptrace/diagram`.
 */
export function buildDiagramWire(result: AnalysisResult, uri: string, version: number): DiagramWire {
  const { origin, base } = timeBaseOf(result.segments);
  const writer = new WireWriter(origin ?? 0);
  const connections = visitArrows(result, (arrow) => writer.add(arrow));
  return writer.finish({ uri, version, timeOrigin: origin, timeBase: base }, connections);
}

const SEVERITY_RANK: Record<DiagramFinding['severity'], number> = {
  error: 3,
  warning: 2,
  information: 1,
  hint: 0,
};

const NO_FINDINGS: readonly DiagramFinding[] = [];

export function decodeDiagramModel(wire: DiagramWire): DiagramModel {
  const n = wire.count;
  const column = (text: WireColumn): (number | null)[] => unpackColumn(text, n);
  const segmentDelta = column(wire.segment);
  const lineDelta = column(wire.line);
  const span = column(wire.span);
  const connectionOf = column(wire.connection);
  const c2sOf = column(wire.c2s);
  const timeDelta = column(wire.time);
  const flagsOf = column(wire.flags);
  const seqCode = column(wire.seq);
  const ackCode = column(wire.ack);
  const relSeqDelta = column(wire.relSeq);
  const relAckDelta = column(wire.relAck);
  const lenOf = column(wire.len);
  const winDelta = column(wire.win);
  const phaseOf = column(wire.phase);
  const clientStateOf = column(wire.clientState);
  const serverStateOf = column(wire.serverState);
  const retransmissionOf = column(wire.retransmission);
  const roleOf = column(wire.role);

  const findingsOf = new Map<number, readonly DiagramFinding[]>();
  for (const f of wire.findings) findingsOf.set(f.arrow, f.list);
  const arrowsOf: number[][] = wire.connections.map(() => []);
  const decodeNumber = (code: number | null, rel: number | null): number | null => {
    if (code === null || code === -1) return null;
    if (code <= -2) return wire.absolute[-code - 2] ?? null;
    return rel === null ? null : ((wire.bases[code] ?? 0) + rel) >>> 0;
  };
  const previous = new Previous();
  // Time is summed in integer nanoseconds (exact) and converted once per arrow.
  let elapsedNs = 0;
  let segment = 0;
  let line = 0;
  const origin = wire.timeOrigin ?? 0;
  const arrows: DiagramArrow[] = [];
  for (let i = 0; i < n; i++) {
    const findings = findingsOf.get(i) ?? NO_FINDINGS;
    let severity: DiagramFinding['severity'] | null = null;
    for (const f of findings)
      if (severity === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
    const delta = timeDelta[i]!;
    if (delta !== null) elapsedNs += delta;
    segment += segmentDelta[i] ?? 0;
    line += lineDelta[i] ?? 0;
    const c2s = c2sOf[i] === 1;
    const flags = flagsOf[i] ?? 0;
    const len = lenOf[i] ?? 0;
    const connection = connectionOf[i] ?? 0;
    const key = previous.key(connection, c2s);
    const seqDelta = relSeqDelta[i]!;
    const relSeq = seqDelta === null ? null : previous.nextSeq[key]! + seqDelta;
    if (relSeq !== null) previous.nextSeq[key] = relSeq + seqLength(flags, len);
    const ackDelta = relAckDelta[i]!;
    const relAck = ackDelta === null ? null : previous.ack[key]! + ackDelta;
    if (relAck !== null) previous.ack[key] = relAck;
    const wDelta = winDelta[i]!;
    const win = wDelta === null ? null : previous.win[key]! + wDelta;
    if (win !== null) previous.win[key] = win;
    arrowsOf[connection]?.push(i);
    arrows.push({
      segment,
      line,
      endLine: line + (span[i] ?? 0),
      connection,
      direction: c2s ? 'c2s' : 's2c',
      time: delta === null ? null : origin + elapsedNs / 1e9,
      flags,
      seq: decodeNumber(seqCode[i]!, relSeq),
      ack: decodeNumber(ackCode[i]!, relAck),
      relSeq,
      relAck,
      len,
      win,
      phase: PHASES[phaseOf[i] ?? 1] ?? 'data',
      clientState: stateOf(clientStateOf[i]!),
      serverState: stateOf(serverStateOf[i]!),
      severity,
      findings,
      retransmission: retransmissionOf[i] === 1,
      role: wire.roles[roleOf[i] ?? -1] ?? '',
    });
  }
  return {
    uri: wire.uri,
    version: wire.version,
    timeOrigin: wire.timeOrigin,
    timeBase: wire.timeBase,
    connections: wire.connections.map((c, i) => ({ ...c, arrows: arrowsOf[i]! })),
    arrows,
  };
}
