// Incremental re-analysis after an edit that inserted or deleted lines, or that
// moved a segment to another 4-tuple (an address or port edit), or turned a line
// into a packet or a parse error: the edit is one window of lines, old lines
// [oldStart, oldEnd) became new lines [newStart, newEnd).
//
// 1. The segments from the last one that starts before the window up to the
//    first one that starts after it are made again from the new records (the
//    normalizer's rules, restricted to what needs no trace-wide state: packets
//    with absolute times or times of day, dump lines, skipped lines, parse
//    errors). Every 4-tuple they belong to, before or after, gets its absolute
//    numbers replayed (tcpdump prints them relative to the pair's first segment).
// 2. Those 4-tuples are analysed again (all their incarnations); every other
//    connection keeps its analysis. Segments, analyses, connections and findings
//    after the window move by the lines and segments the edit added or removed:
//    copies with the new numbers, and sentences that name a line renumbered
//    (state reasons when first read, finding messages at once).
// 3. The whole-trace checks decide when that is not enough, as for in-place
//    edits (incremental.ts): the vantage vote, SYN-flood verdicts, a connection
//    that appears or disappears, a directive, a delta time.
//
// The result equals a from-scratch analysis of the edited text
// (test/lsp/incrementalAnalysis.test.ts).
import { analyzeConnectionsInSteps } from './analyze';
import { floodInputOf } from './checks/synFlood';
import type {
  AnalysisOptions,
  AnalysisResult,
  Connection,
  Finding,
  ParseResult,
  RelatedLocation,
  Segment,
} from './model';
import { ACK, RST, SYN } from './model';
import { TimeKind, type LineRecord, type PacketRecord } from './parse';
import { absoluteOf, PairTable, type Absolute } from './parse/numbering';
import { copySegment, makeSegment, type MutableSegment } from './parse/segmentObject';
import { moveStoredSegment } from './parse/segmentStore';
import { moveLinesInText, type LineMove } from './lineMoves';
import { endpointIdsOf, MAX_SCANNED as VANTAGE_SCANNED, voteInSteps } from './vantage';
import { replaceRange } from './replaceRange';
import { SegmentAnalyses } from './segmentAnalyses';
import {
  connectionIdsOn,
  inheritPairTable,
  printsRelative,
  SPARSE_SHARE,
  type Analysed,
} from './incrementalSegments';
import { mergeByLine } from './incremental';

/** Old lines [oldStart, oldEnd) became new lines [newStart, newEnd); lines before are where they were. */
export interface LineWindow {
  readonly oldStart: number;
  readonly oldEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
  /** The records of old lines [oldStart, oldEnd), as the previous analysis read them. */
  readonly oldRecords: readonly LineRecord[];
}

export interface WindowEdit extends LineWindow {
  /** Lines of the edited trace. */
  readonly lineCount: number;
  /** The record of a line of the edited trace (go by the index, its `line` field may be old). */
  readonly recordAt: (line: number) => LineRecord | undefined;
}

/** Seconds in a day; the normalizer's day rollover (normalize.ts timeOf). */
const DAY = 86400;

