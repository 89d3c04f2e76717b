// Incremental re-analysis after an edit that kept every line where it was (the
// language server's common case: a few characters changed in a few lines).
//
// 1. Segments (incrementalSegments.ts): the packets on the re-read lines get
//    new Segments, and their 4-tuples new absolute numbers when seq, ack or
//    flags changed; anything else the normalizer carries from line to line
//    (times, packet boundaries, parse errors, directives) makes the caller
//    normalize everything.
// 2. Analysis: a connection depends only on the segments of its own 4-tuple, the
//    vantage point and the disabled codes, so the 4-tuples of the changed
//    segments are analysed again (all their incarnations) and spliced into the
//    previous result: per-segment analyses, connection summaries, findings. The
//    whole-trace checks decide when that is not enough: a change that could
//    move the vantage vote or a SYN-flood verdict, a connection that appears or
//    disappears, or a change of many lines at once.
//
// The result equals a from-scratch analysis of the edited text
// (test/lsp/incrementalAnalysis.test.ts checks it on every real capture).
import { analyzeConnectionsInSteps, type ConnectionsAnalysis } from './analyze';
import { floodInputOf } from './checks/synFlood';
import type { AnalysisOptions, AnalysisResult, Connection, Finding, ParseResult, Segment } from './model';
import { ACK, RST, SYN } from './model';
import { seqAdd } from './seq';
import { endpointIdsOf, MAX_SCANNED as VANTAGE_SCANNED, voteInSteps } from './vantage';
import { SegmentAnalyses } from './segmentAnalyses';
import {
  affectedConnections,
  inheritPairTable,
  sameEndpoint,
  segmentsOf,
  SPARSE_SHARE,
  updateSegments,
  type Analysed,
  type TraceEdit,
} from './incrementalSegments';

export type { Analysed, RecordChange, TraceEdit } from './incrementalSegments';
export type { LineWindow, WindowEdit } from './incrementalWindow';
export { reanalyseWindowInSteps } from './incrementalWindow';

/**
 * The parse and analysis of the edited trace, from the previous ones and the
 * lines read again. Yields every `stepSize` segments analysed; returns
 * undefined when the edit reaches beyond what can be spliced — then parse and
 * analyse from scratch.
 *
 * The result takes over the previous one's arrays: the last step (after the
 * last yield) writes the new segments, analyses and connections into them,
 * so an edit allocates what it changed, not a copy of every array (2.5 MB
 * each per version on the 50 MB bench trace, garbage the collector only
 * frees in a full collection). Until then — and when it returns undefined —
 * the previous parse and analysis are untouched: a whole analysis can start
 * from them.
 */
export function* reanalyseInSteps(
  previous: Analysed,
  edit: TraceEdit,
  options: AnalysisOptions = {},
  stepSize = 8192,
): Generator<void, Analysed | undefined, void> {
  const update = updateSegments(previous, edit);
  if (update === undefined) return undefined;
  const parsed = previous.parsed;
  const result =
    update.changed.length === 0
      ? { ...previous.result, lineCount: parsed.lineCount }
      : yield* updateAnalysis(previous, update.patch, update.changed, options, stepSize);
  if (result === undefined) return undefined;
  inheritPairTable(previous.result, result);
  return { parsed, result };
}

