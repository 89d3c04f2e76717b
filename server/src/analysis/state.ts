// The RFC 9293 state machine for both endpoints of a connection, as a passive
// observer infers it (table in §4 of the formats reference). For each segment
// the sender's state right after sending it and the receiver's right after
// processing it. A tap cannot see delivery, so states reached by receiving a
// segment are 'provisional'; states the trace cannot show are 'assumed' or null.
import type { Confidence, Segment, StateInference, TcpState } from './model';
import { ACK, FIN, RST, SYN } from './model';
import { seqAdd, seqDiff, seqGe, seqLe, seqLt } from './seq';
import type { ConnTrack, EndTrack, PastSegments, Sink, Step } from './track';
import { RECEIVER_IS_SERVER, SENDER_IS_SERVER, Sentence, type Quoted } from './inferences';
import type { InferenceRows } from './inferenceRows';

/**
 * Where the inferences made now go: the rows of the per-segment results, which keep each
 * one's sentence (state, confidence, rule and the values it quotes, written as text when
 * read). Only per-segment results (hovers, inlay hints) read the sentences: an analysis
 * without them (AnalysisOptions.perSegment false: the CLI's summary, the streaming
 * analysis) reads state, confidence and rule alone, kept in the EndTrack (null here).
 * advanceStates() sets it for the segment it walks: every inference is made inside it,
 * synchronously. The walk makes no object per inference (~330,000 on the 50 MB bench
 * trace, 35 MB, and the collector promoted those that lived until their end's next one).
 */
let rows: InferenceRows | null = null;
/**
 * The number of rows when advanceStates() began on the current segment. An end's row
 * from there is referred to by nothing but the end (segments take their rows after the
 * state pass; a row that quotes it, confirm(), becomes the end's row instead), so the
 * end's next inference for the same segment is written over it instead of a row more.
 */
let rowsBefore = 0;

/** `E`'s inference becomes this one. */
function set(
  E: EndTrack,
  state: TcpState | null,
  confidence: Confidence,
  rule: string,
  sentence: Sentence,
  names: number,
  line: number,
  a: Quoted = null,
  b: Quoted = null,
): void {
  E.state = state;
  E.confidence = confidence;
  E.rule = rule;
  if (rows === null) {
    E.row = -1;
    return;
  }
  const how = (sentence << 2) | names;
  if (E.row >= rowsBefore) rows.rewrite(E.row, state, confidence, rule, how, line, a, b);
  else E.row = rows.append(state, confidence, rule, how, line, a, b);
}

/** An inference for an earlier segment (SegmentAnalyses.setReceiver): its row, or the object. */
function made(
  state: TcpState | null,
  confidence: Confidence,
  rule: string,
  sentence: Sentence,
  names: number,
  line: number,
  a: Quoted = null,
  b: Quoted = null,
): StateInference | number {
  return rows === null
    ? unexplained(state, confidence, rule)
    : rows.append(state, confidence, rule, (sentence << 2) | names, line, a, b);
}

/** `A`'s provisional inference, confirmed at line L by its own ack `ack` (the sentence quotes the first). */
function confirm(A: EndTrack, names: number, L: number, ack: number | null): void {
  const how = (Sentence.Confirmed << 2) | names;
  A.confidence = 'observed';
  if (rows === null) A.row = -1;
  else {
    const quoted = A.row >= 0 ? A.row : rows.add(objectOf(A));
    A.row = rows.append(A.state, 'observed', A.rule, how, L, null, ack, quoted);
  }
}

/** The shared inferences without sentences, by rule. */
const UNEXPLAINED = new Map<string, StateInference[]>();

function unexplained(state: TcpState | null, confidence: Confidence, rule: string): StateInference {
  let list = UNEXPLAINED.get(rule);
  if (list === undefined) UNEXPLAINED.set(rule, (list = []));
  for (const known of list) if (known.state === state && known.confidence === confidence) return known;
  const made: StateInference = Object.freeze({
    state,
    confidence,
    rule,
    reason: `${rule}: the analysis ran without per-segment results, so it did not write why.`,
  });
  list.push(made);
  return made;
}

