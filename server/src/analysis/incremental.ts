// Incremental re-analysis after an edit that kept every line where it was (the
// language server's common case: a few characters changed in a few lines).
//
// 1. Segments: a re-read line whose record differs only in what stays inside
//    its own segment (window, length, options but SACK, checksum, TTL, ...) gets
//    a new Segment; anything the normalizer carries from line to line (the
//    numbering bases behind seq/ack, times, packet boundaries, parse errors,
//    directives) makes the caller normalize everything.
// 2. Analysis: a connection depends only on the segments of its own 4-tuple, the
//    vantage point and the disabled codes, so the 4-tuples of the changed
//    segments are analysed again (all their incarnations) and spliced into the
//    previous result: per-segment analyses, connection summaries, findings. The
//    whole-trace checks decide when that is not enough: a change that could
//    move the vantage vote or a SYN-flood verdict, a connection that appears or
//    disappears, or a change of many lines at once.
//
// The result equals a from-scratch analysis of the edited text
// (test/unit/analysis/incremental.test.ts checks it on every real capture).
import { analyzeConnectionsInSteps, type ConnectionsAnalysis } from './analyze';
import { floodInputOf } from './checks/synFlood';
import type {
  AnalysisOptions,
  AnalysisResult,
  Connection,
  Endpoint,
  Finding,
  ParseResult,
  SackBlock,
  Segment,
  SegmentAnalysis,
  TcpOptions,
} from './model';
import { ACK, RST, SYN } from './model';
import type { LineRecord, PacketRecord } from './parse';
import { MAX_SCANNED as VANTAGE_SCANNED } from './vantage';

/** A line the incremental parse read again: its record before and after the edit. */
export interface RecordChange {
  readonly line: number;
  /** undefined: the line did not exist before. */
  readonly before: LineRecord | undefined;
  readonly after: LineRecord;
}

/** A parse and its analysis: what the next edit starts from. */
export interface Analysed {
  readonly parsed: ParseResult;
  readonly result: AnalysisResult;
}

/**
 * Edits that re-read more lines than this are analysed from scratch: comparing
 * them one by one would cost about as much (a paste over the whole file).
 */
const MAX_CHANGED_LINES = 4096;

/**
 * The parse and analysis of the edited trace, from the previous ones and the
 * records of the lines read again (`lineCount` lines now, as before). Yields
 * every `stepSize` segments analysed; returns undefined when the edit reaches
 * beyond what can be spliced — then parse and analyse from scratch.
 */
export function* reanalyseInSteps(
  previous: Analysed,
  changes: readonly RecordChange[],
  lineCount: number,
  options: AnalysisOptions = {},
  stepSize = 8192,
): Generator<void, Analysed | undefined, void> {
  if (lineCount !== previous.parsed.lineCount || changes.length > MAX_CHANGED_LINES) return undefined;
  const update = updateSegments(previous.parsed, changes);
  if (update === undefined) return undefined;
  const parsed = update.parsed;
  if (update.changed.length === 0) {
    return { parsed, result: { ...previous.result, lineCount, segments: parsed.segments } };
  }
  const result = yield* updateAnalysis(previous, parsed, update.changed, options, stepSize);
  return result === undefined ? undefined : { parsed, result };
}

// --- 1. segments ---------------------------------------------------------------------

interface SegmentUpdate {
  readonly parsed: ParseResult;
  /** Indices of the segments that changed, ascending. */
  readonly changed: readonly number[];
}

function updateSegments(prev: ParseResult, changes: readonly RecordChange[]): SegmentUpdate | undefined {
  const segs = prev.segments;
  let next: Segment[] | undefined;
  const changed: number[] = [];
  for (const { line, before, after } of changes) {
    if (before === after) continue;
    if (before === undefined || before.kind !== after.kind) return undefined;
    if (after.kind === 'continuation') continue;
    if (after.kind === 'skip') {
      if (before.kind !== 'skip' || before.endsPacket !== after.endsPacket) return undefined;
      continue;
    }
    if (after.kind !== 'packet' || before.kind !== 'packet') return undefined;
    if (!staysInSegment(before, after)) return undefined;
    // The packet starts on its line, or on the line before in the -v two-line form.
    let i = segmentOnLine(segs, line);
    const twoLine = i < 0;
    if (twoLine) i = segmentOnLine(segs, line - 1);
    if (i < 0 || segs[i].endLine < line) return undefined;
    next ??= segs.slice();
    next[i] = withRecord(segs[i], before, after, twoLine);
    changed.push(i);
  }
  changed.sort((a, b) => a - b);
  return { parsed: next === undefined ? prev : { ...prev, segments: next }, changed };
}