/** First index whose segment starts at `line` or later. */
function firstAtOrAfter(segs: readonly Segment[], line: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segs[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Times the window may hold: they depend on no trace-wide decision. */
function plainTime(kind: TimeKind): boolean {
  return kind === TimeKind.Absolute || kind === TimeKind.TimeOfDay || kind === TimeKind.None;
}

/** Record kinds the window may hold (the others carry state across lines or change the whole trace). */
function plainRecord(r: LineRecord | undefined): boolean {
  if (r === undefined) return false;
  if (r.kind === 'packet') return plainTime(r.timeKind);
  return r.kind === 'continuation' || r.kind === 'skip' || r.kind === 'error';
}

/**
 * The parse and analysis of the edited trace from the previous ones; undefined
 * when the edit reaches beyond what can be spliced (then analyse from scratch).
 */
export function* reanalyseWindowInSteps(
  previous: Analysed,
  edit: WindowEdit,
  options: AnalysisOptions = {},
  stepSize = 8192,
): Generator<void, Analysed | undefined, void> {
  const prevParsed = previous.parsed;
  const prev = previous.result;
  const segs = prevParsed.segments;
  const { oldStart, oldEnd, newStart, newEnd } = edit;
  const dLine = newEnd - newStart - (oldEnd - oldStart);
  if (newStart !== oldStart || edit.lineCount !== prevParsed.lineCount + dLine) return undefined;
  const perSegment = prev.perSegment;
  if (!(perSegment instanceof SegmentAnalyses) || perSegment.length !== segs.length) return undefined;
  const mapLine = (line: number): number => (line >= oldEnd ? line + dLine : line);
  let timesOfDay = false;
  for (const r of edit.oldRecords) {
    if (!plainRecord(r)) return undefined;
    if (r.kind === 'packet' && r.timeKind === TimeKind.TimeOfDay) timesOfDay = true;
  }

  // --- 1. the segments around the window, made again -----------------------------------
  let k0 = firstAtOrAfter(segs, oldStart);
  // The segment before the window: dump lines in the window may now belong to it.
  if (k0 > 0) k0--;
  const k1 = firstAtOrAfter(segs, oldEnd);
  const from = k0 < k1 && segs[k0].line < oldStart ? segs[k0].line : oldStart;
  const toOld = k1 < segs.length ? segs[k1].line : prevParsed.lineCount;
  const to = toOld + dLine;
  if (from > 0 && edit.recordAt(from - 1)?.kind === 'ip-header') return undefined;

  // Times of day: the day rollover state before the window, from the segment before it.
  let lastTod = -1;
  let dayOffset = 0;
  if (k0 > 0) {
    const before = segs[k0 - 1];
    const r = edit.recordAt(before.line);
    if (r?.kind === 'packet' && r.timeKind === TimeKind.TimeOfDay && before.time !== null) {
      lastTod = r.timeValue;
      dayOffset = before.time - r.timeValue;
    }
  }
  const timeOf = (r: PacketRecord): number | null => {
    if (r.timeKind === TimeKind.Absolute) return r.timeValue;
    if (r.timeKind !== TimeKind.TimeOfDay) return null;
    timesOfDay = true;
    if (lastTod >= 0 && r.timeValue < lastTod - DAY / 2) dayOffset += DAY;
    lastTod = r.timeValue;
    return r.timeValue + dayOffset;
  };

  const made: MutableSegment[] = [];
  const errors: Finding[] = [];
  const formats = [0, 0, 0];
  let open: MutableSegment | null = null;
  for (let line = from; line < to; line++) {
    const r = edit.recordAt(line);
    if (!plainRecord(r)) return undefined;
    switch (r!.kind) {
      case 'packet': {
        const p = r as PacketRecord;
        const s = makeSegment(
          k0 + made.length,
          line,
          line,
          timeOf(p),
          p,
          null,
          null,
          p.options,
          p.fields,
          p.ip,
        );
        made.push(s);
        open = s;
        break;
      }
      case 'continuation':
        if (open !== null) open.endLine = line;
        break;
      case 'skip':
        if (r!.kind === 'skip' && r!.endsPacket) open = null;
        break;
      case 'error':
        if (r!.kind === 'error') {
          open = null;
          errors.push({
            code: 'parse-error',
            severity: 'error',
            message: r!.message,
            line,
            endLine: line,
            startChar: r!.start,
            endChar: r!.end,
            related: [],
          });
        }
        break;
    }
  }
  for (let i = k0; i < k1; i++) formats[formatSlot(segs[i])]--;
  for (const s of made) formats[formatSlot(s)]++;
  // The segment after the window keeps its time only if the day rollover comes out the same
  // (and nothing between the segment before the window and it read a time of day).
  if (timesOfDay && k0 > 0) {
    for (let line = segs[k0 - 1].endLine + 1; line < from; line++)
      if (!plainRecord(edit.recordAt(line))) return undefined;
  }
  if (timesOfDay && k1 < segs.length) {
    const r = edit.recordAt(to);
    if (r === undefined || (r.kind !== 'packet' && r.kind !== 'ip-header')) return undefined;
    if (r.timeKind !== TimeKind.TimeOfDay) return undefined;
    if (lastTod >= 0 && r.timeValue < lastTod - DAY / 2) dayOffset += DAY;
    if (r.timeValue + dayOffset !== segs[k1].time) return undefined;
  }
  const dSeg = made.length - (k1 - k0);
  // Which segments of the window are the same packets as before: the same from its
  // start on and from its end back (a line inserted or deleted between them).
  const pairs = Math.min(k1 - k0, made.length);
  let front = 0;
  while (front < pairs && samePacket(segs[k0 + front], made[front])) front++;
  let back = 0;
  while (back < pairs - front && samePacket(segs[k1 - 1 - back], made[made.length - 1 - back])) back++;
  /** Old segment index → new, or -1 for a segment of the window that is gone. */
  const oldToNew = (i: number): number => {
    if (i < k0) return i;
    if (i >= k1) return i + dSeg;
    if (i - k0 < front) return i;
    if (k1 - 1 - i < back) return i + dSeg;
    return -1;
  };

  // Every connection on the 4-tuples of the segments made again, before and after.
  const affectedIds = new Set<number>();
  const addPair = (s: Segment): boolean => {
    const ids = connectionIdsOn(prev, s.src, s.dst);
    if (ids === undefined) return false;
    for (const id of ids) affectedIds.add(id);
    return true;
  };
  for (let i = k0; i < k1; i++) if (!addPair(segs[i])) return undefined;
  // A segment on a 4-tuple without a connection would make a new one (ids move): from scratch.
  for (const s of made) if (!addPair(s)) return undefined;
  const affected: Connection[] = [];
  for (const id of [...affectedIds].sort((a, b) => a - b)) {
    const c = prev.connections[id];
    if (c?.id !== id) return undefined;
    affected.push(c);
  }

  const moved = dSeg !== 0 || dLine !== 0;
  const newLength = segs.length + dSeg;
  /** The segment at new index `n` that did not change (before the window, or after it, not yet moved). */
  const unchanged = (n: number): Segment => segs[n < k0 ? n : n - dSeg];

  // Every segment of the affected 4-tuples, in the new numbering, ascending.
  const indices: number[] = [];
  for (const c of affected) {
    for (const i of c.segments) {
      const n = oldToNew(i);
      if (n >= 0 && (n < k0 || n >= k0 + made.length)) indices.push(n);
    }
  }
  for (let j = 0; j < made.length; j++) indices.push(k0 + j);
  indices.sort((a, b) => a - b);

  // The affected segments in the new numbering: the window made again, the others moved
  // copies (those after the window) or as they were. The rest of the new trace is the old
  // arrays, written at the end (see the last step below). Sparse when they are few.
  const sparse = indices.length <= newLength * SPARSE_SHARE;
  const view: Segment[] = sparse ? [] : new Array<Segment>(newLength);
  for (const n of indices) {
    if (n >= k0 && n < k0 + made.length) view[n] = made[n - k0];
    else view[n] = n >= k0 && moved ? movedSegment(unchanged(n), dSeg, dLine) : unchanged(n);
  }
  /** The segment at new index `n` as the edited trace has it, for the vantage vote. */
  const segmentAt = (n: number): Segment => view[n] ?? unchanged(n);

  // Absolute numbers of the affected 4-tuples, replayed as the normalizer does.
  const relative = printsRelative(edit.recordAt, edit.lineCount);
  const oldRecordAt = (line: number): LineRecord | undefined =>
    line < oldStart
      ? edit.recordAt(line)
      : line < oldEnd
        ? edit.oldRecords[line - oldStart]
        : edit.recordAt(line + dLine);
  if (printsRelative(oldRecordAt, prevParsed.lineCount) !== relative) return undefined;
  const tcpdumpTable = new PairTable();
  const drillTable = new PairTable();
  const abs: Absolute = { seq: null, ack: null, sack: undefined };
  let renumbered = false;
  for (const i of indices) {
    const seg = view[i];
    let r = edit.recordAt(seg.line);
    if (r?.kind === 'ip-header') r = edit.recordAt(seg.line + 1);
    if (r?.kind !== 'packet') return undefined;
    absoluteOf(r, relative, tcpdumpTable, drillTable, abs);
    const seq = r.flagsKnown ? abs.seq : null;
    const ack = r.flagsKnown ? abs.ack : null;
    const sack = abs.sack;
    if (i >= k0 && i < k0 + made.length) {
      const s = made[i - k0];
      s.seq = seq;
      s.ack = ack;
      if (sack !== r.options.sack) s.options = { ...r.options, sack };
      continue;
    }
    if (seg.seq === seq && seg.ack === ack && sameSack(seg.options.sack, sack)) continue;
    const copy = copySegment(seg);
    copy.seq = seq;
    copy.ack = ack;
    copy.options = sack === r.options.sack ? r.options : { ...r.options, sack };
    view[i] = copy;
    renumbered = true;
  }

  const parseErrors = movedFindings(prevParsed.diagnostics, from, toOld, mapLine);
  const parsed: ParseResult = {
    format: formats.every((d) => d === 0) ? prevParsed.format : formatOf(segs, k0, k1, made),
    lineCount: edit.lineCount,
    // The previous array, the edit written into it at the end.
    segments: segs,
    diagnostics: mergeByLine(parseErrors, errors),
    disabledCodes: prevParsed.disabledCodes,
  };

  // --- 2. the analysis ---------------------------------------------------------------
  const detected = options.vantage === undefined || options.vantage === 'unknown';
  if (detected) {
    const windowMoved =
      k0 < VANTAGE_SCANNED &&
      (dSeg !== 0 || made.some((s, j) => !sameVantageInputs(segs[k0 + j], s)) || renumbered);
    if (windowMoved) {
      // The endpoint numbering kept with the segments array (as in incremental.ts).
      const vote = yield* voteInSteps(newLength, segmentAt, stepSize, endpointIdsOf(segs));
      if (vote.vantage !== prev.vantage) return undefined;
    }
  } else if (prev.vantage !== options.vantage) return undefined;

  const idByFirst = new Map<number, number>();
  for (const c of affected) {
    const first = oldToNew(c.segments[0]);
    if (first >= 0) idByFirst.set(first, c.id);
  }
  const idFor = (first: number): number | undefined => idByFirst.get(first);

  // Connections around the window: sentences of their earlier segments may name later lines.
  // Every loop over all segments, connections or findings is in a function of its own (see
  // spanningIds): this generator's body then runs a few hundred bytecodes per edit and V8
  // never optimises it. It did when the loops were here: with everything inlined it took
  // 80-200 ms of the compiler per attempt, deoptimised at its next resume ("wrong map") and
  // was compiled again, 6 times over the bench's 30 line breaks; the compiler's memory for
  // it raised the server's peak RSS by 15-25 MB on the 50 MB bench trace.
  const spanning = dLine === 0 ? new Set<number>() : spanningIds(prev.connections, k0, k1, affectedIds);
  const move: LineMove = { from: oldEnd, by: dLine };
  const mapText = (text: string): string => moveLinesInText(text, [move]);
  // The walk reads only the segments of the connections it follows (analyzeConnectionsInSteps).
  const analyses = SegmentAnalyses.forSegments(indices);
  const walked: ParseResult = { ...parsed, segments: view };
  const now = yield* analyzeConnectionsInSteps(walked, indices, prev.vantage, analyses, idFor, stepSize);
  if (now === undefined || now.tracks.length !== affected.length) return undefined;
  // Ids go by first segment: the re-analysed connections must still come in the same order.
  const firstOf = new Map<number, number>();
  for (const c of now.connections) firstOf.set(c.id, c.segments[0]);
  const newFirst = (id: number): number => firstOf.get(id) ?? oldToNew(prev.connections[id].segments[0]);
  for (const c of now.connections) {
    if (!affectedIds.has(c.id)) return undefined;
    if (c.id > 0 && newFirst(c.id - 1) >= c.segments[0]) return undefined;
    if (c.id + 1 < prev.connections.length && newFirst(c.id + 1) <= c.segments[0]) return undefined;
  }

  // SYN-flood verdicts stand if the changed connections give the check the same inputs.
  const pureSyn = (s: Segment): boolean => (s.flags & (SYN | ACK | RST)) === SYN;
  if (
    affected.some((c) => pureSyn(segs[c.segments[0]])) ||
    now.connections.some((c) => pureSyn(view[c.segments[0]]))
  ) {
    const oldIndices = affected.flatMap((c) => c.segments as number[]).sort((a, b) => a - b);
    const oldIdByFirst = new Map<number, number>();
    for (const c of affected) oldIdByFirst.set(c.segments[0], c.id);
    const scratch = SegmentAnalyses.forSegments(oldIndices);
    const before = yield* analyzeConnectionsInSteps(
      prevParsed,
      oldIndices,
      prev.vantage,
      scratch,
      (first) => oldIdByFirst.get(first),
      stepSize,
    );
    if (before === undefined) return undefined;
    const oldPlace = (syn: Pick<Segment, 'index' | 'line'>): string => {
      const n = oldToNew(syn.index);
      return n < 0 ? `window ${syn.index}` : `${n}|${mapLine(syn.line)}`;
    };
    const was = new Map<number, string>();
    for (const t of before.tracks) was.set(t.id, floodInputOf(t, segs, oldPlace));
    if (!now.tracks.every((t) => was.get(t.id) === floodInputOf(t, view))) return undefined;
  }

  const movedFinding = moved ? findingMover(mapLine, oldToNew, mapText, oldEnd, k1, spanning) : null;
  const kept = keptFindings(prev.diagnostics, affectedIds, movedFinding);
  const added = now.findings.slice().sort((a, b) => a.line - b.line);
  const disabled = new Set<string>(parsed.disabledCodes);
  const parseShown = parsed.diagnostics.filter((f) => !disabled.has(f.code));

  // --- 3. the edit written into the previous arrays -----------------------------------------
  // From here on nothing yields: the previous analysis' arrays, segments, analyses and
  // connections become this one's (the previous one is replaced, not used again). Until
  // here they were only read, so a newer version may still start from them.
  const segments = segs as Segment[];
  replaceRange(segments, k0, k1 - k0, made);
  // The window's analyses are among those of `indices`, written below.
  perSegment.replaceRange(k0, k1 - k0, made.length);
  const moveIndex = dSeg === 0 ? null : oldToNew;
  const moveInferences = dLine === 0 ? null : move;
  if (moved) {
    moveAfterWindow(
      segments,
      perSegment,
      view,
      k0 + made.length,
      newLength,
      dSeg,
      dLine,
      moveIndex,
      moveInferences,
    );
    moveSpanning(prev.connections, spanning, k0, perSegment, moveInferences);
  }
  for (const n of indices) {
    segments[n] = view[n];
    perSegment.copy(n, analyses, n);
  }
  const connections = prev.connections as Connection[];
  if (moved) moveConnections(connections, affectedIds, k1, oldToNew, mapLine);
  for (const c of now.connections) connections[c.id] = c;
  const result: AnalysisResult = {
    format: parsed.format,
    lineCount: parsed.lineCount,
    segments,
    perSegment,
    connections,
    diagnostics: mergeByLine(mergeByLine(kept, added), parseShown),
    vantage: prev.vantage,
  };
  // The same connections on the same 4-tuples, with the same ids.
  inheritPairTable(prev, result);
  return { parsed, result };
}

/** Ids of the connections not analysed again with segments before the window and after it. */
function spanningIds(
  connections: readonly Connection[],
  k0: number,
  k1: number,
  affectedIds: ReadonlySet<number>,
): Set<number> {
  const spanning = new Set<number>();
  for (let k = 0; k < connections.length; k++) {
    const c = connections[k];
    if (c.segments[0] < k0 && c.segments[c.segments.length - 1] >= k1 && !affectedIds.has(c.id))
      spanning.add(c.id);
  }
  return spanning;
}

/**
 * The previous findings that stand, moved by `mover` when lines or segments moved: not
 * the parse errors (the new parse has its own) nor those of the connections analysed again.
 */
function keptFindings(
  findings: readonly Finding[],
  affectedIds: ReadonlySet<number>,
  mover: ((f: Finding) => Finding) | null,
): Finding[] {
  const kept: Finding[] = [];
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k];
    if (f.code === 'parse-error' && f.connection === undefined) continue;
    if (f.code !== 'syn-flood' && f.connection !== undefined && affectedIds.has(f.connection)) continue;
    kept.push(mover === null ? f : mover(f));
  }
  return kept;
}