/** An endpoint's inference before it has shown anything. */
const UNKNOWN_END: StateInference = Object.freeze({
  state: null,
  confidence: 'assumed',
  rule: 'not-seen',
  reason: 'The trace has shown nothing from or to this endpoint yet.',
});

/** The bookkeeping of an endpoint the trace has shown nothing of yet. */
export function newEnd(): EndTrack {
  return {
    state: null,
    confidence: 'assumed',
    rule: 'not-seen',
    row: -1,
    passive: false,
    synchronized: false,
  };
}

/**
 * `E`'s latest inference for the per-segment results: its row in the sink's rows, or
 * an object when it has none (nothing shown yet, or no per-segment results kept).
 */
export function inferenceOf(E: EndTrack): StateInference | number {
  return E.row >= 0 ? E.row : objectOf(E);
}

/** `E`'s inference as an object, when it has no row. */
function objectOf(E: EndTrack): StateInference {
  return E.rule === 'not-seen' && E.state === null ? UNKNOWN_END : unexplained(E.state, E.confidence, E.rule);
}

const SYNCHRONIZED: ReadonlySet<TcpState | null> = new Set<TcpState | null>([
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
]);

export function isSynchronized(state: TcpState | null): boolean {
  return SYNCHRONIZED.has(state);
}

/** The names' bits of the sentences (inferences.ts): which of sender and receiver is the server. */
function namesOf(conn: ConnTrack, sender: EndTrack, receiver: EndTrack): number {
  return (sender === conn.cEnd ? 0 : SENDER_IS_SERVER) | (receiver === conn.cEnd ? 0 : RECEIVER_IS_SERVER);
}

/** Outcome of the RST check, for the teardown checks. */
export const enum RstEffect {
  None,
  Effective,
  Refused,
  /** In the window but not at RCV.NXT: RFC 5961 stacks answer with a challenge ACK. */
  Challenged,
  Ignored,
}

/** Result of advanceStates for the checks that follow. */
export interface StateOutcome {
  rst: RstEffect;
  /** The segment completed the three-way handshake. */
  established: boolean;
}

const outcome: StateOutcome = { rst: RstEffect.None, established: false };

/** Does `ack` acknowledge the SYN with ISN `isn` that carried `synLen` bytes (TFO)? */
export function acksSyn(ack: number | null, isn: number | null, synLen: number): boolean {
  if (ack === null || isn === null) return false;
  const d = seqDiff(ack, isn);
  return d >= 1 && d <= 1 + synLen;
}

/**
 * Moves the sender and receiver of step.index through the state machine.
 * Must run before the direction trackers learn this segment (it reads the
 * sender's next sequence number as it was before).
 */