/** Index of the segment that starts on `line`, or -1. */
function segmentOnLine(segs: readonly Segment[], line: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const l = segs[mid].line;
    if (l === line) return mid;
    if (l < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The new record changes nothing the normalizer carries to other lines. */
function staysInSegment(a: PacketRecord, b: PacketRecord): boolean {
  return (
    a.line === b.line &&
    a.endLine === b.endLine &&
    a.format === b.format &&
    a.numbering === b.numbering &&
    a.timeKind === b.timeKind &&
    Object.is(a.timeValue, b.timeValue) &&
    a.learnedTsMode === b.learnedTsMode &&
    sameEndpoint(a.src, b.src) &&
    sameEndpoint(a.dst, b.dst) &&
    a.flags === b.flags &&
    a.flagsKnown === b.flagsKnown &&
    a.printedSeq === b.printedSeq &&
    a.printedAck === b.printedAck &&
    sameSack(a.options.sack, b.options.sack)
  );
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a === b || (a.host === b.host && a.port === b.port);
}

function sameSack(a: readonly SackBlock[] | undefined, b: readonly SackBlock[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((x, k) => x.left === b[k].left && x.right === b[k].right);
}

/**
 * The Segment the normalizer makes of `after`, given the one it made of `before`
 * (same numbering, time and boundaries; its own fields from the new record). In
 * the -v two-line form the time, the IP fields and the first spans come from the
 * header line before it, which did not change.
 */
function withRecord(old: Segment, before: PacketRecord, after: PacketRecord, twoLine: boolean): Segment {
  // The normalizer keeps the record's options unless it turned relative SACK blocks absolute.
  const options: TcpOptions =
    old.options === before.options ? after.options : { ...after.options, sack: old.options.sack };
  let fields = after.fields;
  if (twoLine && old.fields !== before.fields) {
    fields = old.fields.slice(0, old.fields.length - before.fields.length).concat(after.fields);
  }
  const ip = twoLine ? old.ip : after.ip;
  const s: { -readonly [K in keyof Segment]: Segment[K] } = {
    index: old.index,
    line: old.line,
    endLine: old.endLine,
    format: after.format,
    time: old.time,
    src: after.src,
    dst: after.dst,
    flags: after.flags,
    seq: old.seq,
    ack: old.ack,
    printedSeq: after.printedSeq,
    printedAck: after.printedAck,
    len: after.len,
    win: after.win,
    urg: after.urg,
    options,
    truncated: after.truncated,
    badChecksum: after.badChecksum,
    fields,
  };
  if (ip !== undefined) s.ip = ip;
  if (after.toolLabels !== undefined) s.toolLabels = after.toolLabels;
  if (after.appText !== undefined) s.appText = after.appText;
  if (!after.flagsKnown) s.flagsUnknown = true;
  return s;
}

// --- 2. analysis -----------------------------------------------------------------------

function* updateAnalysis(
  previous: Analysed,
  parsed: ParseResult,
  changed: readonly number[],
  options: AnalysisOptions,
  stepSize: number,
): Generator<void, AnalysisResult | undefined, void> {
  const prev = previous.result;
  const segs = parsed.segments;
  if (segs.length !== prev.segments.length) return undefined;
  if (!sameCodes(previous.parsed.disabledCodes, parsed.disabledCodes)) return undefined;
  const detected = options.vantage === undefined || options.vantage === 'unknown';
  if (detected && changed.some((i) => i < VANTAGE_SCANNED && !sameVantageInputs(prev.segments[i], segs[i])))
    return undefined;
  if (!detected && prev.vantage !== options.vantage) return undefined;

  // Every incarnation of the changed segments' 4-tuples.
  const affected = affectedConnections(prev, changed);
  if (affected === undefined) return undefined;
  // No limit on their size: a connection of most of the trace costs what the whole analysis
  // costs, and the normalizer's pass over every line is still saved.
  const indices = segmentsOf(affected);

  const idByFirst = new Map<number, number>();
  for (const c of affected) idByFirst.set(c.segments[0], c.id);
  const idFor = (first: number): number | undefined => idByFirst.get(first);
  const perSegment = prev.perSegment.slice();
  const now = yield* analyzeConnectionsInSteps(parsed, indices, prev.vantage, perSegment, idFor, stepSize);
  if (now === undefined || now.tracks.length !== affected.length) return undefined;

  // SYN-flood verdicts weigh every attempt to a listener: they stand if the changed
  // connections are no attempts (their first segment is no pure SYN) or the same attempts.
  const pureSyn = (s: Segment): boolean => (s.flags & (SYN | ACK | RST)) === SYN;
  if (affected.some((c) => pureSyn(prev.segments[c.segments[0]]) || pureSyn(segs[c.segments[0]]))) {
    // A sparse scratch array: only the few re-analysed segments are written.
    const scratch: SegmentAnalysis[] = [];
    const before = yield* analyzeConnectionsInSteps(
      previous.parsed,
      indices,
      prev.vantage,
      scratch,
      idFor,
      stepSize,
    );
    if (before === undefined || !sameFloodInputs(before, now, previous.parsed.segments, segs))
      return undefined;
  }

  const connections = prev.connections.slice();
  for (const c of now.connections) connections[c.id] = c;
  const ids = new Set(affected.map((c) => c.id));
  const kept = prev.diagnostics.filter(
    (f) => f.code === 'syn-flood' || f.connection === undefined || !ids.has(f.connection),
  );
  // Array.prototype.sort is stable: findings of one line keep the order the passes produced.
  const added = now.findings.slice().sort((a, b) => a.line - b.line);
  return {
    format: parsed.format,
    lineCount: parsed.lineCount,
    segments: segs,
    perSegment,
    connections,
    diagnostics: mergeByLine(kept, added),
    vantage: prev.vantage,
  };
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, k) => c === b[k]);
}

/** What detectVantage() reads of a segment. */
function sameVantageInputs(a: Segment, b: Segment): boolean {
  return (
    a.flags === b.flags &&
    a.time === b.time &&
    a.seq === b.seq &&
    a.ack === b.ack &&
    sameEndpoint(a.src, b.src) &&
    sameEndpoint(a.dst, b.dst) &&
    a.badChecksum === b.badChecksum &&
    a.ip?.ttl === b.ip?.ttl
  );
}

/** The previous connections on the 4-tuples of the changed segments, by id; undefined when unknown. */
function affectedConnections(prev: AnalysisResult, changed: readonly number[]): Connection[] | undefined {
  const pairs: Connection[] = [];
  const ports = new Set<number>();
  for (const i of changed) {
    const id = prev.perSegment[i]?.connection ?? -1;
    const conn = prev.connections[id];
    if (conn?.id !== id) return undefined;
    if (!pairs.some((p) => samePair(p, conn))) {
      pairs.push(conn);
      ports.add(conn.client.port);
    }
  }
  // Ports first: a number test rules out almost every other connection.
  return prev.connections.filter(
    (c) => (ports.has(c.client.port) || ports.has(c.server.port)) && pairs.some((p) => samePair(p, c)),
  );
}

/** The same two endpoints (the connection table's 4-tuple: host and port text). */
function samePair(a: Connection, b: Connection): boolean {
  return (
    (sameEndpoint(a.client, b.client) && sameEndpoint(a.server, b.server)) ||
    (sameEndpoint(a.client, b.server) && sameEndpoint(a.server, b.client))
  );
}

function segmentsOf(conns: readonly Connection[]): number[] {
  const all: number[] = [];
  for (const c of conns) for (const i of c.segments) all.push(i);
  return all.sort((a, b) => a - b);
}

/** The changed connections give checkSynFlood() the same inputs as before. */
function sameFloodInputs(
  before: ConnectionsAnalysis,
  now: ConnectionsAnalysis,
  oldSegs: readonly Segment[],
  segs: readonly Segment[],
): boolean {
  const old = new Map<number, string>();
  for (const t of before.tracks) old.set(t.id, floodInputOf(t, oldSegs));
  return now.tracks.every((t) => old.get(t.id) === floodInputOf(t, segs));
}

/** Merges two line-sorted lists; on one line `kept` comes first (parse errors precede analysis findings). */
function mergeByLine(kept: readonly Finding[], added: readonly Finding[]): Finding[] {
  const out = new Array<Finding>(kept.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < kept.length && j < added.length) {
    out[k++] = added[j].line < kept[i].line ? added[j++] : kept[i++];
  }
  while (i < kept.length) out[k++] = kept[i++];
  while (j < added.length) out[k++] = added[j++];
  return out;
}