/** The segments and analyses in [start, end) that were not analysed again (`view` has none), moved in place. */
function moveAfterWindow(
  segments: readonly Segment[],
  perSegment: SegmentAnalyses,
  view: readonly Segment[],
  start: number,
  end: number,
  dSeg: number,
  dLine: number,
  moveIndex: ((old: number) => number) | null,
  lines: LineMove | null,
): void {
  for (let n = start; n < end; n++) {
    if (view[n] !== undefined) continue;
    moveSegment(segments[n] as MutableSegment, dSeg, dLine);
    perSegment.move(n, moveIndex, lines);
  }
}

/** The analyses of the spanning connections' segments before the window: their sentences may name moved lines. */
function moveSpanning(
  connections: readonly Connection[],
  spanning: ReadonlySet<number>,
  k0: number,
  perSegment: SegmentAnalyses,
  lines: LineMove | null,
): void {
  for (const id of spanning) {
    const segments = connections[id].segments;
    for (let k = 0; k < segments.length; k++) {
      if (segments[k] < k0) perSegment.move(segments[k], null, lines);
    }
  }
}

/** The connections not analysed again that reach past the window, moved in place. */
function moveConnections(
  connections: readonly Connection[],
  affectedIds: ReadonlySet<number>,
  k1: number,
  oldToNew: (i: number) => number,
  mapLine: (line: number) => number,
): void {
  for (let k = 0; k < connections.length; k++) {
    const c = connections[k];
    if (!affectedIds.has(c.id) && c.segments[c.segments.length - 1] >= k1)
      moveConnection(c, oldToNew, mapLine);
  }
}

