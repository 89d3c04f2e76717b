// The RFC 9293 state machine for both endpoints of a connection, as a passive
// observer infers it (table in §4 of the formats reference). For each segment
// the sender's state right after sending it and the receiver's right after
// processing it. A tap cannot see delivery, so states reached by receiving a
// segment are 'provisional'; states the trace cannot show are 'assumed' or null.
import type { Confidence, Segment, SegmentAnalysis, StateInference, TcpState } from './model';
import { ACK, FIN, RST, SYN } from './model';
import { seqAdd, seqDiff, seqGe, seqLe, seqLt } from './seq';
import type { ConnTrack, EndTrack, PastSegments, Sink, Step } from './track';
import { moveLinesInText, type LineMove, type LineMoves } from './lineMoves';

/**
 * An inference whose sentence is written when something first reads it. A big trace
 * makes hundreds of thousands of inferences and a user reads a few of them (hovers,
 * inlay hint tooltips): writing every sentence up front cost a tenth of the analysis'
 * memory. `reason` is a getter, so code that copies an inference reads it explicitly.
 * The explaining closures capture only values that no longer change.
 */
class Inferred implements StateInference {
  #explain: (() => string) | null;
  /** The sentence as the analysis wrote it (lines as they were then), once written. */
  #written = '';
  /** Lines moved since the analysis wrote it, in order; null while none moved. */
  #moves: LineMoves | null = null;
  /** The last move applied: an inference shared by many segments moves once per edit. */
  #lastMove: LineMove | null = null;

  constructor(
    readonly state: TcpState | null,
    readonly confidence: Confidence,
    readonly rule: string,
    explain: () => string,
  ) {
    this.#explain = explain;
  }

  get reason(): string {
    const written = this.asWritten();
    return this.#moves === null ? written : moveLinesInText(written, this.#moves);
  }

  /** The sentence with the lines as they were when the analysis made the inference. */
  asWritten(): string {
    const explain = this.#explain;
    if (explain !== null) {
      this.#written = explain();
      this.#explain = null;
    }
    return this.#written;
  }