function* updateAnalysis(
  previous: Analysed,
  patch: ReadonlyMap<number, Segment>,
  changed: readonly number[],
  options: AnalysisOptions,
  stepSize: number,
): Generator<void, AnalysisResult | undefined, void> {
  const prev = previous.result;
  const segs = previous.parsed.segments;
  const perSegment = prev.perSegment;
  if (segs !== prev.segments || !(perSegment instanceof SegmentAnalyses)) return undefined;
  const now = (i: number): Segment => patch.get(i) ?? segs[i];
  // Every incarnation of the changed segments' 4-tuples.
  const affected = affectedConnections(prev, changed);
  if (affected === undefined) return undefined;
  const detected = options.vantage === undefined || options.vantage === 'unknown';
  if (detected) {
    // The vote reads the beginning of the trace; when a changed segment there says something
    // else to it, vote again (a pass over up to 200,000 segments, in steps: cheaper than a
    // whole analysis, though not free — see docs/benchmarks.md).
    const expected = handshakeAcks(affected, segs, now);
    const moved = changed.some((i) => i < VANTAGE_SCANNED && !sameVoteInputs(segs[i], now(i), expected));
    if (moved) {
      // The endpoint numbering is kept with the segments array, which every later version shares.
      const vote = yield* voteInSteps(segs.length, now, stepSize, endpointIdsOf(segs));
      if (vote.vantage !== prev.vantage) return undefined;
    }
  } else if (prev.vantage !== options.vantage) return undefined;
  // No limit on their size: a connection of most of the trace costs what the whole analysis
  // costs, and the normalizer's pass over every line is still saved.
  const indices = segmentsOf(affected);

  // The walk reads only the segments of the connections it follows (analyzeConnectionsInSteps):
  // a sparse array of those, the edited ones new, and a store of their analyses alone.
  const sparse = indices.length <= segs.length * SPARSE_SHARE;
  const view: Segment[] = sparse ? [] : new Array<Segment>(segs.length);
  for (const i of indices) view[i] = now(i);
  const analyses = SegmentAnalyses.forSegments(indices);

  const idByFirst = new Map<number, number>();
  for (const c of affected) idByFirst.set(c.segments[0], c.id);
  const idFor = (first: number): number | undefined => idByFirst.get(first);
  const parsed: ParseResult = { ...previous.parsed, segments: view };
  const after = yield* analyzeConnectionsInSteps(parsed, indices, prev.vantage, analyses, idFor, stepSize);
  if (after === undefined || after.tracks.length !== affected.length) return undefined;

  // SYN-flood verdicts weigh every attempt to a listener: they stand if the changed
  // connections are no attempts (their first segment is no pure SYN) or the same attempts.
  const pureSyn = (s: Segment): boolean => (s.flags & (SYN | ACK | RST)) === SYN;
  if (affected.some((c) => pureSyn(segs[c.segments[0]]) || pureSyn(view[c.segments[0]]))) {
    const scratch = SegmentAnalyses.forSegments(indices);
    const before = yield* analyzeConnectionsInSteps(
      previous.parsed,
      indices,
      prev.vantage,
      scratch,
      idFor,
      stepSize,
    );
    if (before === undefined || !sameFloodInputs(before, after, segs, view)) return undefined;
  }

  const ids = new Set(affected.map((c) => c.id));
  const kept = prev.diagnostics.filter(
    (f) => f.code === 'syn-flood' || f.connection === undefined || !ids.has(f.connection),
  );
  // Array.prototype.sort is stable: findings of one line keep the order the passes produced.
  const added = after.findings.slice().sort((a, b) => a.line - b.line);

  // Nothing yields from here on: the edit is written into the previous arrays (see reanalyseInSteps).
  const written = segs as Segment[];
  for (const [i, s] of patch) written[i] = s;
  for (const i of indices) perSegment.copy(i, analyses, i);
  const connections = prev.connections as Connection[];
  for (const c of after.connections) connections[c.id] = c;
  return {
    format: prev.format,
    lineCount: previous.parsed.lineCount,
    segments: segs,
    perSegment,
    connections,
    diagnostics: mergeByLine(kept, added),
    vantage: prev.vantage,
  };
}

/**
 * The acks that complete a handshake of the connections' 4-tuples (a SYN-ACK's seq + 1,
 * before and after the edit): the only acks of theirs the vantage vote compares.
 */
function handshakeAcks(
  conns: readonly Connection[],
  before: readonly Segment[],
  now: (i: number) => Segment,
): Set<number> {
  const acks = new Set<number>();
  for (const c of conns) {
    for (const i of c.segments) {
      for (const s of [before[i], now(i)]) {
        if ((s.flags & (SYN | ACK | RST)) === (SYN | ACK) && s.seq !== null) acks.add(seqAdd(s.seq, 1));
      }
    }
  }
  return acks;
}

/**
 * The vantage vote (VantageVote.add) reads the same of `a` and `b`: their flags, time,
 * endpoints, checksum and TTL; a SYN-ACK's seq; an ACK's ack, which it only compares
 * with the seq + 1 of a SYN-ACK of the same endpoints (`expected` holds those of the
 * edited 4-tuples). An ACK whose ack changed between two numbers that complete no
 * handshake (the common edit of an ack digit) leaves the vote as it was, and the pass
 * over the first 200,000 segments is saved.
 */
function sameVoteInputs(a: Segment, b: Segment, expected: ReadonlySet<number>): boolean {
  if (
    a.flags !== b.flags ||
    a.time !== b.time ||
    !sameEndpoint(a.src, b.src) ||
    !sameEndpoint(a.dst, b.dst) ||
    a.badChecksum !== b.badChecksum ||
    a.ip?.ttl !== b.ip?.ttl
  )
    return false;
  const kind = a.flags & (SYN | ACK | RST);
  if (kind === (SYN | ACK)) return a.seq === b.seq;
  if (kind !== ACK || a.ack === b.ack) return true;
  return !(a.ack !== null && expected.has(a.ack)) && !(b.ack !== null && expected.has(b.ack));
}

/** The changed connections give the SYN-flood check (evaluateSynFlood) the same inputs as before. */
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

/**
 * Where a finding comes in a whole analysis' list among those of its line: parse
 * errors first, then the walk's and the connection checks' findings, SYN floods
 * last (checked after every connection).
 */
function rank(f: Finding): number {
  return f.code === 'parse-error' ? 0 : f.code === 'syn-flood' ? 2 : 1;
}

/** Merges two line-sorted lists in the whole analysis' order; on a tie `kept` comes first. */
export function mergeByLine(kept: readonly Finding[], added: readonly Finding[]): Finding[] {
  const out = new Array<Finding>(kept.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < kept.length && j < added.length) {
    const a = added[j];
    const b = kept[i];
    const first = a.line < b.line || (a.line === b.line && rank(a) < rank(b));
    out[k++] = first ? added[j++] : kept[i++];
  }
  while (i < kept.length) out[k++] = kept[i++];
  while (j < added.length) out[k++] = added[j++];
  return out;
}