function formatSlot(s: Segment): number {
  return s.format === 'tcpdump' ? 0 : s.format === 'tshark' ? 1 : 2;
}

/** The trace's format: the most frequent among its segments (the normalizer counts them the same way). */
function formatOf(
  segs: readonly Segment[],
  k0: number,
  k1: number,
  made: readonly Segment[],
): ParseResult['format'] {
  const c = [0, 0, 0];
  for (let i = 0; i < k0; i++) c[formatSlot(segs[i])]++;
  for (const s of made) c[formatSlot(s)]++;
  for (let i = k1; i < segs.length; i++) c[formatSlot(segs[i])]++;
  const best = Math.max(c[0], c[1], c[2]);
  if (best === 0) return 'unknown';
  return best === c[0] ? 'tcpdump' : best === c[1] ? 'tshark' : 'packetdrill';
}

function movedSegment(s: Segment, dSeg: number, dLine: number): Segment {
  const m = copySegment(s);
  moveSegment(m, dSeg, dLine);
  return m;
}

/**
 * A segment after the window, in place. No closure here: one capturing `dLine` made
 * V8 allocate a context on every call (~40 bytes per moved segment, ~7 MB per line
 * break on the 50 MB bench trace), used or not.
 */
function moveSegment(s: MutableSegment, dSeg: number, dLine: number): void {
  if (!moveStoredSegment(s, dSeg, dLine)) {
    s.index += dSeg;
    s.line += dLine;
    s.endLine += dLine;
  }
  if (dLine !== 0 && s.fields.length > 0) s.fields = movedFields(s.fields, dLine);
}

