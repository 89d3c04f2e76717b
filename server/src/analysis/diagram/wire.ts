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
import { FIN, SYN, TCP_STATES, type Direction, type Phase, type TcpState } from '../model';
import { PHASE_DATA, PHASES, SEVERITIES, phaseIndex, stateIndex, stateOf } from './table';
import { emptyArrow, timeBaseOf, visitArrows } from './build';
import type { DiagramArrow, DiagramConnection, DiagramFinding, DiagramModel, TimeBase } from './model';
import { packColumn, unpackColumnInto } from './packedColumn';

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

/**
 * Collects arrows one at a time into the columns of the wire form: typed arrays
 * sized once (NaN for null), so adding an arrow allocates nothing.
 */
class WireWriter {
  private readonly segment: Float64Array;
  private readonly line: Float64Array;
  private readonly span: Float64Array;
  private readonly connection: Float64Array;
  private readonly c2s: Float64Array;
  private readonly time: Float64Array;
  private readonly flags: Float64Array;
  private readonly seq: Float64Array;
  private readonly ack: Float64Array;
  private readonly relSeq: Float64Array;
  private readonly relAck: Float64Array;
  private readonly len: Float64Array;
  private readonly win: Float64Array;
  private readonly phase: Float64Array;
  private readonly clientState: Float64Array;
  private readonly serverState: Float64Array;
  private readonly retransmission: Float64Array;
  private readonly role: Float64Array;
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

  constructor(
    private readonly origin: number,
    /** At least the number of arrows that will be added. */
    capacity: number,
  ) {
    this.segment = new Float64Array(capacity);
    this.line = new Float64Array(capacity);
    this.span = new Float64Array(capacity);
    this.connection = new Float64Array(capacity);
    this.c2s = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.flags = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.ack = new Float64Array(capacity);
    this.relSeq = new Float64Array(capacity);
    this.relAck = new Float64Array(capacity);
    this.len = new Float64Array(capacity);
    this.win = new Float64Array(capacity);
    this.phase = new Float64Array(capacity);
    this.clientState = new Float64Array(capacity);
    this.serverState = new Float64Array(capacity);
    this.retransmission = new Float64Array(capacity);
    this.role = new Float64Array(capacity);
  }

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
    const at = this.count;
    const c2s = a.direction === 'c2s';
    this.segment[at] = a.segment - this.lastSegment;
    this.lastSegment = a.segment;
    this.line[at] = a.line - this.lastLine;
    this.lastLine = a.line;
    this.span[at] = a.endLine - a.line;
    this.connection[at] = a.connection;
    this.c2s[at] = c2s ? 1 : 0;
    if (a.time === null) this.time[at] = NaN;
    else {
      // Differences of whole nanoseconds since the origin, so that the float error
      // of epoch times (~0.2 µs at 1.7e9 s) never adds up over many arrows.
      const ns = Math.round((a.time - this.origin) * 1e9);
      this.time[at] = ns - this.lastNs;
      this.lastNs = ns;
    }
    this.flags[at] = a.flags;
    this.seq[at] = this.encodeNumber(a.seq, a.relSeq);
    this.ack[at] = this.encodeNumber(a.ack, a.relAck);
    const previous = this.previous;
    const key = previous.key(a.connection, c2s);
    if (a.relSeq === null) this.relSeq[at] = NaN;
    else {
      this.relSeq[at] = a.relSeq - previous.nextSeq[key]!;
      previous.nextSeq[key] = a.relSeq + seqLength(a.flags, a.len);
    }
    if (a.relAck === null) this.relAck[at] = NaN;
    else {
      this.relAck[at] = a.relAck - previous.ack[key]!;
      previous.ack[key] = a.relAck;
    }
    this.len[at] = a.len;
    if (a.win === null) this.win[at] = NaN;
    else {
      this.win[at] = a.win - previous.win[key]!;
      previous.win[key] = a.win;
    }
    this.phase[at] = phaseIndex(a.phase);
    this.clientState[at] = stateIndex(a.clientState);
    this.serverState[at] = stateIndex(a.serverState);
    this.retransmission[at] = a.retransmission ? 1 : 0;
    let r = this.roleIndex.get(a.role);
    if (r === undefined) {
      r = this.roles.length;
      this.roles.push(a.role);
      this.roleIndex.set(a.role, r);
    }
    this.role[at] = r;
    if (a.findings.length > 0) this.findings.push({ arrow: at, list: a.findings });
    this.count++;
  }

  private pack(column: Float64Array): WireColumn {
    return packColumn(column.subarray(0, this.count));
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
      segment: this.pack(this.segment),
      line: this.pack(this.line),
      span: this.pack(this.span),
      connection: this.pack(this.connection),
      c2s: this.pack(this.c2s),
      time: this.pack(this.time),
      flags: this.pack(this.flags),
      seq: this.pack(this.seq),
      ack: this.pack(this.ack),
      relSeq: this.pack(this.relSeq),
      relAck: this.pack(this.relAck),
      len: this.pack(this.len),
      win: this.pack(this.win),
      phase: this.pack(this.phase),
      clientState: this.pack(this.clientState),
      serverState: this.pack(this.serverState),
      retransmission: this.pack(this.retransmission),
      role: this.pack(this.role),
      bases: this.bases,
      absolute: this.absolute,
      roles: this.roles,
      findings: this.findings,
    };
  }
}