export function advanceStates(step: Step, seg: Segment, segs: PastSegments, sink: Sink): StateOutcome {
  const conn = step.conn;
  const A = step.sender;
  const P = step.receiver;
  const f = seg.flags;
  const L = seg.line + 1;
  const names = namesOf(conn, A, P);
  outcome.rst = RstEffect.None;
  outcome.established = false;
  rows = sink.keepPerSegment ? sink.perSegment.rows : null;
  rowsBefore = rows === null ? 0 : rows.length;

  if ((f & RST) !== 0) {
    handleRst(step, seg, segs, sink, A, P, L, names);
    return outcome;
  }

  if ((f & SYN) !== 0) {
    if ((f & ACK) === 0) handleSyn(step, seg, sink, A, P, L, names);
    else handleSynAck(step, seg, segs, sink, A, P, L, names);
    return outcome;
  }

  // Sender of an ACK-bearing segment.
  const aState = A.state;
  if (aState === null || aState === 'LISTEN') {
    set(A, 'ESTABLISHED', 'assumed', 'midstream', Sentence.SenderMidstream, names, L, seg.len > 0);
    A.synchronized = true;
  } else if (aState === 'ESTABLISHED' && A.confidence === 'provisional' && (f & ACK) !== 0) {
    set(A, 'ESTABLISHED', 'observed', 'snd-ack', Sentence.SenderAcksSyn, names, L);
  } else if (aState === 'SYN_SENT' && (f & ACK) !== 0 && step.rev.isn !== null) {
    // We missed the SYN-ACK but the client acknowledges one.
    set(A, 'ESTABLISHED', 'assumed', 'snd-ack-unseen-synack', Sentence.SenderAcksUnseenSynAck, names, L);
    A.synchronized = true;
  }

  // A sender in FIN_WAIT_x whose ack covers the peer's FIN has received that FIN (its
  // arrival was not visible when the FINs crossed).
  const peerFin = step.rev.finSeq;
  const aNow = A.state;
  if (
    (aNow === 'FIN_WAIT_1' || aNow === 'FIN_WAIT_2') &&
    peerFin !== null &&
    (f & ACK) !== 0 &&
    seg.ack !== null &&
    seqGe(seg.ack, seqAdd(peerFin, 1))
  ) {
    const ownFin = step.fwd.finSeq;
    const ownAcked = ownFin !== null && step.rev.hasAck && seqGe(step.rev.lastAck, seqAdd(ownFin, 1));
    const next = aNow === 'FIN_WAIT_2' || ownAcked ? 'TIME_WAIT' : 'CLOSING';
    set(A, next, 'observed', 'snd-ack-of-peer-fin', Sentence.SenderAcksPeerFin, names, L, seg.ack, aNow);
  }

  // A provisional state (reached by receiving a segment) is confirmed when the endpoint's own
  // segment acknowledges everything the peer sent.
  if (
    A.confidence === 'provisional' &&
    A.state !== null &&
    (f & ACK) !== 0 &&
    seg.ack !== null &&
    step.rev.hasNext &&
    seqGe(seg.ack, step.rev.nextSeq)
  ) {
    confirm(A, names, L, seg.ack);
  }

  // Receiver: the ACK part first, then the FIN.
  if ((f & ACK) !== 0 && seg.ack !== null) receiveAck(step, seg, P, L, names);
  else if (P.state === null) {
    set(P, 'ESTABLISHED', 'assumed', 'midstream', Sentence.ReceiverMidstream, names, L, 'a segment');
    P.synchronized = true;
  }

  if ((f & FIN) !== 0) handleFin(step, seg, A, P, L, names);
  return outcome;
}

function handleSyn(
  step: Step,
  seg: Segment,
  sink: Sink,
  A: EndTrack,
  P: EndTrack,
  L: number,
  names: number,
): void {
  const fwd = step.fwd;
  const aState = A.state;
  if (aState === 'SYN_RECV' || aState === 'SYN_SENT') {
    // A retransmitted (or re-numbered) SYN: no change.
    if (aState === 'SYN_SENT' && fwd.isn !== seg.seq) {
      set(A, 'SYN_SENT', 'observed', 'snd-syn', Sentence.SynSent, names, L, seg.len, seg.seq);
    }
  } else if (isSynchronized(aState)) {
    // RFC 5961: a SYN in a synchronized state; the peer answers with a challenge ACK.
  } else {
    set(A, 'SYN_SENT', 'observed', 'snd-syn', Sentence.SynSent, names, L, seg.len, seg.seq);
  }
  const pState = P.state;
  if (step.conn.self) {
    // The socket receives its own SYN: simultaneous open with itself.
    set(P, 'SYN_RECV', 'provisional', 'self-connect', Sentence.SelfConnect, names, L);
    return;
  }
  if (pState === 'SYN_SENT') {
    set(P, 'SYN_RECV', 'provisional', 'rcv-syn-in-syn-sent', Sentence.RcvSynInSynSent, names, L);
    step.conn.simultaneous = true;
  } else if (isSynchronized(pState)) {
    set(P, pState, 'provisional', 'rcv-syn-synchronized', Sentence.RcvSynSynchronized, names, L);
  } else if (pState === 'SYN_RECV') {
    // A repeated SYN while the SYN-ACK is out: no change.
  } else {
    set(P, 'LISTEN', 'assumed', 'rcv-syn-unanswered', Sentence.RcvSynUnanswered, names, L);
  }
  void sink;
}

