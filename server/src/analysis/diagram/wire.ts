// The diagram model as it travels (server → client → webview): one array per
// field instead of one object per arrow. For 100,000 segments this is about a
// quarter of the JSON of the object form, and JSON.stringify/parse and the
// webview's structured clone are several times faster on it. Columns that
// grow steadily travel as differences from the previous arrow (segment index,
// line, time in integer nanoseconds — exact for microsecond and nanosecond
// stamps), relative seq as the difference from the sender's next expected
// number, relative ack and window as differences from the same direction's
// previous ones (mostly 0), and absolute seq/ack as an index into a small table
// of offsets between the absolute and the relative number (one per ISN).
// A column whose values come in long runs (connection, phase, states, roles,
// the deltas of a steady transfer) travels run-length encoded when that is
// shorter: JSON.stringify/parse dominate the request, so fewer numbers is faster.
import { FIN, SYN, TCP_STATES, type Phase, type TcpState } from '../model';
import type { DiagramArrow, DiagramConnection, DiagramFinding, DiagramModel, TimeBase } from './model';

const PHASES: readonly Phase[] = ['handshake', 'data', 'teardown', 'reset'];

/** One value per arrow, or the same as runs: [value, count, value, count, ...]. */
export type WireColumn<T extends number | null> = readonly T[] | { readonly runs: readonly (T | number)[] };

export interface DiagramWire {
  readonly encoding: 'columns-2';
  readonly uri: string;
  readonly version: number;
  readonly timeOrigin: number | null;
  readonly timeBase: TimeBase;
  readonly connections: readonly Omit<DiagramConnection, 'arrows'>[];
  readonly count: number;
  /** Segment index minus the previous arrow's. */
  readonly segment: WireColumn<number>;
  /** Line minus the previous arrow's. */
  readonly line: WireColumn<number>;
  /** endLine - line. */
  readonly span: WireColumn<number>;
  readonly connection: WireColumn<number>;
  /** 1 client → server, 0 server → client. */
  readonly c2s: WireColumn<number>;
  /** Nanoseconds since the previous timestamped arrow (the first: since timeOrigin), or null. */
  readonly time: WireColumn<number | null>;
  readonly flags: WireColumn<number>;
  /**
   * Absolute seq/ack: >= 0, an index into `bases` (absolute = base + relative,
   * mod 2^32); -1 null; <= -2, -(2 + index into `absolute`) for a number without
   * a relative form.
   */
  readonly seq: WireColumn<number>;
  readonly ack: WireColumn<number>;
  readonly bases: readonly number[];
  readonly absolute: readonly number[];
  /** relSeq minus what the same connection and direction would send next (previous relSeq + len + SYN/FIN). */
  readonly relSeq: WireColumn<number | null>;
  /** relAck minus the same connection and direction's previous relAck. */
  readonly relAck: WireColumn<number | null>;
  readonly len: WireColumn<number>;
  /** Window minus the same connection and direction's previous window. */
  readonly win: WireColumn<number | null>;
  /** Index into PHASES. */
  readonly phase: WireColumn<number>;
  /** Index into TCP_STATES, -1 for unknown. */
  readonly clientState: WireColumn<number>;
  readonly serverState: WireColumn<number>;
  readonly retransmission: WireColumn<number>;
  /** Distinct role texts, and each arrow's index into them. */
  readonly roles: readonly string[];
  readonly role: WireColumn<number>;
  /** Only the arrows that have findings. */
  readonly findings: readonly { readonly arrow: number; readonly list: readonly DiagramFinding[] }[];
}

/** Per connection and direction: the previous numbers the deltas are taken from. */
class Previous {
  private readonly values = new Map<number, { nextSeq: number; ack: number; win: number }>();
  get(connection: number, c2s: boolean): { nextSeq: number; ack: number; win: number } {
    const key = connection * 2 + (c2s ? 1 : 0);
    let v = this.values.get(key);
    if (!v) this.values.set(key, (v = { nextSeq: 0, ack: 0, win: 0 }));
    return v;
  }
}

/** Sequence space a segment occupies: payload plus one for SYN and for FIN. */
function seqLength(flags: number, len: number): number {
  return len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
}

const stateIndex = (s: TcpState | null): number => (s === null ? -1 : TCP_STATES.indexOf(s));
const stateOf = (i: number): TcpState | null => (i < 0 ? null : (TCP_STATES[i] ?? null));

