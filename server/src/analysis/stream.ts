// The analysis as segments arrive, for callers that need only connections and
// findings (the CLI's summary and SARIF output): push() each segment as the
// parser makes it, then finish(). Each segment is dropped once no later segment
// or final check can refer to it, so memory grows with the connections, not
// with the trace. The walk is analyzeInSteps' own (analyzeOne and finishWalkInSteps),
// so the connections and findings are the same as analyzeParsed() with
// `perSegment: false` gives for the same segments, except that the connections'
// lists of segment indices are empty (their counts are in c2s and s2c).
import type { AnalysisOptions, AnalysisResult, ParseResult, Segment, VantagePoint } from './model';
import { analyzeOne, finishWalkInSteps, newStep } from './analyze';
import { runToEnd } from './steps';
import { ConnectionTable } from './connections';
import { detectVantage, MAX_SCANNED, VantageVote } from './vantage';
import { KeptSegments } from './keptSegments';
import { SegmentAnalyses } from './segmentAnalyses';
import { CountedFindings, type FindingCounts } from './countedFindings';
import type { ConnTrack, PastSegment, PastSegments, Sink } from './track';

/** What the parser tells at its end (a ParseResult without its segments). */
export type ParseFacts = Omit<ParseResult, 'segments'>;

/** AnalysisOptions for a streaming analysis. */
export interface StreamOptions extends AnalysisOptions {
  /**
   * true: the findings are only counted (StreamedAnalysis.findingCounts, and
   * `diagnostics` is empty), for callers that show how many findings of each severity
   * each connection has, such as the CLI's summary: no object per finding is kept.
   * Default false.
   */
  readonly countFindings?: boolean;
}

/**
 * analyzeParsed()'s result without the segments (`segments` and `perSegment` are
 * empty, and so is every Connection's `segments`: a list of all the indices would
 * grow with the trace).
 */
export interface StreamedAnalysis extends AnalysisResult {
  /** How many segments were pushed. */
  readonly segmentCount: number;
  /**
   * With StreamOptions.countFindings: the counts of the findings analyzeParsed() gives
   * (parse errors too), which `diagnostics` then leaves out.
   */
  readonly findingCounts?: FindingCounts;
  /**
   * Replay mode only: the vote found the capture was taken at a client or server,
   * which the walk did not know: this result is void, analyse the segments again
   * with `vantage` set to this (which then gives analyzeParsed()'s result).
   */
  readonly replayWith?: 'client' | 'server';
}

/**
 * How to learn the vantage point when AnalysisOptions.vantage does not give it.
 * The walk depends on it only when it is `client` or `server` (segments the
 * capturing host sent), and the vote needs the first MAX_SCANNED segments.
 * - hold: keep those segments until the vote is done, then analyse them
 *   (bounded memory: MAX_SCANNED segments);
 * - replay: analyse at once as if the vantage were unknown, vote alongside, and
 *   ask the caller (StreamedAnalysis.replayWith) to start again in the rare case
 *   it was a client or server: for callers that can read their input twice.
 */
export type VantageMode = 'hold' | 'replay';

/**
 * The connection's pointers at its segments that move (isLive lists them; the first
 * segment and the SYNs stay live): a row of this many numbers per connection.
 */
const POINTERS = 4;

/**
 * The kept segments, and the one being walked: the passes may read that segment
 * itself (as `segs.at(index)`), which is kept only when a pointer stays at it.
 */
class WalkedSegments implements PastSegments {
  current: PastSegment | null = null;
  constructor(private readonly kept: KeptSegments) {}

  at(index: number): PastSegment {
    const current = this.current;
    return current !== null && current.index === index ? current : this.kept.at(index);
  }
}

export class StreamAnalyzer {
  /**
   * The segments still kept, by index: the one being walked and those its
   * connection's bookkeeping may point at. A parser's Segment is not kept itself:
   * it dies young, in the garbage collector's cheap young generation.
   */
  private readonly kept = new KeptSegments();
  private readonly walked = new WalkedSegments(this.kept);
  /** The first segments, held until the vantage point is known (null: known). */
  private held: Segment[] | null;
  private vantage: VantagePoint;
  private readonly table = new ConnectionTable();
  private readonly step = newStep();
  /**
   * Codes are disabled by comments anywhere in the trace, so the walk keeps every
   * finding and finish() drops the disabled ones (the same result: see finishWalkInSteps).
   */
  private readonly sink: Sink;
  /**
   * Per connection id, a row of the segments its moving pointers pointed at after
   * its latest segment (-1: none). A segment is dropped when the last pointer at
   * it moves on: no list of kept segments per connection to look through again.
   */
  private pointed = new Int32Array(POINTERS * 1024).fill(-1);
  private count = 0;

  /** Replay mode: the vote running beside the walk (null once MAX_SCANNED segments are in, or not voting). */
  private vote: VantageVote | null = null;
  /**
   * Replay mode: the vote's verdict once MAX_SCANNED segments are in. The vote's tables
   * (~0.6 MB on the 1M bench trace) are dropped then, not kept to the end of the walk.
   */
  private voted: VantagePoint | null = null;

  /** `options.perSegment` is ignored: a streaming analysis keeps no per-segment results. */
  constructor(
    private readonly options: StreamOptions = {},
    mode: VantageMode = 'hold',
  ) {
    this.sink = {
      findings: [],
      counted: options.countFindings === true ? new CountedFindings() : null,
      withdrawn: new Set(),
      perSegment: new SegmentAnalyses(0),
      keepPerSegment: false,
      keepSegmentLists: false,
      keepFindingText: options.findingText !== false,
      disabled: new Set(),
    };
    const given = options.vantage;
    const voting = given === undefined || given === 'unknown';
    this.held = voting && mode === 'hold' ? [] : null;
    if (voting && mode === 'replay') this.vote = new VantageVote();
    this.vantage = given ?? 'unknown';
  }

