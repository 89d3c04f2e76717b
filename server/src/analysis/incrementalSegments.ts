// The segments of an edited trace from the previous ones, for an edit that
// kept every line where it was (see incremental.ts). A packet line read again
// gets a new Segment from its new record. What the normalizer carries from one
// line to the next is checked: packet boundaries, parse errors and directives
// must be as before, and times that accumulate (deltas); an absolute time or a
// time of day may change on its own; seq, ack and flags may change, and then
// the absolute numbers of the whole 4-tuple are worked out again, because
// tcpdump prints later numbers relative to the pair's first segment
// (parse/numbering.ts).
import type {
  AnalysisResult,
  Connection,
  Endpoint,
  ParseResult,
  SackBlock,
  Segment,
  TcpOptions,
} from './model';
import { Numbering, TimeKind, type LineRecord, type PacketRecord } from './parse';
import { DECIDE_AFTER } from './parse/normalize';
import { absoluteOf, PairTable, tcpdumpPrintsRelative, type Absolute } from './parse/numbering';
import { copySegment, makeSegment } from './parse/segmentObject';

/** A parse and its analysis: what the next edit starts from. */
export interface Analysed {
  readonly parsed: ParseResult;
  readonly result: AnalysisResult;
}

/** A line the incremental parse read again: its record before and after the edit. */
export interface RecordChange {
  readonly line: number;
  /** undefined: the line did not exist before. */
  readonly before: LineRecord | undefined;
  readonly after: LineRecord;
}

/** An edit as the incremental parse saw it. */
export interface TraceEdit {
  /** The lines read again, ascending. */
  readonly changes: readonly RecordChange[];
  /** Lines of the edited trace. */
  readonly lineCount: number;
  /** The record of any line of the edited trace. */
  readonly recordAt: (line: number) => LineRecord | undefined;
}

export interface SegmentUpdate {
  /**
   * The new segments by index; every other segment is as before. Not written
   * into the previous parse's array: the edit may still turn out to need a
   * whole analysis, which starts from that parse.
   */
  readonly patch: ReadonlyMap<number, Segment>;
  /** Indices of the segments that changed, ascending. */
  readonly changed: readonly number[];
}

/**
 * The re-analysis of an edit reads the segments of the connections it follows
 * from a sparse array of just those (and writes their analyses into another),
 * unless they are more than this share of the trace: then arrays of the
 * trace's length are faster (a sparse array is a hash table).
 */
export const SPARSE_SHARE = 1 / 16;

/**
 * Edits that re-read more lines than this are analysed from scratch: comparing
 * them one by one would cost about as much (a paste over the whole file).
 */
const MAX_CHANGED_LINES = 4096;