function handleSynAck(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  sink: Sink,
  A: EndTrack,
  P: EndTrack,
  L: number,
  names: number,
): void {
  const conn = step.conn;
  const rev = step.rev;
  // The trackers change later; the sentences are written later: take the values now.
  const synLine = rev.synIndex >= 0 ? segs.at(rev.synIndex).line + 1 : -1;
  const peerIsn = rev.isn;
  const ackedIsn = conn.self ? step.fwd.isn : rev.isn;
  const aState = A.state;
  if (aState === 'ESTABLISHED' || aState === 'SYN_RECV') {
    // Retransmitted SYN-ACK, or the second SYN-ACK of a simultaneous open.
  } else {
    set(A, 'SYN_RECV', 'observed', 'snd-synack', Sentence.SndSynAck, names, L, synLine);
    A.passive = true;
    // The SYN this answers: its receiver was a listener and is now SYN_RECV.
    if (rev.synIndex >= 0) {
      if (sink.perSegment.receiverRuleOf(rev.synIndex) === 'rcv-syn-unanswered') {
        sink.perSegment.setReceiver(
          rev.synIndex,
          made('SYN_RECV', 'observed', 'rcv-syn', Sentence.RcvSyn, names, L, synLine),
        );
      }
    }
  }
  const synLen = rev.synIndex >= 0 ? segs.at(rev.synIndex).len : 0;
  const ok = conn.self ? acksSyn(seg.ack, step.fwd.isn, synLen) : acksSyn(seg.ack, rev.isn, synLen);
  const pState = P.state;
  if (!ok) {
    if (rev.isn === null && !conn.self) {
      set(P, 'ESTABLISHED', 'assumed', 'rcv-synack-unseen-syn', Sentence.RcvSynAckUnseenSyn, names, L);
      P.synchronized = true;
    } else {
      set(
        P,
        pState,
        'provisional',
        'rcv-synack-bad-ack',
        Sentence.RcvSynAckBadAck,
        names,
        L,
        seg.ack,
        peerIsn,
      );
    }
    return;
  }
  if (pState === 'SYN_SENT' || pState === 'SYN_RECV' || pState === null || pState === 'LISTEN') {
    if (pState === 'SYN_RECV') outcome.established = true;
    const from = pState === null || pState === 'LISTEN' ? 'SYN_SENT' : pState;
    set(P, 'ESTABLISHED', 'provisional', 'rcv-synack', Sentence.RcvSynAck, names, L, ackedIsn, from);
    P.synchronized = true;
  }
}

/** The receiver's FIN is acknowledged in FIN_WAIT_1, CLOSING or LAST_ACK. */
function finAcked(
  P: EndTrack,
  from: 'FIN_WAIT_1' | 'CLOSING' | 'LAST_ACK',
  names: number,
  L: number,
  fin: number,
  ack: number,
): void {
  if (from === 'FIN_WAIT_1')
    set(P, 'FIN_WAIT_2', 'provisional', 'rcv-ack-of-fin', Sentence.FinAckedInFinWait1, names, L, fin, ack);
  else if (from === 'CLOSING')
    set(P, 'TIME_WAIT', 'provisional', 'rcv-ack-of-fin', Sentence.FinAckedInClosing, names, L, ack);
  else set(P, 'CLOSED', 'provisional', 'rcv-ack-of-fin', Sentence.FinAckedInLastAck, names, L, ack);
}

function receiveAck(step: Step, seg: Segment, P: EndTrack, L: number, names: number): void {
  const conn = step.conn;
  const rev = step.rev;
  const ack = seg.ack as number;
  const pState = P.state;
  if (pState === 'SYN_RECV') {
    if (rev.isn !== null && seqGe(ack, seqAdd(rev.isn, 1))) {
      set(
        P,
        'ESTABLISHED',
        'provisional',
        'rcv-ack-of-synack',
        Sentence.ReceiverAcksSynAck,
        names,
        L,
        ack,
        rev.isn,
      );
      P.synchronized = true;
      outcome.established = true;
    }
    return;
  }
  if (pState === null || pState === 'LISTEN' || pState === 'SYN_SENT') {
    if (pState === 'SYN_SENT') return;
    set(P, 'ESTABLISHED', 'assumed', 'midstream', Sentence.ReceiverMidstream, names, L, 'an ACK');
    P.synchronized = true;
    return;
  }
  const fin = rev.finSeq;
  if (fin === null || !seqGe(ack, seqAdd(fin, 1))) return;
  if (pState === 'FIN_WAIT_1' || pState === 'CLOSING' || pState === 'LAST_ACK') {
    finAcked(P, pState, names, L, fin, ack);
    if (pState === 'LAST_ACK') conn.closedByFin = true;
  }
}

