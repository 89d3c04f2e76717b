// Mutable per-connection bookkeeping used while the passes walk the trace once.
// Internal to the analysis core: the public result is built from it in summary.ts.
// The passes reach earlier segments (PastSegments.at) only through the indices that
// isLive() in stream.ts lists (the streaming analysis keeps just those):
// a pass that reads another earlier segment must add its index there. Those indices
// may only ever be set to the segment being walked (or to none): the streaming
// analysis drops a segment when the last of them moves off it (dropUnpointed).
// Of the latest segments, which move on with almost every segment, the bookkeeping
// keeps the lines that later findings name (lastLine, lastSentLine, dupOfLine):
// keeping each segment until its successor came cost more than the rest of the
// streaming analysis' bookkeeping.
import type { Confidence, Endpoint, Finding, Segment, TcpState } from './model';
import type { SegmentAnalyses } from './segmentAnalyses';
import { NO_INTS, NO_TIMES, type AdvancePool, type AdvanceRun } from './advances';
import type { CountedFindings } from './countedFindings';

/**
 * What the passes read of an earlier segment (as `segs.at(j)`): a streaming analysis
 * keeps just this of the segments it still needs (stream.ts).
 */
export type PastSegment = Pick<
  Segment,
  'index' | 'line' | 'endLine' | 'time' | 'src' | 'flags' | 'seq' | 'ack' | 'len'
>;

/**
 * The earlier segments the passes read, by index: a whole analysis has them all,
 * a streaming one only those isLive() in stream.ts lists.
 */
export interface PastSegments {
  at(index: number): PastSegment;
}

/** PastSegments over an array of the trace's segments by index. */
export function pastOf(segs: readonly PastSegment[]): PastSegments {
  return { at: (index) => segs[index] };
}

/** Bits remembered about the last segment of a direction (Wireshark's lastsegmentflags). */
export const LAST_KEEP_ALIVE = 1;
export const LAST_ZERO_WINDOW_PROBE = 2;

/**
 * One direction of a connection, seen from its sender. As an AdvanceRun it holds
 * the segments that advanced nextSeq, in order (advances.ts): their relative start
 * and end (exclusive), index, line and time; line and time let a retransmission
 * name its original without the Segment (a streaming analysis has dropped it).
 */
export interface DirTrack extends AdvanceRun {
  /** ISN from this side's SYN (or SYN-ACK), null until seen. */
  isn: number | null;
  /** Index of the latest SYN (or SYN-ACK) this side sent, -1 if none. */
  synIndex: number;
  synCount: number;
  /** Sequence base for relative numbers (ISN, or first seq - 1 as Wireshark). */
  base: number | null;
  /** Highest seq+len(+SYN/FIN) sent; valid when hasNext. */
  nextSeq: number;
  hasNext: boolean;
  /** When nextSeq last moved; NaN when that segment had no time (see NO_TIME). */
  nextSeqTime: number;
  /** Last ack / window this side sent. */
  lastAck: number;
  hasAck: boolean;
  /** When lastAck was last sent; NaN when that segment had no time (see NO_TIME). */
  lastAckTime: number;
  window: number | null;
  /** Window scale from this side's SYN: -1 unknown, -2 not offered (no scaling). */
  winScale: number;
  lastFlags: number;
  dupAcks: number;
  /** Index of the segment the duplicate ACKs repeat, and its line (the segment itself is not kept). */
  dupOf: number;
  dupOfLine: number;
  /** Sequence number of this side's FIN and the segment carrying it. */
  finSeq: number | null;
  finIndex: number;
  segments: number;
  bytes: number;
  retransmissions: number;
  /** Zeek history letters already emitted once per direction. */
  histOnce: number;
  /** Log-10 counters for Zeek's c/g/t/w letters. */
  histT: number;
  histG: number;
  histW: number;
  histC: number;
  /** An acked-unseen finding from the peer about this direction, withdrawn if the data shows up late. */
  unseenAckFinding: number;
  unseenAckIndex: number;
  /**
   * The ack of that finding as a signed 32-bit integer (ack | 0): seq.ts compares it
   * modulo 2^32 all the same, and a small integer takes no 16-byte box in each direction
   * (a sequence number above 2^31 made the field a double).
   */
  unseenAck: number;
  /** Index of this side's last segment, and of its last one that used sequence space (data, SYN, FIN). */
  lastIndex: number;
  lastSpanIndex: number;
  /**
   * Index of this side's latest segment of any kind (also those without known flags),
   * and its position among the connection's segments.
   */
  lastSent: number;
  lastSentAt: number;
  /** The line of lastSent (the segment itself is not kept). */
  lastSentLine: number;
  /** Zeek endpoint state of this side (what it sent): see summary.ts. */
  zeek: number;
  /**
   * Last sequence number for which Zeek history letters s/h/f/r were written, minus 2^31
   * (a small integer: see summary.ts); null: none yet, or the segment showed none.
   */
  histSyn: number | null;
  histFin: number | null;
  histRst: number | null;
}