  /**
   * How many segments are kept now: the live ones (isLive) of every connection, and
   * those held for the vote. What a streamed analysis' memory grows with.
   */
  get keptCount(): number {
    return this.kept.size + (this.held?.length ?? 0);
  }

  /** The next segment of the trace: `segment.index` must count up from 0. */
  push(segment: Segment): void {
    this.count++;
    const held = this.held;
    if (held === null) {
      if (this.vote !== null) {
        this.vote.add(segment);
        if (this.count === MAX_SCANNED) {
          this.voted = this.vote.result().vantage;
          this.vote = null;
        }
      }
      this.walk(segment);
      return;
    }
    held.push(segment);
    // detectVantage() votes over the first MAX_SCANNED segments only.
    if (held.length >= MAX_SCANNED) this.decideVantage();
  }

  finish(parsed: ParseFacts): StreamedAnalysis {
    if (this.held !== null) this.decideVantage();
    let replayWith: StreamedAnalysis['replayWith'];
    const voted = this.voted ?? this.vote?.result().vantage;
    if (voted !== undefined) {
      // The walk ran as if unknown, which is what `middle` and `unknown` mean to it.
      this.vantage = voted;
      if (this.vantage === 'client' || this.vantage === 'server') replayWith = this.vantage;
    }
    const disabled = new Set<string>(parsed.disabledCodes);
    // All at once: a stream's caller (the CLI) has nothing to answer meanwhile.
    const { connections, findings, counts } = runToEnd(
      finishWalkInSteps(
        this.table,
        this.kept,
        this.sink,
        this.options,
        parsed.diagnostics,
        disabled,
        Number.MAX_SAFE_INTEGER,
      ),
    );
    return {
      format: parsed.format,
      lineCount: parsed.lineCount,
      segments: [],
      perSegment: new SegmentAnalyses(0),
      connections,
      diagnostics: findings,
      vantage: this.vantage,
      segmentCount: this.count,
      ...(counts === null ? {} : { findingCounts: counts }),
      ...(replayWith === undefined ? {} : { replayWith }),
    };
  }

  private decideVantage(): void {
    const held = this.held ?? [];
    this.held = null;
    this.vantage = detectVantage(held).vantage;
    for (const s of held) this.walk(s);
  }

  private walk(seg: Segment): void {
    const i = seg.index;
    const walked = this.walked;
    walked.current = seg;
    try {
      analyzeOne(this.step, seg, i, walked, this.table, this.sink, this.vantage);
    } catch {
      // The core never throws on user input; as in analyzeInSteps an internal slip costs
      // one segment (whose analysis only the per-segment results would show). It stays
      // kept: a pointer may have moved to it before the slip.
      walked.current = null;
      this.kept.put(seg);
      return;
    }
    walked.current = null;
    const conn = this.step.conn;
    // Most segments are read only while they are walked: the connection's bookkeeping
    // keeps the lines of its latest segments, not the segments.
    if (isLive(conn, i)) this.kept.put(seg);
    this.dropUnpointed(conn);
  }

  /**
   * Drops the segments of `conn` that its bookkeeping no longer points at: each
   * pointer that moved since its previous segment may have left the last
   * reference to a segment. Pointers only ever move to the segment being walked
   * (or to none), so a segment dropped here is never pointed at again.
   */
  private dropUnpointed(conn: ConnTrack): void {
    const at = POINTERS * conn.id;
    if (at + POINTERS > this.pointed.length) {
      const rows = new Int32Array(2 * this.pointed.length).fill(-1);
      rows.set(this.pointed);
      this.pointed = rows;
    }
    const row = this.pointed;
    // Compared here rather than in a helper per pointer: a call per pointer and segment cost more than the rest.
    if (row[at] !== conn.c2s.finIndex) this.repoint(conn, at, conn.c2s.finIndex);
    if (row[at + 1] !== conn.s2c.finIndex) this.repoint(conn, at + 1, conn.s2c.finIndex);
    if (row[at + 2] !== conn.resetIndex) this.repoint(conn, at + 2, conn.resetIndex);
    if (row[at + 3] !== conn.pendingChallenge) this.repoint(conn, at + 3, conn.pendingChallenge);
  }

  /** Pointer `at` of `conn`'s row moved to segment `now`: the segment it left may be dropped. */
  private repoint(conn: ConnTrack, at: number, now: number): void {
    const was = this.pointed[at];
    this.pointed[at] = now;
    // Consecutive segments from one side leave one segment behind by several pointers.
    if (was >= 0 && this.kept.has(was) && !isLive(conn, was)) this.kept.drop(was);
  }
}

/**
 * May a later segment or a final check read the connection's segment `j` (as
 * `segs.at(j)`)? Its first, its SYNs and SYN-ACKs (synIndex and synAckIndex among
 * them), its FINs, its reset and a pending challenge. Every other segment of it can
 * be dropped: of its latest segments (the last, each side's last, the duplicate ACKs'
 * origin) the bookkeeping keeps the lines that later findings name.
 */
export function isLive(conn: ConnTrack, j: number): boolean {
  if (
    j === conn.firstSegment ||
    j === conn.c2s.finIndex ||
    j === conn.s2c.finIndex ||
    j === conn.resetIndex ||
    j === conn.pendingChallenge
  )
    return true;
  // synSegments ascends.
  const syns = conn.synSegments;
  let lo = 0;
  let hi = syns.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (syns[mid] < j) lo = mid + 1;
    else hi = mid;
  }
  return lo < syns.length && syns[lo] === j;
}