function handleFin(step: Step, seg: Segment, A: EndTrack, P: EndTrack, L: number, names: number): void {
  const fwd = step.fwd;
  const rev = step.rev;
  const finSeq = step.seq === null ? null : seqAdd(step.seq, seg.len);
  const repeated = fwd.finSeq !== null && (finSeq === null || finSeq === fwd.finSeq);
  if (!repeated) {
    const aState = A.state;
    const crossing =
      aState === 'CLOSE_WAIT' &&
      rev.finSeq !== null &&
      seg.ack !== null &&
      (seg.flags & ACK) !== 0 &&
      !seqGe(seg.ack, seqAdd(rev.finSeq, 1));
    if (crossing) {
      // Its ack does not cover the peer's FIN: it had not received it yet (FINs crossed).
      set(A, 'FIN_WAIT_1', 'observed', 'snd-fin-crossing', Sentence.SndFinCrossing, names, L, seg.ack);
    } else if (aState === 'CLOSE_WAIT') {
      set(A, 'LAST_ACK', 'observed', 'snd-fin', Sentence.SndFinAfterPeer, names, L);
    } else if (aState === 'ESTABLISHED' || aState === 'SYN_RECV' || aState === null || aState === 'LISTEN') {
      set(
        A,
        'FIN_WAIT_1',
        aState === null ? 'assumed' : 'observed',
        'snd-fin',
        Sentence.SndFin,
        names,
        L,
        finSeq,
        aState,
      );
    }
    if (finSeq !== null) fwd.finSeq = finSeq;
    fwd.finIndex = step.index;
  }
  const pState = P.state;
  const acksOurFin = rev.finSeq !== null && seg.ack !== null && seqGe(seg.ack, seqAdd(rev.finSeq, 1));
  if (pState === 'ESTABLISHED' || pState === 'SYN_RECV') {
    set(P, 'CLOSE_WAIT', 'provisional', 'rcv-fin', Sentence.RcvFinEstablished, names, L, pState);
  } else if (pState === 'FIN_WAIT_1') {
    if (acksOurFin)
      set(P, 'TIME_WAIT', 'provisional', 'rcv-fin-ack-of-fin', Sentence.RcvFinAckOfFin, names, L);
    else set(P, 'CLOSING', 'provisional', 'rcv-fin-simultaneous', Sentence.RcvFinSimultaneous, names, L);
  } else if (pState === 'FIN_WAIT_2') {
    set(P, 'TIME_WAIT', 'provisional', 'rcv-fin', Sentence.RcvFinInFinWait2, names, L);
  } else if (pState === 'TIME_WAIT' && repeated) {
    set(P, 'TIME_WAIT', 'provisional', 'rcv-fin-again', Sentence.RcvFinAgain, names, L);
  }
}