  /** See moveInference(). */
  move(move: LineMove, composed: (prior: LineMoves | null) => LineMoves): void {
    if (this.#lastMove === move) return;
    this.#lastMove = move;
    this.#moves = composed(this.#moves);
  }
}

/**
 * The sentence of an inference with its lines as the analysis wrote them: for a
 * sentence that quotes an earlier one (both then move together, see moveInference).
 */
function writtenReason(inference: StateInference): string {
  return inference instanceof Inferred ? inference.asWritten() : inference.reason;
}

/**
 * Moves the lines the inference's sentence names (the language server, after
 * lines were inserted or deleted above them, without analysing those segments
 * again). An inference of the analysis changes in place, once per `move` (the
 * analysis it belongs to is being replaced); a constant one is returned as a
 * copy when its sentence changes. `composed` gives the moves so far followed by
 * `move`, shared by every inference with the same moves so far.
 */
export function moveInference(
  inference: StateInference,
  move: LineMove,
  composed: (prior: LineMoves | null) => LineMoves,
): StateInference {
  if (inference instanceof Inferred) {
    inference.move(move, composed);
    return inference;
  }
  const reason = moveLinesInText(inference.reason, [move]);
  if (reason === inference.reason) return inference;
  return { state: inference.state, confidence: inference.confidence, rule: inference.rule, reason };
}

/**
 * Whether the inferences made now carry their sentence. Only per-segment results
 * (hovers, inlay hints) read it: an analysis without them (AnalysisOptions.perSegment
 * false: the CLI's summary, the streaming analysis) reads state, confidence and rule
 * alone, so it shares one inference per rule, state and confidence instead of making
 * one per transition. advanceStates() sets it for the segment it walks: every
 * inference is made inside it, synchronously.
 */
let explained = true;

function inf(
  state: TcpState | null,
  confidence: Confidence,
  rule: string,
  explain: () => string,
): StateInference {
  return explained ? new Inferred(state, confidence, rule, explain) : unexplained(state, confidence, rule);
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

function who(conn: ConnTrack, end: EndTrack): string {
  return end === conn.cEnd ? 'client' : 'server';
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
  const aName = who(conn, A);
  const pName = who(conn, P);
  outcome.rst = RstEffect.None;
  outcome.established = false;
  explained = sink.keepPerSegment;

  if ((f & RST) !== 0) {
    handleRst(step, seg, segs, sink, A, P, L, aName, pName);
    return outcome;
  }

  if ((f & SYN) !== 0) {
    if ((f & ACK) === 0) handleSyn(step, seg, sink, A, P, L, aName, pName);
    else handleSynAck(step, seg, segs, sink, A, P, L, aName, pName);
    return outcome;
  }

  // Sender of an ACK-bearing segment.
  const aState = A.inf.state;
  if (aState === null || aState === 'LISTEN') {
    A.inf = senderMidstream(aName, seg.len > 0, L);
    A.synchronized = true;
  } else if (aState === 'ESTABLISHED' && A.inf.confidence === 'provisional' && (f & ACK) !== 0) {
    A.inf = senderAcksSyn(aName, L);
  } else if (aState === 'SYN_SENT' && (f & ACK) !== 0 && step.rev.isn !== null) {
    // We missed the SYN-ACK but the client acknowledges one.
    A.inf = senderAcksUnseenSynAck(aName, L);
    A.synchronized = true;
  }

  // A sender in FIN_WAIT_x whose ack covers the peer's FIN has received that FIN (its
  // arrival was not visible when the FINs crossed).
  const peerFin = step.rev.finSeq;
  const aNow = A.inf.state;
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
    A.inf = senderAcksPeerFin(aName, L, seg.ack, aNow, next);
  }

  // A provisional state (reached by receiving a segment) is confirmed when the endpoint's own
  // segment acknowledges everything the peer sent.
  if (
    A.inf.confidence === 'provisional' &&
    A.inf.state !== null &&
    (f & ACK) !== 0 &&
    seg.ack !== null &&
    step.rev.hasNext &&
    seqGe(seg.ack, step.rev.nextSeq)
  ) {
    A.inf = confirmed(A.inf, aName, L, seg.ack);
  }

  // Receiver: the ACK part first, then the FIN.
  if ((f & ACK) !== 0 && seg.ack !== null) receiveAck(step, seg, P, L, pName);
  else if (P.inf.state === null) {
    P.inf = receiverMidstream(pName, 'a segment', L);
    P.synchronized = true;
  }

  if ((f & FIN) !== 0) handleFin(step, seg, A, P, L, aName, pName);
  return outcome;
}

// The inferences advanceStates() and receiveAck() make, which run for every segment: their
// closures live in these helpers so that the hot functions allocate no closure context.

function senderMidstream(aName: string, data: boolean, L: number): StateInference {
  return inf(
    'ESTABLISHED',
    'assumed',
    'midstream',
    () =>
      `The trace starts mid-stream: the ${aName} sends ${data ? 'data' : 'an ACK'} at line ${L} without a handshake in the trace, so it is assumed ESTABLISHED.`,
  );
}

function senderAcksSyn(aName: string, L: number): StateInference {
  return inf(
    'ESTABLISHED',
    'observed',
    'snd-ack',
    () => `Line ${L}: the ${aName} acknowledges the peer's SYN, which confirms it is ESTABLISHED.`,
  );
}

function senderAcksUnseenSynAck(aName: string, L: number): StateInference {
  return inf(
    'ESTABLISHED',
    'assumed',
    'snd-ack-unseen-synack',
    () =>
      `Line ${L}: the ${aName} acknowledges the peer's SYN, so it must have received a SYN-ACK the trace does not show: ESTABLISHED.`,
  );
}

function senderAcksPeerFin(
  aName: string,
  L: number,
  ack: number,
  from: TcpState,
  next: TcpState,
): StateInference {
  return inf(
    next,
    'observed',
    'snd-ack-of-peer-fin',
    () =>
      `Line ${L}: the ${aName} acknowledges the peer's FIN (ack ${ack}), so it received it: ${from} → ${next}.`,
  );
}

function confirmed(prev: StateInference, aName: string, L: number, ack: number): StateInference {
  return inf(
    prev.state,
    'observed',
    prev.rule,
    () =>
      `${writtenReason(prev)} Confirmed at line ${L}: the ${aName} acknowledges everything the peer sent (ack ${ack}).`,
  );
}

function receiverMidstream(pName: string, what: string, L: number): StateInference {
  return inf(
    'ESTABLISHED',
    'assumed',
    'midstream',
    () =>
      `The trace starts mid-stream: the ${pName} receives ${what} at line ${L} without a handshake in the trace, so it is assumed ESTABLISHED.`,
  );
}

function receiverAcksSynAck(pName: string, L: number, ack: number, isn: number): StateInference {
  return inf(
    'ESTABLISHED',
    'provisional',
    'rcv-ack-of-synack',
    () =>
      `Line ${L}: the ${pName} receives the ACK of its SYN-ACK (ack ${ack} = ISN ${isn} + 1): SYN_RECV → ESTABLISHED, the handshake is complete.`,
  );
}

/** The receiver's FIN is acknowledged in FIN_WAIT_1, CLOSING or LAST_ACK. */
function receiverFinAcked(
  from: 'FIN_WAIT_1' | 'CLOSING' | 'LAST_ACK',
  pName: string,
  L: number,
  fin: number,
  ack: number,
): StateInference {
  if (from === 'FIN_WAIT_1') {
    return inf(
      'FIN_WAIT_2',
      'provisional',
      'rcv-ack-of-fin',
      () =>
        `Line ${L}: the ${pName}'s FIN (seq ${fin}) is acknowledged (ack ${ack}): FIN_WAIT_1 → FIN_WAIT_2.`,
    );
  }
  if (from === 'CLOSING') {
    return inf(
      'TIME_WAIT',
      'provisional',
      'rcv-ack-of-fin',
      () =>
        `Line ${L}: in a simultaneous close the ${pName}'s FIN is acknowledged (ack ${ack}): CLOSING → TIME_WAIT.`,
    );
  }
  return inf(
    'CLOSED',
    'provisional',
    'rcv-ack-of-fin',
    () => `Line ${L}: the last ACK acknowledges the ${pName}'s FIN (ack ${ack}): LAST_ACK → CLOSED.`,
  );
}

function handleSyn(
  step: Step,
  seg: Segment,
  sink: Sink,
  A: EndTrack,
  P: EndTrack,
  L: number,
  aName: string,
  pName: string,
): void {
  const fwd = step.fwd;
  const aState = A.inf.state;
  if (aState === 'SYN_RECV' || aState === 'SYN_SENT') {
    // A retransmitted (or re-numbered) SYN: no change.
    if (aState === 'SYN_SENT' && fwd.isn !== seg.seq) {
      A.inf = inf('SYN_SENT', 'observed', 'snd-syn', () => synSentReason(seg, L, aName));
    }
  } else if (isSynchronized(aState)) {
    // RFC 5961: a SYN in a synchronized state; the peer answers with a challenge ACK.
  } else {
    A.inf = inf('SYN_SENT', 'observed', 'snd-syn', () => synSentReason(seg, L, aName));
  }
  const pState = P.inf.state;
  if (step.conn.self) {
    // The socket receives its own SYN: simultaneous open with itself.
    P.inf = inf(
      'SYN_RECV',
      'provisional',
      'self-connect',
      () =>
        `Line ${L}: the socket connects to itself and receives its own SYN, as in a simultaneous open: SYN_SENT → SYN_RECV.`,
    );
    return;
  }
  if (pState === 'SYN_SENT') {
    P.inf = inf(
      'SYN_RECV',
      'provisional',
      'rcv-syn-in-syn-sent',
      () =>
        `Line ${L}: the ${pName} is in SYN_SENT and receives the ${aName}'s SYN: simultaneous open (RFC 9293 Fig. 7), SYN_SENT → SYN_RECV.`,
    );
    step.conn.simultaneous = true;
  } else if (isSynchronized(pState)) {
    P.inf = inf(
      pState,
      'provisional',
      'rcv-syn-synchronized',
      () =>
        `Line ${L}: a SYN reaches the ${pName} in ${String(pState)}; RFC 5961 answers it with a challenge ACK and keeps the state.`,
    );
  } else if (pState === 'SYN_RECV') {
    // A repeated SYN while the SYN-ACK is out: no change.
  } else {
    P.inf = inf(
      'LISTEN',
      'assumed',
      'rcv-syn-unanswered',
      () =>
        `Line ${L}: a SYN reaches the ${pName}; the trace shows no answer to it, so whether a socket listens there is unknown.`,
    );
  }
  void sink;
}

function synSentReason(seg: Segment, L: number, aName: string): string {
  const tfo = seg.len > 0 ? ` carrying ${seg.len} bytes of TCP Fast Open data` : '';
  return `Line ${L}: the ${aName} sent a SYN (ISN ${String(seg.seq)})${tfo}: active open, CLOSED → SYN_SENT.`;
}

function handleSynAck(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  sink: Sink,
  A: EndTrack,
  P: EndTrack,
  L: number,
  aName: string,
  pName: string,
): void {
  const conn = step.conn;
  const rev = step.rev;
  // The trackers change later; the sentences are written later: take the values now.
  const synLine = rev.synIndex >= 0 ? segs.at(rev.synIndex).line + 1 : -1;
  const peerIsn = rev.isn;
  const ackedIsn = conn.self ? step.fwd.isn : rev.isn;
  const aState = A.inf.state;
  if (aState === 'ESTABLISHED' || aState === 'SYN_RECV') {
    // Retransmitted SYN-ACK, or the second SYN-ACK of a simultaneous open.
  } else {
    A.inf = inf(
      'SYN_RECV',
      'observed',
      'snd-synack',
      () =>
        `Line ${L}: the ${aName} sent a SYN-ACK${synLine >= 0 ? ` answering the SYN at line ${synLine}` : ''}: passive open, LISTEN → SYN_RECV.`,
    );
    A.passive = true;
    // The SYN this answers: its receiver was a listener and is now SYN_RECV.
    if (rev.synIndex >= 0) {
      if (sink.perSegment.receiverOf(rev.synIndex)?.rule === 'rcv-syn-unanswered') {
        sink.perSegment.setReceiver(
          rev.synIndex,
          inf(
            'SYN_RECV',
            'observed',
            'rcv-syn',
            () =>
              `Line ${synLine}: the ${aName} received the SYN; its SYN-ACK at line ${L} shows it went LISTEN → SYN_RECV.`,
          ),
        );
      }
    }
  }
  const synLen = rev.synIndex >= 0 ? segs.at(rev.synIndex).len : 0;
  const ok = conn.self ? acksSyn(seg.ack, step.fwd.isn, synLen) : acksSyn(seg.ack, rev.isn, synLen);
  const pState = P.inf.state;
  if (!ok) {
    if (rev.isn === null && !conn.self) {
      P.inf = inf(
        'ESTABLISHED',
        'assumed',
        'rcv-synack-unseen-syn',
        () =>
          `Line ${L}: the ${pName} receives a SYN-ACK for a SYN the trace does not show; a client that sent that SYN becomes ESTABLISHED.`,
      );
      P.synchronized = true;
    } else {
      P.inf = inf(
        pState,
        'provisional',
        'rcv-synack-bad-ack',
        () =>
          `Line ${L}: the SYN-ACK acknowledges ${String(seg.ack)}, not ISN ${String(peerIsn)} + 1, so the ${pName} ignores it and should answer with a RST (RFC 9293 Fig. 8).`,
      );
    }
    return;
  }
  if (pState === 'SYN_SENT' || pState === 'SYN_RECV' || pState === null || pState === 'LISTEN') {
    if (pState === 'SYN_RECV') outcome.established = true;
    const from = pState === null || pState === 'LISTEN' ? 'SYN_SENT' : pState;
    P.inf = inf(
      'ESTABLISHED',
      'provisional',
      'rcv-synack',
      () =>
        `Line ${L}: the ${pName} receives a SYN-ACK acknowledging its ISN ${String(ackedIsn)} + 1: ${from} → ESTABLISHED.`,
    );
    P.synchronized = true;
  }
}

function receiveAck(step: Step, seg: Segment, P: EndTrack, L: number, pName: string): void {
  const conn = step.conn;
  const rev = step.rev;
  const ack = seg.ack as number;
  const pState = P.inf.state;
  if (pState === 'SYN_RECV') {
    if (rev.isn !== null && seqGe(ack, seqAdd(rev.isn, 1))) {
      P.inf = receiverAcksSynAck(pName, L, ack, rev.isn);
      P.synchronized = true;
      outcome.established = true;
    }
    return;
  }
  if (pState === null || pState === 'LISTEN' || pState === 'SYN_SENT') {
    if (pState === 'SYN_SENT') return;
    P.inf = receiverMidstream(pName, 'an ACK', L);
    P.synchronized = true;
    return;
  }
  const fin = rev.finSeq;
  if (fin === null || !seqGe(ack, seqAdd(fin, 1))) return;
  if (pState === 'FIN_WAIT_1' || pState === 'CLOSING' || pState === 'LAST_ACK') {
    P.inf = receiverFinAcked(pState, pName, L, fin, ack);
    if (pState === 'LAST_ACK') conn.closedByFin = true;
  }
}

function handleFin(
  step: Step,
  seg: Segment,
  A: EndTrack,
  P: EndTrack,
  L: number,
  aName: string,
  pName: string,
): void {
  const fwd = step.fwd;
  const rev = step.rev;
  const finSeq = step.seq === null ? null : seqAdd(step.seq, seg.len);
  const repeated = fwd.finSeq !== null && (finSeq === null || finSeq === fwd.finSeq);
  if (!repeated) {
    const aState = A.inf.state;
    const crossing =
      aState === 'CLOSE_WAIT' &&
      rev.finSeq !== null &&
      seg.ack !== null &&
      (seg.flags & ACK) !== 0 &&
      !seqGe(seg.ack, seqAdd(rev.finSeq, 1));
    if (crossing) {
      // Its ack does not cover the peer's FIN: it had not received it yet (FINs crossed).
      A.inf = inf(
        'FIN_WAIT_1',
        'observed',
        'snd-fin-crossing',
        () =>
          `Line ${L}: the ${aName} sent a FIN whose ack ${String(seg.ack)} does not cover the peer's FIN, so it had not received that FIN yet: ESTABLISHED → FIN_WAIT_1 (simultaneous close).`,
      );
    } else if (aState === 'CLOSE_WAIT') {
      A.inf = inf(
        'LAST_ACK',
        'observed',
        'snd-fin',
        () =>
          `Line ${L}: the ${aName} had received the peer's FIN and now sends its own: CLOSE_WAIT → LAST_ACK.`,
      );
    } else if (aState === 'ESTABLISHED' || aState === 'SYN_RECV' || aState === null || aState === 'LISTEN') {
      A.inf = inf(
        'FIN_WAIT_1',
        aState === null ? 'assumed' : 'observed',
        'snd-fin',
        () =>
          `Line ${L}: the ${aName} sent a FIN (seq ${String(finSeq)}): active close, ${aState ?? 'ESTABLISHED'} → FIN_WAIT_1.`,
      );
    }
    if (finSeq !== null) fwd.finSeq = finSeq;
    fwd.finIndex = step.index;
  }
  const pState = P.inf.state;
  const acksOurFin = rev.finSeq !== null && seg.ack !== null && seqGe(seg.ack, seqAdd(rev.finSeq, 1));
  if (pState === 'ESTABLISHED' || pState === 'SYN_RECV') {
    P.inf = inf(
      'CLOSE_WAIT',
      'provisional',
      'rcv-fin',
      () =>
        `Line ${L}: the ${pName} receives the ${aName}'s FIN: ${pState} → CLOSE_WAIT (it may still send data: half-close).`,
    );
  } else if (pState === 'FIN_WAIT_1') {
    P.inf = acksOurFin
      ? inf(
          'TIME_WAIT',
          'provisional',
          'rcv-fin-ack-of-fin',
          () =>
            `Line ${L}: the ${pName} receives a FIN that also acknowledges its own FIN: FIN_WAIT_1 → TIME_WAIT (RFC 9293 Fig. 5 note 2).`,
        )
      : inf(
          'CLOSING',
          'provisional',
          'rcv-fin-simultaneous',
          () =>
            `Line ${L}: the ${pName} receives the ${aName}'s FIN before its own FIN is acknowledged: simultaneous close, FIN_WAIT_1 → CLOSING.`,
        );
  } else if (pState === 'FIN_WAIT_2') {
    P.inf = inf(
      'TIME_WAIT',
      'provisional',
      'rcv-fin',
      () =>
        `Line ${L}: the ${pName} receives the ${aName}'s FIN: FIN_WAIT_2 → TIME_WAIT (2×MSL timer; Linux 60 s).`,
    );
  } else if (pState === 'TIME_WAIT' && repeated) {
    P.inf = inf(
      'TIME_WAIT',
      'provisional',
      'rcv-fin-again',
      () =>
        `Line ${L}: the ${aName} repeats its FIN (the last ACK was lost?); the ${pName} stays in TIME_WAIT and restarts the 2×MSL timer.`,
    );
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
  aName: string,
  pName: string,
): void {
  const conn = step.conn;
  const fwd = step.fwd;
  const rev = step.rev;
  const pState = P.inf.state;
  const aState = A.inf.state;

  if (pState === 'SYN_SENT') {
    const synLen = rev.synIndex >= 0 ? segs.at(rev.synIndex).len : 0;
    if ((seg.flags & ACK) !== 0 && acksSyn(seg.ack, rev.isn, synLen)) {
      const synLine = rev.synIndex >= 0 ? segs.at(rev.synIndex).line + 1 : -1;
      const refused = aState !== 'SYN_RECV' && !isSynchronized(aState);
      P.inf = inf('CLOSED', 'provisional', refused ? 'rcv-rst-refused' : 'rcv-rst-syn-sent', () =>
        refused
          ? `Line ${L}: the ${pName}'s SYN is answered with RST+ACK (ack ${String(seg.ack)} = ISN + 1): connection refused, SYN_SENT → CLOSED.`
          : `Line ${L}: a RST acknowledging the ${pName}'s SYN: SYN_SENT → CLOSED.`,
      );
      A.inf = inf('CLOSED', 'observed', refused ? 'snd-rst-no-listener' : 'snd-rst', () =>
        refused
          ? `Line ${L}: the ${aName} answers the SYN with a RST: nothing listens on port ${seg.src.port}, so it is CLOSED.`
          : `Line ${L}: the ${aName} sent a RST: → CLOSED.`,
      );
      if (refused && rev.synIndex >= 0) {
        if (sink.perSegment.receiverOf(rev.synIndex)?.rule === 'rcv-syn-unanswered') {
          sink.perSegment.setReceiver(
            rev.synIndex,
            inf(
              'CLOSED',
              'observed',
              'rcv-syn-no-listener',
              () =>
                `Line ${synLine}: no socket listens on port ${seg.src.port}: the RST at line ${L} refuses the SYN.`,
            ),
          );
        }
      }
      conn.refused = refused;
      conn.resetIndex = step.index;
      fwd.rstIndex = step.index;
      outcome.rst = refused ? RstEffect.Refused : RstEffect.Effective;
      return;
    }
    A.inf = inf('CLOSED', 'observed', 'snd-rst', () => `Line ${L}: the ${aName} sent a RST: → CLOSED.`);
    P.inf = inf(
      'SYN_SENT',
      'provisional',
      'rcv-rst-ignored',
      () =>
        `Line ${L}: in SYN_SENT a RST counts only if it acknowledges the SYN (RFC 9293 §3.5.3); ack ${String(seg.ack)} does not, so the ${pName} ignores it.`,
    );
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
    A.inf = inf(
      'SYN_SENT',
      'observed',
      'snd-rst-bad-synack',
      () =>
        `Line ${L}: the ${aName} answers the SYN-ACK that acknowledged the wrong ISN with a RST at seq ${seq} (its ack) and keeps waiting in SYN_SENT (RFC 9293 Fig. 8).`,
    );
  } else if (effect === RstEffect.Effective || aState === null) {
    A.inf = inf(
      'CLOSED',
      'observed',
      'snd-rst',
      () =>
        `Line ${L}: the ${aName} sent a RST: it aborts the connection (Linux closes at once; RFC 9293 allows TIME_WAIT) → CLOSED.`,
    );
  } else {
    A.inf = inf(
      aState,
      'assumed',
      'snd-rst-not-accepted',
      () =>
        `Line ${L}: a RST from the ${aName}'s address that the peer does not accept (${why}); had the real ${aName} sent it, it would now be CLOSED, a spoofed or stale RST changes nothing.`,
    );
  }
  if (effect === RstEffect.Effective) {
    const back = pState === 'SYN_RECV' && P.passive ? 'LISTEN' : 'CLOSED';
    P.inf = inf(
      back,
      'provisional',
      'rcv-rst',
      () =>
        `Line ${L}: the ${pName} receives the ${aName}'s RST${why === '' ? '' : ` (${why})`}: ${String(pState ?? 'unknown')} → ${back}${back === 'LISTEN' ? ' (a passive open goes back to LISTEN)' : ''}.`,
    );
    conn.resetIndex = step.index;
    fwd.rstIndex = step.index;
  } else if (effect === RstEffect.Challenged) {
    P.inf = inf(
      pState,
      'provisional',
      'rcv-rst-challenge',
      () =>
        `Line ${L}: RFC 5961: the RST's ${why}, so a stack that implements it answers with a challenge ACK and stays ${String(pState)}.`,
    );
    conn.pendingChallenge = step.index;
  } else {
    P.inf = inf(
      pState,
      'provisional',
      'rcv-rst-ignored',
      () => `Line ${L}: the RST's ${why}, so the ${pName} drops it and stays ${String(pState)}.`,
    );
  }
  outcome.rst = effect;
}

/** The receive window the peer (rev) last advertised, scaled when known. */
function windowOf(rev: { window: number | null; winScale: number }): number | null {
  if (rev.window === null) return null;
  return rev.winScale >= 0 ? rev.window * 2 ** rev.winScale : rev.window;
}

/** Mutable view used by the passes (the public type is readonly). */
export type MutableAnalysis = { -readonly [K in keyof SegmentAnalysis]: SegmentAnalysis[K] };

export function seqInRange(x: number, lo: number, hi: number): boolean {
  return seqGe(x, lo) && seqLe(x, hi);
}