export function encodeDiagramModel(model: DiagramModel): DiagramWire {
  const n = model.arrows.length;
  const col = <T>(): T[] => new Array<T>(n);
  const w = {
    segment: col<number>(),
    line: col<number>(),
    span: col<number>(),
    connection: col<number>(),
    c2s: col<number>(),
    time: col<number | null>(),
    flags: col<number>(),
    seq: col<number>(),
    ack: col<number>(),
    relSeq: col<number | null>(),
    relAck: col<number | null>(),
    len: col<number>(),
    win: col<number | null>(),
    phase: col<number>(),
    clientState: col<number>(),
    serverState: col<number>(),
    retransmission: col<number>(),
    role: col<number>(),
  };
  const roles: string[] = [];
  const roleIndex = new Map<string, number>();
  const findings: { arrow: number; list: readonly DiagramFinding[] }[] = [];
  const bases: number[] = [];
  const baseIndex = new Map<number, number>();
  const absolute: number[] = [];
  const encodeNumber = (abs: number | null, rel: number | null): number => {
    if (abs === null) return -1;
    if (rel === null) {
      absolute.push(abs);
      return -(absolute.length + 1);
    }
    const base = (abs - rel) >>> 0;
    let index = baseIndex.get(base);
    if (index === undefined) {
      index = bases.length;
      bases.push(base);
      baseIndex.set(base, index);
    }
    return index;
  };
  const previous = new Previous();
  // Differences of whole nanoseconds since the origin, so that the float error
  // of epoch times (~0.2 µs at 1.7e9 s) never adds up over many arrows.
  const origin = model.timeOrigin ?? 0;
  let lastNs = 0;
  let lastSegment = 0;
  let lastLine = 0;
  model.arrows.forEach((a, i) => {
    w.segment[i] = a.segment - lastSegment;
    lastSegment = a.segment;
    w.line[i] = a.line - lastLine;
    lastLine = a.line;
    w.span[i] = a.endLine - a.line;
    w.connection[i] = a.connection;
    w.c2s[i] = a.direction === 'c2s' ? 1 : 0;
    if (a.time === null) w.time[i] = null;
    else {
      const ns = Math.round((a.time - origin) * 1e9);
      w.time[i] = ns - lastNs;
      lastNs = ns;
    }
    w.flags[i] = a.flags;
    w.seq[i] = encodeNumber(a.seq, a.relSeq);
    w.ack[i] = encodeNumber(a.ack, a.relAck);
    const prev = previous.get(a.connection, a.direction === 'c2s');
    if (a.relSeq === null) w.relSeq[i] = null;
    else {
      w.relSeq[i] = a.relSeq - prev.nextSeq;
      prev.nextSeq = a.relSeq + seqLength(a.flags, a.len);
    }
    if (a.relAck === null) w.relAck[i] = null;
    else {
      w.relAck[i] = a.relAck - prev.ack;
      prev.ack = a.relAck;
    }
    w.len[i] = a.len;
    if (a.win === null) w.win[i] = null;
    else {
      w.win[i] = a.win - prev.win;
      prev.win = a.win;
    }
    w.phase[i] = PHASES.indexOf(a.phase);
    w.clientState[i] = stateIndex(a.clientState);
    w.serverState[i] = stateIndex(a.serverState);
    w.retransmission[i] = a.retransmission ? 1 : 0;
    let r = roleIndex.get(a.role);
    if (r === undefined) {
      r = roles.length;
      roles.push(a.role);
      roleIndex.set(a.role, r);
    }
    w.role[i] = r;
    if (a.findings.length > 0) findings.push({ arrow: i, list: a.findings });
  });
  return {
    encoding: 'columns-2',
    uri: model.uri,
    version: model.version,
    timeOrigin: model.timeOrigin,
    timeBase: model.timeBase,
    connections: model.connections.map(({ arrows: _arrows, ...rest }) => rest),
    count: n,
    segment: compact(w.segment),
    line: compact(w.line),
    span: compact(w.span),
    connection: compact(w.connection),
    c2s: compact(w.c2s),
    time: compact(w.time),
    flags: compact(w.flags),
    seq: compact(w.seq),
    ack: compact(w.ack),
    relSeq: compact(w.relSeq),
    relAck: compact(w.relAck),
    len: compact(w.len),
    win: compact(w.win),
    phase: compact(w.phase),
    clientState: compact(w.clientState),
    serverState: compact(w.serverState),
    retransmission: compact(w.retransmission),
    role: compact(w.role),
    bases,
    absolute,
    roles,
    findings,
  };
}

const SEVERITY_RANK: Record<DiagramFinding['severity'], number> = {
  error: 3,
  warning: 2,
  information: 1,
  hint: 0,
};