/**
 * The sequence numbers' first value: -0 is a number like 0 to every comparison and to
 * seq.ts, but not a small integer, so V8 gives the fields their final (double) kind at
 * once. Starting as 0, the first number past 2^31 changed the kind mid-walk, replacing
 * the map of every direction and undoing the optimised code of every pass.
 */
const NO_SEQ = -0;

/**
 * A time the trace did not give (a segment without a timestamp, or none seen yet). The
 * walk's time fields hold NaN rather than null: a number field stays a double that V8
 * overwrites in place, where a `number | null` field takes each segment's boxed time,
 * a young object stored into an old one (a write barrier, and work for the scavenger).
 */
export const NO_TIME = NaN;

/** The synSegments of a connection without SYNs yet (never pushed to). */
export const NO_SYNS: number[] = Object.freeze([]) as unknown as number[];

export function newDir(pool: AdvancePool): DirTrack {
  return {
    pool,
    advInts: NO_INTS,
    advTimes: NO_TIMES,
    advChunk: -1,
    advAt: 0,
    advSize: 0,
    advClass: -1,
    advCount: 0,
    isn: null,
    synIndex: -1,
    synCount: 0,
    base: null,
    nextSeq: NO_SEQ,
    hasNext: false,
    nextSeqTime: NO_TIME,
    lastAck: NO_SEQ,
    hasAck: false,
    lastAckTime: NO_TIME,
    window: null,
    winScale: -1,
    lastFlags: 0,
    dupAcks: 0,
    dupOf: -1,
    dupOfLine: -1,
    finSeq: null,
    finIndex: -1,
    segments: 0,
    bytes: 0,
    retransmissions: 0,
    histOnce: 0,
    histT: 0,
    histG: 0,
    histW: 0,
    histC: 0,
    unseenAckFinding: -1,
    unseenAckIndex: -1,
    unseenAck: 0,
    lastIndex: -1,
    lastSpanIndex: -1,
    lastSent: -1,
    lastSentAt: -1,
    lastSentLine: -1,
    zeek: 0,
    histSyn: null,
    histFin: null,
    histRst: null,
  };
}

/** What one endpoint is believed to be doing: its latest state inference (state.ts). */
export interface EndTrack {
  state: TcpState | null;
  confidence: Confidence;
  rule: string;
  /**
   * The inference's row in the sink's per-segment rows (SegmentAnalyses.rows), which
   * keep its sentence; -1: none (nothing shown yet, or no per-segment results kept).
   */
  row: number;
  /** The endpoint entered SYN_RECV from LISTEN (passive open), so a RST takes it back to LISTEN. */
  passive: boolean;
  /** The endpoint has seen the handshake complete (synchronized state). */
  synchronized: boolean;
}