function movedFields(fields: Segment['fields'], dLine: number): Segment['fields'] {
  return fields.map((f) => ({ ...f, line: f.line + dLine }));
}

function moveConnection(
  c: Connection,
  oldToNew: (i: number) => number,
  mapLine: (line: number) => number,
): void {
  const m = c as { -readonly [K in keyof Connection]: Connection[K] };
  if (oldToNew(c.segments[c.segments.length - 1]) !== c.segments[c.segments.length - 1]) {
    const segments = c.segments as number[];
    for (let k = 0; k < segments.length; k++) segments[k] = oldToNew(segments[k]);
  }
  m.firstLine = mapLine(c.firstLine);
  m.lastLine = mapLine(c.lastLine);
}

/** Parse findings of the previous parse outside lines [from, to), moved. */
function movedFindings(
  findings: readonly Finding[],
  from: number,
  to: number,
  mapLine: (line: number) => number,
): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.line >= from && f.line < to) continue;
    out.push(f.line === mapLine(f.line) ? f : { ...f, line: mapLine(f.line), endLine: mapLine(f.endLine) });
  }
  return out;
}

/** A finding of a connection the edit did not touch, with its lines, segments and sentence moved. */
function findingMover(
  mapLine: (line: number) => number,
  oldToNew: (i: number) => number,
  mapText: (text: string) => string,
  oldEnd: number,
  k1: number,
  spanning: ReadonlySet<number>,
): (f: Finding) => Finding {
  const after = (line: number, segment: number | undefined): boolean =>
    line >= oldEnd || (segment !== undefined && segment >= k1);
  return (f) => {
    const around = f.connection !== undefined && spanning.has(f.connection);
    if (
      !around &&
      !after(f.line, f.segment) &&
      !after(f.endLine, undefined) &&
      !f.related.some((r) => after(r.line, r.segment))
    )
      return f;
    const moved: { -readonly [K in keyof Finding]: Finding[K] } = {
      ...f,
      message: mapText(f.message),
      line: mapLine(f.line),
      endLine: mapLine(f.endLine),
      related: f.related.map((r): RelatedLocation => ({
        ...r,
        line: mapLine(r.line),
        ...(r.segment === undefined ? {} : { segment: oldToNew(r.segment) }),
        message: mapText(r.message),
      })),
    };
    if (f.segment !== undefined) moved.segment = oldToNew(f.segment);
    const original = f.details?.originalLine;
    if (typeof original === 'number')
      moved.details = { ...f.details, originalLine: mapLine(original - 1) + 1 };
    return moved;
  };
}

/** The same packet as printed (the window's segments that stayed, to keep their connections' ids). */
function samePacket(a: Segment, b: Segment): boolean {
  return (
    a.src === b.src &&
    a.dst === b.dst &&
    a.flags === b.flags &&
    a.printedSeq === b.printedSeq &&
    a.printedAck === b.printedAck &&
    a.len === b.len &&
    a.time === b.time
  );
}

function sameSack(a: PacketRecord['options']['sack'], b: PacketRecord['options']['sack']): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((x, k) => x.left === b[k].left && x.right === b[k].right);
}

/** What detectVantage() reads of a segment (incremental.ts has the same test for in-place edits). */
function sameVantageInputs(a: Segment, b: Segment): boolean {
  return (
    a.flags === b.flags &&
    a.time === b.time &&
    a.seq === b.seq &&
    a.ack === b.ack &&
    a.src.host === b.src.host &&
    a.src.port === b.src.port &&
    a.dst.host === b.dst.host &&
    a.dst.port === b.dst.port &&
    a.badChecksum === b.badChecksum &&
    a.ip?.ttl === b.ip?.ttl
  );
}