export function encodeDiagramModel(model: DiagramModel): DiagramWire {
  const writer = new WireWriter(model.timeOrigin ?? 0, model.arrows.length);
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
  const writer = new WireWriter(origin ?? 0, result.perSegment.length);
  const connections = visitArrows(result, (arrow) => writer.add(arrow), emptyArrow());
  return writer.finish({ uri, version, timeOrigin: origin, timeBase: base }, connections);
}

const SEVERITY_RANK: Record<DiagramFinding['severity'], number> = {
  hint: 0,
  information: 1,
  warning: 2,
  error: 3,
};

const NO_FINDINGS: readonly DiagramFinding[] = [];

/** The decoded fields of every arrow, one typed array each, NaN (or -1 for indices) standing for null. */
interface ArrowColumns {
  readonly segment: Float64Array;
  readonly line: Float64Array;
  readonly endLine: Float64Array;
  readonly connection: Int32Array;
  readonly c2s: Uint8Array;
  readonly time: Float64Array;
  readonly flags: Int32Array;
  readonly seq: Float64Array;
  readonly ack: Float64Array;
  readonly relSeq: Float64Array;
  readonly relAck: Float64Array;
  readonly len: Float64Array;
  readonly win: Float64Array;
  readonly phase: Int8Array;
  readonly clientState: Int8Array;
  readonly serverState: Int8Array;
  readonly retransmission: Uint8Array;
  readonly role: Int32Array;
  /** Index into SEVERITIES of the worst finding, -1 without findings. */
  readonly severity: Int8Array;
  readonly findings: ReadonlyMap<number, readonly DiagramFinding[]>;
  readonly roles: readonly string[];
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * An arrow of a decoded model: reads its fields from the columns when asked.
 * 100,000 of these are two fields each where plain arrows are twenty, and the
 * webview reads most fields only of the arrows on screen.
 */
class ColumnArrow implements DiagramArrow {
  constructor(
    private readonly columns: ArrowColumns,
    private readonly index: number,
  ) {}
  get segment(): number {
    return this.columns.segment[this.index]!;
  }
  get line(): number {
    return this.columns.line[this.index]!;
  }
  get endLine(): number {
    return this.columns.endLine[this.index]!;
  }
  get connection(): number {
    return this.columns.connection[this.index]!;
  }
  get direction(): Direction {
    return this.columns.c2s[this.index] === 1 ? 'c2s' : 's2c';
  }
  get time(): number | null {
    return orNull(this.columns.time[this.index]!);
  }
  get flags(): number {
    return this.columns.flags[this.index]!;
  }
  get seq(): number | null {
    return orNull(this.columns.seq[this.index]!);
  }
  get ack(): number | null {
    return orNull(this.columns.ack[this.index]!);
  }
  get relSeq(): number | null {
    return orNull(this.columns.relSeq[this.index]!);
  }
  get relAck(): number | null {
    return orNull(this.columns.relAck[this.index]!);
  }
  get len(): number {
    return this.columns.len[this.index]!;
  }
  get win(): number | null {
    return orNull(this.columns.win[this.index]!);
  }
  get phase(): Phase {
    const p = this.columns.phase[this.index]!;
    return p < 0 ? 'data' : (PHASES[p] ?? 'data');
  }
  get clientState(): TcpState | null {
    return stateOf(this.columns.clientState[this.index]!);
  }
  get serverState(): TcpState | null {
    return stateOf(this.columns.serverState[this.index]!);
  }
  get severity(): DiagramFinding['severity'] | null {
    // Checked first: reading index -1 of an array is a slow property lookup.
    const s = this.columns.severity[this.index]!;
    return s < 0 ? null : (SEVERITIES[s] ?? null);
  }
  get findings(): readonly DiagramFinding[] {
    return this.columns.findings.get(this.index) ?? NO_FINDINGS;
  }
  get retransmission(): boolean {
    return this.columns.retransmission[this.index] === 1;
  }
  get role(): string {
    const r = this.columns.role[this.index]!;
    return r < 0 ? '' : (this.columns.roles[r] ?? '');
  }
}

/** A plain object with the fields of an arrow (for comparing, or sending a decoded arrow on). */
export function plainArrow(a: DiagramArrow): DiagramArrow {
  return {
    segment: a.segment,
    line: a.line,
    endLine: a.endLine,
    connection: a.connection,
    direction: a.direction,
    time: a.time,
    flags: a.flags,
    seq: a.seq,
    ack: a.ack,
    relSeq: a.relSeq,
    relAck: a.relAck,
    len: a.len,
    win: a.win,
    phase: a.phase,
    clientState: a.clientState,
    serverState: a.serverState,
    severity: a.severity,
    findings: a.findings,
    retransmission: a.retransmission,
    role: a.role,
  };
}

export function decodeDiagramModel(wire: DiagramWire): DiagramModel {
  const n = Math.max(0, Math.floor(wire.count)) || 0;
  const text = (column: WireColumn): string => (typeof column === 'string' ? column : '');
  const column = (c: WireColumn): Float64Array => unpackColumnInto(text(c), new Float64Array(n), NaN);
  // Index columns: -1 where a value is missing.
  const index = <T extends Int32Array | Int8Array | Uint8Array>(c: WireColumn, into: T): T =>
    unpackColumnInto(text(c), into, -1);
  // Differences are summed up in place: these columns become the absolute values.
  const segment = column(wire.segment);
  const line = column(wire.line);
  const endLine = column(wire.span);
  const time = column(wire.time);
  const relSeq = column(wire.relSeq);
  const relAck = column(wire.relAck);
  const win = column(wire.win);
  const seq = column(wire.seq);
  const ack = column(wire.ack);
  const len = column(wire.len);
  const connection = index(wire.connection, new Int32Array(n));
  const c2s = index(wire.c2s, new Uint8Array(n));
  const flags = unpackColumnInto(text(wire.flags), new Int32Array(n), 0);
  const severity = new Int8Array(n).fill(-1);
  const findings = new Map<number, readonly DiagramFinding[]>();
  for (const f of wire.findings) {
    if (f.arrow < 0 || f.arrow >= n) continue;
    findings.set(f.arrow, f.list);
    let worst = -1;
    for (const finding of f.list) worst = Math.max(worst, SEVERITY_RANK[finding.severity] ?? -1);
    severity[f.arrow] = worst;
  }
  const columns: ArrowColumns = {
    segment,
    line,
    endLine,
    connection,
    c2s,
    time,
    flags,
    seq,
    ack,
    relSeq,
    relAck,
    len,
    win,
    phase: index(wire.phase, new Int8Array(n)),
    clientState: index(wire.clientState, new Int8Array(n)),
    serverState: index(wire.serverState, new Int8Array(n)),
    retransmission: index(wire.retransmission, new Uint8Array(n)),
    role: index(wire.role, new Int32Array(n)),
    severity,
    findings,
    roles: wire.roles,
  };

  const arrowsOf: number[][] = wire.connections.map(() => []);
  const { bases, absolute } = wire;
  const previous = new Previous();
  // Time is summed in integer nanoseconds (exact) and converted once per arrow.
  let elapsedNs = 0;
  let segmentAt = 0;
  let lineAt = 0;
  const origin = wire.timeOrigin ?? 0;
  const arrows: DiagramArrow[] = [];
  for (let i = 0; i < n; i++) {
    segmentAt += segment[i] || 0;
    segment[i] = segmentAt;
    lineAt += line[i] || 0;
    line[i] = lineAt;
    endLine[i] = lineAt + (endLine[i] || 0);
    const delta = time[i]!;
    if (!Number.isNaN(delta)) {
      elapsedNs += delta;
      time[i] = origin + elapsedNs / 1e9;
    }
    const l = (len[i] ||= 0);
    const key = previous.key(connection[i]!, c2s[i] === 1);
    const seqDelta = relSeq[i]!;
    if (!Number.isNaN(seqDelta)) {
      const r = previous.nextSeq[key]! + seqDelta;
      relSeq[i] = r;
      previous.nextSeq[key] = r + seqLength(flags[i]!, l);
    }
    const ackDelta = relAck[i]!;
    if (!Number.isNaN(ackDelta)) relAck[i] = previous.ack[key] = previous.ack[key]! + ackDelta;
    const winDelta = win[i]!;
    if (!Number.isNaN(winDelta)) win[i] = previous.win[key] = previous.win[key]! + winDelta;
    seq[i] = decodeNumber(bases, absolute, seq[i]!, relSeq[i]!);
    ack[i] = decodeNumber(bases, absolute, ack[i]!, relAck[i]!);
    // Out-of-range indices read as the getters read them: data phase, unknown state.
    const p = columns.phase[i]!;
    if (p < 0 || p >= PHASES.length) columns.phase[i] = PHASE_DATA;
    const cs = columns.clientState[i]!;
    if (cs < 0 || cs >= TCP_STATES.length) columns.clientState[i] = -1;
    const ss = columns.serverState[i]!;
    if (ss < 0 || ss >= TCP_STATES.length) columns.serverState[i] = -1;
    arrowsOf[connection[i]!]?.push(i);
    arrows.push(new ColumnArrow(columns, i));
  }
  return {
    uri: wire.uri,
    version: wire.version,
    timeOrigin: wire.timeOrigin,
    timeBase: wire.timeBase,
    connections: wire.connections.map((c, i) => ({ ...c, arrows: arrowsOf[i]! })),
    arrows,
    table: columns,
  };
}

/** An absolute seq/ack from its code (see DiagramWire.seq) and relative number; NaN for null. */
function decodeNumber(
  bases: readonly number[],
  absolute: readonly number[],
  code: number,
  rel: number,
): number {
  if (Number.isNaN(code) || code === -1) return NaN;
  if (code <= -2) return absolute[-code - 2] ?? NaN;
  return Number.isNaN(rel) ? NaN : ((bases[code] ?? 0) + rel) >>> 0;
}