export interface ConnTrack {
  id: number;
  client: Endpoint;
  server: Endpoint;
  /** Client and server are the same socket (self-connect). */
  self: boolean;
  c2s: DirTrack;
  s2c: DirTrack;
  cEnd: EndTrack;
  sEnd: EndTrack;
  /**
   * Its segments' indices in trace order: the first and last entries of its list in the
   * table's SegmentLists (-1: none; none either when Sink.keepSegmentLists is off).
   */
  segmentsHead: number;
  segmentsTail: number;
  /** Its first and latest segment, and how many it has. */
  firstSegment: number;
  /** The first segment's line. */
  firstLine: number;
  lastSegment: number;
  /** The latest segment's first and last line (that segment itself is not kept). */
  lastLine: number;
  lastEndLine: number;
  segmentCount: number;
  /**
   * Indices of its segments with the SYN flag (SYNs and SYN-ACKs), in order. Until the
   * first, the shared empty NO_SYNS (frozen): addSyn() in analyze.ts makes its own array.
   */
  synSegments: number[];
  /** The time of its first and latest segment that had one; NaN: none yet (see NO_TIME). */
  firstTime: number;
  lastTime: number;
  /** Index of the SYN-ACK, of the ACK completing the handshake, -1 if none. */
  synAckIndex: number;
  establishedIndex: number;
  /** Handshake RTT (Wireshark's iRTT): SYN to the ACK completing it. */
  irtt: number | null;
  /** The first segment seen was a pure SYN from the client. */
  sawSyn: boolean;
  simultaneous: boolean;
  refused: boolean;
  /** Index of the RST that ended the connection, -1 if none. */
  resetIndex: number;
  completeness: number;
  history: string;
  /** The client changed ISN on an unanswered attempt. */
  isnChanged: boolean;
  /** Handshake-incomplete already reported. */
  closedByFin: boolean;
  /** The first segment was the SYN-ACK: Zeek's '^' (direction flipped). */
  flipped: boolean;
  /** A RST or SYN that a RFC 5961 stack answers with a challenge ACK, -1 if none pending. */
  pendingChallenge: number;
  /** A later connection on the same 4-tuple (port reuse) took its place in the connection table. */
  replaced: boolean;
}

/** Step data shared by the passes for the segment being analysed (one reused object). */
export interface Step {
  index: number;
  conn: ConnTrack;
  c2s: boolean;
  fwd: DirTrack;
  rev: DirTrack;
  sender: EndTrack;
  receiver: EndTrack;
  /** seq as printed or inferred (pure ACKs print none: the sender's next sequence number). */
  seq: number | null;
  /** The segment's sequence-space length: payload + SYN + FIN. */
  span: number;
  /** The segment's time; NaN when it has none (see NO_TIME). */
  time: number;
  /** Analysis flags set on this segment (codes), collected by the passes. */
  codes: import('./model').DiagnosticCode[];
  /** Segment this one retransmits / acknowledges, -1 when none. */
  original: number;
  acknowledges: number;
  /** Local host of the capture sent this segment (from the vantage point). */
  sentByVantage: boolean | null;
  /** States before this segment (for the checks that run after the state pass). */
  senderBefore: import('./model').TcpState | null;
  receiverBefore: import('./model').TcpState | null;
}

export interface Sink {
  /** The findings made (empty when `counted` takes them). */
  findings: Finding[];
  /**
   * Not null: the findings are only counted, kept there instead of in `findings` (a
   * streaming analysis for the CLI's summary); read them back with findingCount,
   * findingCode and findingSegment (findings.ts).
   */
  counted: CountedFindings | null;
  /** Numbers of findings (their indices in findings) withdrawn by later evidence (dropped at the end). */
  withdrawn: Set<number>;
  perSegment: SegmentAnalyses;
  /** false: perSegment stays empty (AnalysisOptions.perSegment). */
  keepPerSegment: boolean;
  /** false: ConnTrack.segments (and so Connection.segments) stay empty (a streaming analysis). */
  keepSegmentLists: boolean;
  /** false: findings are kept without their text (AnalysisOptions.findingText). */
  keepFindingText: boolean;
  disabled: ReadonlySet<string>;
}