/** The column as runs when that takes fewer numbers than the plain array. */
function compact<T extends number | null>(values: readonly T[]): WireColumn<T> {
  const runs: (T | number)[] = [];
  for (let i = 0; i < values.length;) {
    const value = values[i]!;
    let end = i + 1;
    while (end < values.length && values[end] === value) end++;
    runs.push(value, end - i);
    // Runs stop paying off: send the plain array.
    if (runs.length >= values.length) return values;
    i = end;
  }
  return { runs };
}

/** The plain values of a column, `count` of them. */
function expand<T extends number | null>(column: WireColumn<T>, count: number): readonly T[] {
  if (Array.isArray(column)) return column as readonly T[];
  const runs = (column as { readonly runs: readonly (T | number)[] }).runs;
  const values = new Array<T>(count);
  let at = 0;
  for (let r = 0; r + 1 < runs.length && at < count; r += 2) {
    const value = runs[r] as T;
    const end = Math.min(count, at + (runs[r + 1] as number));
    while (at < end) values[at++] = value;
  }
  return values;
}

export function decodeDiagramModel(encoded: DiagramWire): DiagramModel {
  const n = encoded.count;
  const wire = {
    ...encoded,
    segment: expand(encoded.segment, n),
    line: expand(encoded.line, n),
    span: expand(encoded.span, n),
    connection: expand(encoded.connection, n),
    c2s: expand(encoded.c2s, n),
    time: expand(encoded.time, n),
    flags: expand(encoded.flags, n),
    seq: expand(encoded.seq, n),
    ack: expand(encoded.ack, n),
    relSeq: expand(encoded.relSeq, n),
    relAck: expand(encoded.relAck, n),
    len: expand(encoded.len, n),
    win: expand(encoded.win, n),
    phase: expand(encoded.phase, n),
    clientState: expand(encoded.clientState, n),
    serverState: expand(encoded.serverState, n),
    retransmission: expand(encoded.retransmission, n),
    role: expand(encoded.role, n),
  };
  const findingsOf = new Map<number, readonly DiagramFinding[]>();
  for (const f of wire.findings) findingsOf.set(f.arrow, f.list);
  const arrowsOf: number[][] = wire.connections.map(() => []);
  const decodeNumber = (code: number, rel: number | null): number | null => {
    if (code === -1) return null;
    if (code <= -2) return wire.absolute[-code - 2] ?? null;
    return rel === null ? null : ((wire.bases[code] ?? 0) + rel) >>> 0;
  };
  const previous = new Previous();
  // Time is summed in integer nanoseconds (exact) and converted once per arrow.
  let elapsedNs = 0;
  let segment = 0;
  let line = 0;
  const origin = wire.timeOrigin ?? 0;
  const arrows: DiagramArrow[] = new Array<DiagramArrow>(wire.count);
  for (let i = 0; i < wire.count; i++) {
    const findings = findingsOf.get(i) ?? [];
    let severity: DiagramFinding['severity'] | null = null;
    for (const f of findings)
      if (severity === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
    const delta = wire.time[i] ?? null;
    if (delta !== null) elapsedNs += delta;
    segment += wire.segment[i]!;
    line += wire.line[i]!;
    const c2s = wire.c2s[i] === 1;
    const flags = wire.flags[i]!;
    const len = wire.len[i]!;
    const prev = previous.get(wire.connection[i]!, c2s);
    const seqDelta = wire.relSeq[i] ?? null;
    const relSeq = seqDelta === null ? null : prev.nextSeq + seqDelta;
    if (relSeq !== null) prev.nextSeq = relSeq + seqLength(flags, len);
    const ackDelta = wire.relAck[i] ?? null;
    const relAck = ackDelta === null ? null : prev.ack + ackDelta;
    if (relAck !== null) prev.ack = relAck;
    const winDelta = wire.win[i] ?? null;
    const win = winDelta === null ? null : prev.win + winDelta;
    if (win !== null) prev.win = win;
    const connection = wire.connection[i]!;
    arrowsOf[connection]?.push(i);
    arrows[i] = {
      segment,
      line,
      endLine: line + wire.span[i]!,
      connection,
      direction: c2s ? 'c2s' : 's2c',
      time: delta === null ? null : origin + elapsedNs / 1e9,
      flags,
      seq: decodeNumber(wire.seq[i]!, relSeq),
      ack: decodeNumber(wire.ack[i]!, relAck),
      relSeq,
      relAck,
      len,
      win,
      phase: PHASES[wire.phase[i]!] ?? 'data',
      clientState: stateOf(wire.clientState[i]!),
      serverState: stateOf(wire.serverState[i]!),
      severity,
      findings,
      retransmission: wire.retransmission[i] === 1,
      role: wire.roles[wire.role[i]!] ?? '',
    };
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