function handleRst(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  sink: Sink,
  A: EndTrack,
  P: EndTrack,
  L: number,
  names: number,
): void {
  const conn = step.conn;
  const fwd = step.fwd;
  const rev = step.rev;
  const pState = P.state;
  const aState = A.state;

  if (pState === 'SYN_SENT') {
    const synLen = rev.synIndex >= 0 ? segs.at(rev.synIndex).len : 0;
    if ((seg.flags & ACK) !== 0 && acksSyn(seg.ack, rev.isn, synLen)) {
      const synLine = rev.synIndex >= 0 ? segs.at(rev.synIndex).line + 1 : -1;
      const refused = aState !== 'SYN_RECV' && !isSynchronized(aState);
      if (refused) {
        set(P, 'CLOSED', 'provisional', 'rcv-rst-refused', Sentence.RcvRstRefused, names, L, seg.ack);
        set(
          A,
          'CLOSED',
          'observed',
          'snd-rst-no-listener',
          Sentence.SndRstNoListener,
          names,
          L,
          seg.src.port,
        );
      } else {
        set(P, 'CLOSED', 'provisional', 'rcv-rst-syn-sent', Sentence.RcvRstSynSent, names, L);
        set(A, 'CLOSED', 'observed', 'snd-rst', Sentence.SndRst, names, L);
      }
      if (refused && rev.synIndex >= 0) {
        if (sink.perSegment.receiverRuleOf(rev.synIndex) === 'rcv-syn-unanswered') {
          sink.perSegment.setReceiver(
            rev.synIndex,
            made(
              'CLOSED',
              'observed',
              'rcv-syn-no-listener',
              Sentence.RcvSynNoListener,
              names,
              L,
              synLine,
              seg.src.port,
            ),
          );
        }
      }
      conn.refused = refused;
      conn.resetIndex = step.index;
      outcome.rst = refused ? RstEffect.Refused : RstEffect.Effective;
      return;
    }
    set(A, 'CLOSED', 'observed', 'snd-rst', Sentence.SndRst, names, L);
    set(P, 'SYN_SENT', 'provisional', 'rcv-rst-ignored', Sentence.RcvRstIgnoredInSynSent, names, L, seg.ack);
    outcome.rst = RstEffect.Ignored;
    return;
  }

  // Where does the RST fall in the receiver's window?
  let effect = RstEffect.Effective;
  let why = '';
  const seq = seg.seq;
  if (seq !== null && fwd.hasNext && pState !== 'SYN_RECV' && pState !== null) {
    const nxt = fwd.nextSeq;
    if (seq === nxt) why = `seq ${seq} = RCV.NXT`;
    else {
      const win = windowOf(rev);
      const d = seqDiff(seq, nxt);
      if (seqLt(seq, nxt) && seqDiff(nxt, seq) <= 1) {
        // Linux answers a FIN-less close with seq = SND.NXT; one below happens after a FIN was retransmitted.
        why = `seq ${seq} just below RCV.NXT ${nxt}`;
      } else if (seqGe(seq, nxt) && (win === null || d < win)) {
        effect = RstEffect.Challenged;
        why = `seq ${seq} is in the window but ≠ RCV.NXT ${nxt}`;
      } else {
        effect = RstEffect.Ignored;
        why = `seq ${seq} is outside the window (RCV.NXT ${nxt}${win === null ? '' : `, window ${win}`})`;
      }
    }
  }
  if (aState === 'SYN_SENT' && rev.synIndex >= 0 && seq !== null && segs.at(rev.synIndex).ack === seq) {
    // RFC 9293 Fig. 8: the answer to a SYN-ACK with a bad ack; the sender stays in SYN_SENT.
    set(A, 'SYN_SENT', 'observed', 'snd-rst-bad-synack', Sentence.SndRstBadSynAck, names, L, seq);
  } else if (effect === RstEffect.Effective || aState === null) {
    set(A, 'CLOSED', 'observed', 'snd-rst', Sentence.SndRstAborts, names, L);
  } else {
    set(A, aState, 'assumed', 'snd-rst-not-accepted', Sentence.SndRstNotAccepted, names, L, why);
  }
  if (effect === RstEffect.Effective) {
    const back = pState === 'SYN_RECV' && P.passive ? 'LISTEN' : 'CLOSED';
    set(P, back, 'provisional', 'rcv-rst', Sentence.RcvRst, names, L, why, pState);
    conn.resetIndex = step.index;
  } else if (effect === RstEffect.Challenged) {
    set(P, pState, 'provisional', 'rcv-rst-challenge', Sentence.RcvRstChallenge, names, L, why);
    conn.pendingChallenge = step.index;
  } else {
    set(P, pState, 'provisional', 'rcv-rst-ignored', Sentence.RcvRstIgnored, names, L, why);
  }
  outcome.rst = effect;
}

/** The receive window the peer (rev) last advertised, scaled when known. */
function windowOf(rev: { window: number | null; winScale: number }): number | null {
  if (rev.window === null) return null;
  return rev.winScale >= 0 ? rev.window * 2 ** rev.winScale : rev.window;
}

export function seqInRange(x: number, lo: number, hi: number): boolean {
  return seqGe(x, lo) && seqLe(x, hi);
}