/** The segments of the edited trace, or undefined when it takes normalizing everything. */
export function updateSegments(previous: Analysed, edit: TraceEdit): SegmentUpdate | undefined {
  const prev = previous.parsed;
  if (edit.lineCount !== prev.lineCount || edit.changes.length > MAX_CHANGED_LINES) return undefined;
  const segs = prev.segments;
  const patch = new Map<number, Segment>();
  const changed: number[] = [];
  /** Segments whose new seq, ack or flags move the absolute numbers of their 4-tuple. */
  const renumber: number[] = [];
  for (const { line, before, after } of edit.changes) {
    if (before === after) continue;
    if (before === undefined || before.kind !== after.kind) return undefined;
    if (after.kind === 'continuation') continue;
    if (after.kind === 'skip') {
      if (before.kind !== 'skip' || before.endsPacket !== after.endsPacket) return undefined;
      continue;
    }
    if (after.kind !== 'packet' || before.kind !== 'packet') return undefined;
    if (!samePlace(before, after)) return undefined;
    const local = sameNumbering(before, after);
    // The packet starts on its line, or on the line before in the -v two-line form.
    let i = segmentOnLine(segs, line);
    const twoLine = i < 0;
    if (twoLine) i = segmentOnLine(segs, line - 1);
    if (i < 0 || segs[i].endLine < line) return undefined;
    const time = sameTime(before, after)
      ? segs[i].time
      : newTime(segs[i], line, before, after, twoLine, edit);
    if (time === undefined) return undefined;
    patch.set(i, withRecord(segs[i], before, after, twoLine, time));
    changed.push(i);
    if (!local) renumber.push(i);
  }
  if (renumber.length > 0) {
    const again = renumberPairs(previous, edit, patch, renumber);
    if (again === undefined) return undefined;
    changed.push(...again);
  }
  const unique = [...new Set(changed)].sort((a, b) => a - b);
  return { patch, changed: unique };
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

/** Same place and endpoints, same kind of numbers and times: the normalizer's view of the line. */
function samePlace(a: PacketRecord, b: PacketRecord): boolean {
  // Not their `line` fields: records kept across edits that moved lines may carry old ones.
  return (
    a.format === b.format &&
    a.numbering === b.numbering &&
    a.timeKind === b.timeKind &&
    a.learnedTsMode === b.learnedTsMode &&
    sameEndpoint(a.src, b.src) &&
    sameEndpoint(a.dst, b.dst)
  );
}

function sameTime(a: PacketRecord, b: PacketRecord): boolean {
  return Object.is(a.timeValue, b.timeValue);
}

/** Nothing that moves the absolute numbers of the pair changed. */
function sameNumbering(a: PacketRecord, b: PacketRecord): boolean {
  return (
    a.flags === b.flags &&
    a.flagsKnown === b.flagsKnown &&
    a.printedSeq === b.printedSeq &&
    a.printedAck === b.printedAck &&
    sameSack(a.options.sack, b.options.sack)
  );
}

const DAY = 86400;

/**
 * The segment's time after its own timestamp changed, when no other segment's
 * time moves with it: absolute times, and times of day whose day rollover (a
 * time more than 12 hours before the previous one starts the next day) comes
 * out the same before and after. Delta and since-first times accumulate or
 * decide how the whole trace reads: undefined.
 */
function newTime(
  old: Segment,
  line: number,
  before: PacketRecord,
  after: PacketRecord,
  twoLine: boolean,
  edit: TraceEdit,
): number | null | undefined {
  if (twoLine || old.time === null) return undefined;
  if (after.timeKind === TimeKind.Absolute) return after.timeValue;
  if (after.timeKind !== TimeKind.TimeOfDay) return undefined;
  const previous = timeOfDayNear(edit, line, -1);
  const following = timeOfDayNear(edit, line, +1);
  if (previous === undefined || following === undefined) return undefined;
  const rollsBefore = (v: number): boolean => previous !== null && v < previous - DAY / 2;
  const rollsAfter = (v: number): boolean => following !== null && following < v - DAY / 2;
  if (rollsBefore(before.timeValue) !== rollsBefore(after.timeValue)) return undefined;
  if (rollsAfter(before.timeValue) !== rollsAfter(after.timeValue)) return undefined;
  // old.time = value + whole days; the normalizer adds the days the same way.
  const days = Math.round((old.time - before.timeValue) / DAY) * DAY;
  return after.timeValue + days;
}

/**
 * Time of day of the nearest packet before (-1) or after (+1) `line` that the
 * normalizer reads one from; null when there is none, undefined when an IPv4
 * -v header line comes first (whether it counts depends on the line after it).
 */
function timeOfDayNear(edit: TraceEdit, line: number, step: -1 | 1): number | null | undefined {
  for (let l = line + step; l >= 0 && l < edit.lineCount; l += step) {
    const r = edit.recordAt(l);
    if (r?.kind === 'ip-header') return undefined;
    if (r?.kind === 'packet' && r.timeKind === TimeKind.TimeOfDay) return r.timeValue;
  }
  return null;
}

/**
 * The same endpoint object: the parsers intern one per printed token, and the
 * normalizer's numbering goes by object (`.05015` and `.5015` are one port to the
 * connection table but two pairs to the numbering).
 */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a === b;
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
function withRecord(
  old: Segment,
  before: PacketRecord,
  after: PacketRecord,
  twoLine: boolean,
  time: number | null,
): Segment {
  // The normalizer keeps the record's options unless it turned relative SACK blocks absolute
  // (by value: `before` may have been read again from its line, see documents/incrementalParse.ts).
  const options: TcpOptions = sameSack(old.options.sack, before.options.sack)
    ? after.options
    : { ...after.options, sack: old.options.sack };
  let fields = after.fields;
  if (twoLine && old.fields !== before.fields) {
    fields = old.fields.slice(0, old.fields.length - before.fields.length).concat(after.fields);
  }
  const ip = twoLine ? old.ip : after.ip;
  const seq = after.flagsKnown ? old.seq : null;
  const ack = after.flagsKnown ? old.ack : null;
  return makeSegment(old.index, old.line, old.endLine, time, after, seq, ack, options, fields, ip);
}

// --- absolute numbers of a 4-tuple ------------------------------------------------------

/**
 * Replays the normalizer's numbering over every segment of the 4-tuples of
 * `renumber` (the bookkeeping is per address/port pair, so the rest of the
 * trace does not matter) and updates `patch` where the absolute seq, ack or
 * SACK blocks came out different. Returns the segments it changed; undefined
 * when the trace-wide choice between relative and absolute tcpdump numbers
 * could flip.
 */
function renumberPairs(
  previous: Analysed,
  edit: TraceEdit,
  patch: Map<number, Segment>,
  renumber: readonly number[],
): number[] | undefined {
  const relative = relativeNumbers(edit);
  if (relative === undefined) return undefined;
  const pairs = affectedConnections(previous.result, renumber);
  if (pairs === undefined) return undefined;
  const table = new PairTable();
  const drillTable = new PairTable();
  const abs: Absolute = { seq: null, ack: null, sack: undefined };
  const changed: number[] = [];
  const segs = previous.parsed.segments;
  for (const i of segmentsOf(pairs)) {
    const seg = patch.get(i) ?? segs[i];
    let r = edit.recordAt(seg.line);
    if (r?.kind === 'ip-header') r = edit.recordAt(seg.line + 1);
    if (r?.kind !== 'packet') return undefined;
    absoluteOf(r, relative, table, drillTable, abs);
    const seq = r.flagsKnown ? abs.seq : null;
    const ack = r.flagsKnown ? abs.ack : null;
    if (seg.seq === seq && seg.ack === ack && sameSack(seg.options.sack, abs.sack)) continue;
    const options: TcpOptions = abs.sack === r.options.sack ? r.options : { ...r.options, sack: abs.sack };
    const copy = copySegment(seg);
    copy.seq = seq;
    copy.ack = ack;
    copy.options = options;
    patch.set(i, copy);
    changed.push(i);
  }
  return changed;
}

/**
 * The first DECIDE_AFTER tcpdump packet records, the ones the normalizer decides
 * on, read one by one as the vote asks for them: it mostly settles after a few
 * dozen, and every record read here stays cached by the incremental parse.
 */
function* tcpdumpPackets(
  recordAt: (line: number) => LineRecord | undefined,
  lineCount: number,
): Generator<PacketRecord, void, void> {
  let count = 0;
  for (let line = 0; line < lineCount && count < DECIDE_AFTER; line++) {
    const r = recordAt(line);
    if (r?.kind === 'packet' && r.numbering === Numbering.Tcpdump) {
      count++;
      yield r;
    }
  }
}

/** Whether the normalizer reads the tcpdump numbers of these records as relative (see Normalizer.decide). */
export function printsRelative(
  recordAt: (line: number) => LineRecord | undefined,
  lineCount: number,
): boolean {
  return tcpdumpPrintsRelative(tcpdumpPackets(recordAt, lineCount));
}

/** Whether the normalizer reads tcpdump numbers as relative; undefined when the edit changed that. */
function relativeNumbers(edit: TraceEdit): boolean | undefined {
  const relative = printsRelative(edit.recordAt, edit.lineCount);
  if (edit.changes.length === 0) return relative;
  // The records the normalizer decided on before the edit: only the changed ones differ.
  const beforeByLine = new Map<number, LineRecord | undefined>();
  for (const c of edit.changes) beforeByLine.set(c.line, c.before);
  const then = (line: number): LineRecord | undefined =>
    beforeByLine.has(line) ? beforeByLine.get(line) : edit.recordAt(line);
  return printsRelative(then, edit.lineCount) === relative ? relative : undefined;
}

// --- 4-tuples ----------------------------------------------------------------------------

/**
 * Connection ids by 4-tuple, per result. An incremental result has the same
 * connections on the same 4-tuples as the one it came from (ids are kept), so
 * it inherits the table: built once after a whole analysis, not per edit. A
 * 4-tuple of one connection (nearly all) maps to its id, of several to their
 * ids: a one-id array per connection and keys built by concatenation (a tree of
 * strings each) made the table ~6 MB for the 25,000 connections of the 50 MB
 * bench trace.
 */
const idsByPair = new WeakMap<AnalysisResult, ReadonlyMap<string, number | readonly number[]>>();

/** The key of the 4-tuple of two endpoints, either way round (one flat string: join() makes it so). */
function pairKeyOf(x: Endpoint, y: Endpoint): string {
  const xFirst = x.host < y.host || (x.host === y.host && x.port <= y.port);
  return xFirst ? [x.host, x.port, y.host, y.port].join('|') : [y.host, y.port, x.host, x.port].join('|');
}

function pairKey(c: Connection): string {
  return pairKeyOf(c.client, c.server);
}

/** The ids (ascending) of the result's connections on the 4-tuple of `x` and `y`; undefined when none. */
export function connectionIdsOn(
  result: AnalysisResult,
  x: Endpoint,
  y: Endpoint,
): readonly number[] | undefined {
  const ids = pairTable(result).get(pairKeyOf(x, y));
  return typeof ids === 'number' ? [ids] : ids;
}

function pairTable(result: AnalysisResult): ReadonlyMap<string, number | readonly number[]> {
  let table = idsByPair.get(result);
  if (table === undefined) {
    const built = new Map<string, number | number[]>();
    const all = result.connections;
    for (let k = 0; k < all.length; k++) {
      const c = all[k];
      const key = pairKey(c);
      const ids = built.get(key);
      if (ids === undefined) built.set(key, c.id);
      else if (typeof ids === 'number') built.set(key, [ids, c.id]);
      else ids.push(c.id);
    }
    idsByPair.set(result, (table = built));
  }
  return table;
}

/** `next` has the connections of `previous` on the same 4-tuples (see idsByPair). */
export function inheritPairTable(previous: AnalysisResult, next: AnalysisResult): void {
  const table = idsByPair.get(previous);
  if (table !== undefined) idsByPair.set(next, table);
}

/** The previous connections on the 4-tuples of the given segments, by id; undefined when unknown. */
export function affectedConnections(
  prev: AnalysisResult,
  segments: readonly number[],
): Connection[] | undefined {
  const ids = new Set<number>();
  for (const i of segments) {
    const id = prev.perSegment.connectionOf(i);
    const conn = prev.connections[id];
    if (conn?.id !== id) return undefined;
    for (const other of connectionIdsOn(prev, conn.client, conn.server) ?? []) ids.add(other);
  }
  return [...ids].sort((a, b) => a - b).map((id) => prev.connections[id]!);
}

/** Every segment of the connections, ascending. */
export function segmentsOf(conns: readonly Connection[]): number[] {
  const all: number[] = [];
  for (const c of conns) for (const i of c.segments) all.push(i);
  return all.sort((a, b) => a - b);
}
