// The state inferences the state machine (state.ts) makes, with the sentence
// saying why, written when something first reads it. A big trace makes about one
// inference per segment and a user reads a few of them (hovers, inlay hint
// tooltips): an inference keeps which sentence it says and the few values the
// sentence quotes, in fields of its own — a closure over them, as before, cost a
// function and a context object more per inference (about 110 bytes of 190).
import type { Confidence, StateInference, TcpState } from './model';
import { moveLinesInText, type LineMove, type LineMoves } from './lineMoves';

/** The sentences, by what happened. The comment names the values `a` and `b` they quote. */
export const enum Sentence {
  /** a: it sent data (boolean) */
  SenderMidstream,
  SenderAcksSyn,
  SenderAcksUnseenSynAck,
  /** a: ack, b: the state before */
  SenderAcksPeerFin,
  /** a: the inference confirmed, b: ack */
  Confirmed,
  /** a: what it receives */
  ReceiverMidstream,
  /** a: ack, b: ISN */
  ReceiverAcksSynAck,
  /** a: FIN seq, b: ack */
  FinAckedInFinWait1,
  /** a: ack */
  FinAckedInClosing,
  /** a: ack */
  FinAckedInLastAck,
  /** a: SYN payload length, b: ISN */
  SynSent,
  SelfConnect,
  RcvSynInSynSent,
  RcvSynSynchronized,
  RcvSynUnanswered,
  /** a: the SYN's line (-1: none) */
  SndSynAck,
  /** a: the SYN's line */
  RcvSyn,
  RcvSynAckUnseenSyn,
  /** a: ack, b: the peer's ISN */
  RcvSynAckBadAck,
  /** a: ISN, b: the state before */
  RcvSynAck,
  /** a: ack */
  SndFinCrossing,
  SndFinAfterPeer,
  /** a: FIN seq, b: the state before */
  SndFin,
  /** a: the state before */
  RcvFinEstablished,
  RcvFinAckOfFin,
  RcvFinSimultaneous,
  RcvFinInFinWait2,
  RcvFinAgain,
  /** a: ack */
  RcvRstRefused,
  RcvRstSynSent,
  /** a: port */
  SndRstNoListener,
  SndRst,
  /** a: the SYN's line, b: port */
  RcvSynNoListener,
  /** a: ack */
  RcvRstIgnoredInSynSent,
  /** a: seq */
  SndRstBadSynAck,
  SndRstAborts,
  /** a: why */
  SndRstNotAccepted,
  /** a: why, b: the state before */
  RcvRst,
  /** a: why */
  RcvRstChallenge,
  /** a: why */
  RcvRstIgnored,
}

/** A value a sentence quotes. */
export type Quoted = number | string | boolean | null | StateInference;

/** Which endpoint the sentence calls the sender and the receiver: bit 0 and bit 1 set for the server. */
export const SENDER_IS_SERVER = 1;
export const RECEIVER_IS_SERVER = 2;

const WRITTEN = -1;

class Inferred implements StateInference {
  /** Sentence << 2 | the names' bits; WRITTEN once the sentence is in #a. */
  #how: number;
  /** The 1-based line of the segment that made the inference. */
  readonly #line: number;
  #a: Quoted;
  #b: Quoted;
  /**
   * Lines moved since the sentence was written (see moveInference): the moves
   * composed for every inference with the same earlier moves, shared by them (an
   * object of its own per inference was ~40 bytes for each of the ~330,000 a
   * line break moves on the 50 MB bench trace). Its last move is the last one
   * applied: an inference shared by many segments moves once per edit.
   */
  #moved: LineMoves | null = null;

  constructor(
    readonly state: TcpState | null,
    readonly confidence: Confidence,
    readonly rule: string,
    how: number,
    line: number,
    a: Quoted,
    b: Quoted,
  ) {
    this.#how = how;
    this.#line = line;
    this.#a = a;
    this.#b = b;
  }

  get reason(): string {
    const written = this.asWritten();
    return this.#moved === null ? written : moveLinesInText(written, this.#moved);
  }

  /** The sentence with the lines as they were when the analysis made the inference. */
  asWritten(): string {
    if (this.#how !== WRITTEN) {
      this.#a = sentence(this.#how, this.#line, this.#a, this.#b, this.state);
      this.#b = null;
      this.#how = WRITTEN;
    }
    return this.#a as string;
  }

  /** See moveInference(). */
  move(move: LineMove, composed: (prior: LineMoves | null) => LineMoves): void {
    const moved = this.#moved;
    if (moved === null) this.#moved = composed(null);
    else if (moved[moved.length - 1] !== move) this.#moved = composed(moved);
  }
}

/** An inference whose sentence `sentence` (with the names' bits) is written when first read. */
export function inferred(
  state: TcpState | null,
  confidence: Confidence,
  rule: string,
  sentence: Sentence,
  names: number,
  line: number,
  a: Quoted = null,
  b: Quoted = null,
): StateInference {
  return new Inferred(state, confidence, rule, (sentence << 2) | names, line, a, b);
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

function sentence(how: number, L: number, a: Quoted, b: Quoted, state: TcpState | null): string {
  const aName = (how & SENDER_IS_SERVER) === 0 ? 'client' : 'server';
  const pName = (how & RECEIVER_IS_SERVER) === 0 ? 'client' : 'server';
  switch ((how >> 2) as Sentence) {
    case Sentence.SenderMidstream:
      return `The trace starts mid-stream: the ${aName} sends ${a === true ? 'data' : 'an ACK'} at line ${L} without a handshake in the trace, so it is assumed ESTABLISHED.`;
    case Sentence.SenderAcksSyn:
      return `Line ${L}: the ${aName} acknowledges the peer's SYN, which confirms it is ESTABLISHED.`;
    case Sentence.SenderAcksUnseenSynAck:
      return `Line ${L}: the ${aName} acknowledges the peer's SYN, so it must have received a SYN-ACK the trace does not show: ESTABLISHED.`;
    case Sentence.SenderAcksPeerFin:
      return `Line ${L}: the ${aName} acknowledges the peer's FIN (ack ${q(a)}), so it received it: ${q(b)} → ${q(state)}.`;
    case Sentence.Confirmed:
      return `${writtenReason(a as StateInference)} Confirmed at line ${L}: the ${aName} acknowledges everything the peer sent (ack ${q(b)}).`;
    case Sentence.ReceiverMidstream:
      return `The trace starts mid-stream: the ${pName} receives ${q(a)} at line ${L} without a handshake in the trace, so it is assumed ESTABLISHED.`;
    case Sentence.ReceiverAcksSynAck:
      return `Line ${L}: the ${pName} receives the ACK of its SYN-ACK (ack ${q(a)} = ISN ${q(b)} + 1): SYN_RECV → ESTABLISHED, the handshake is complete.`;
    case Sentence.FinAckedInFinWait1:
      return `Line ${L}: the ${pName}'s FIN (seq ${q(a)}) is acknowledged (ack ${q(b)}): FIN_WAIT_1 → FIN_WAIT_2.`;
    case Sentence.FinAckedInClosing:
      return `Line ${L}: in a simultaneous close the ${pName}'s FIN is acknowledged (ack ${q(a)}): CLOSING → TIME_WAIT.`;
    case Sentence.FinAckedInLastAck:
      return `Line ${L}: the last ACK acknowledges the ${pName}'s FIN (ack ${q(a)}): LAST_ACK → CLOSED.`;
    case Sentence.SynSent: {
      const tfo = (a as number) > 0 ? ` carrying ${q(a)} bytes of TCP Fast Open data` : '';
      return `Line ${L}: the ${aName} sent a SYN (ISN ${q(b)})${tfo}: active open, CLOSED → SYN_SENT.`;
    }
    case Sentence.SelfConnect:
      return `Line ${L}: the socket connects to itself and receives its own SYN, as in a simultaneous open: SYN_SENT → SYN_RECV.`;
    case Sentence.RcvSynInSynSent:
      return `Line ${L}: the ${pName} is in SYN_SENT and receives the ${aName}'s SYN: simultaneous open (RFC 9293 Fig. 7), SYN_SENT → SYN_RECV.`;
    case Sentence.RcvSynSynchronized:
      return `Line ${L}: a SYN reaches the ${pName} in ${q(state)}; RFC 5961 answers it with a challenge ACK and keeps the state.`;
    case Sentence.RcvSynUnanswered:
      return `Line ${L}: a SYN reaches the ${pName}; the trace shows no answer to it, so whether a socket listens there is unknown.`;
    case Sentence.SndSynAck:
      return `Line ${L}: the ${aName} sent a SYN-ACK${(a as number) >= 0 ? ` answering the SYN at line ${q(a)}` : ''}: passive open, LISTEN → SYN_RECV.`;
    case Sentence.RcvSyn:
      return `Line ${q(a)}: the ${aName} received the SYN; its SYN-ACK at line ${L} shows it went LISTEN → SYN_RECV.`;
    case Sentence.RcvSynAckUnseenSyn:
      return `Line ${L}: the ${pName} receives a SYN-ACK for a SYN the trace does not show; a client that sent that SYN becomes ESTABLISHED.`;
    case Sentence.RcvSynAckBadAck:
      return `Line ${L}: the SYN-ACK acknowledges ${q(a)}, not ISN ${q(b)} + 1, so the ${pName} ignores it and should answer with a RST (RFC 9293 Fig. 8).`;
    case Sentence.RcvSynAck:
      return `Line ${L}: the ${pName} receives a SYN-ACK acknowledging its ISN ${q(a)} + 1: ${q(b)} → ESTABLISHED.`;
    case Sentence.SndFinCrossing:
      return `Line ${L}: the ${aName} sent a FIN whose ack ${q(a)} does not cover the peer's FIN, so it had not received that FIN yet: ESTABLISHED → FIN_WAIT_1 (simultaneous close).`;
    case Sentence.SndFinAfterPeer:
      return `Line ${L}: the ${aName} had received the peer's FIN and now sends its own: CLOSE_WAIT → LAST_ACK.`;
    case Sentence.SndFin:
      return `Line ${L}: the ${aName} sent a FIN (seq ${q(a)}): active close, ${q(b ?? 'ESTABLISHED')} → FIN_WAIT_1.`;
    case Sentence.RcvFinEstablished:
      return `Line ${L}: the ${pName} receives the ${aName}'s FIN: ${q(a)} → CLOSE_WAIT (it may still send data: half-close).`;
    case Sentence.RcvFinAckOfFin:
      return `Line ${L}: the ${pName} receives a FIN that also acknowledges its own FIN: FIN_WAIT_1 → TIME_WAIT (RFC 9293 Fig. 5 note 2).`;
    case Sentence.RcvFinSimultaneous:
      return `Line ${L}: the ${pName} receives the ${aName}'s FIN before its own FIN is acknowledged: simultaneous close, FIN_WAIT_1 → CLOSING.`;
    case Sentence.RcvFinInFinWait2:
      return `Line ${L}: the ${pName} receives the ${aName}'s FIN: FIN_WAIT_2 → TIME_WAIT (2×MSL timer; Linux 60 s).`;
    case Sentence.RcvFinAgain:
      return `Line ${L}: the ${aName} repeats its FIN (the last ACK was lost?); the ${pName} stays in TIME_WAIT and restarts the 2×MSL timer.`;
    case Sentence.RcvRstRefused:
      return `Line ${L}: the ${pName}'s SYN is answered with RST+ACK (ack ${q(a)} = ISN + 1): connection refused, SYN_SENT → CLOSED.`;
    case Sentence.RcvRstSynSent:
      return `Line ${L}: a RST acknowledging the ${pName}'s SYN: SYN_SENT → CLOSED.`;
    case Sentence.SndRstNoListener:
      return `Line ${L}: the ${aName} answers the SYN with a RST: nothing listens on port ${q(a)}, so it is CLOSED.`;
    case Sentence.SndRst:
      return `Line ${L}: the ${aName} sent a RST: → CLOSED.`;
    case Sentence.RcvSynNoListener:
      return `Line ${q(a)}: no socket listens on port ${q(b)}: the RST at line ${L} refuses the SYN.`;
    case Sentence.RcvRstIgnoredInSynSent:
      return `Line ${L}: in SYN_SENT a RST counts only if it acknowledges the SYN (RFC 9293 §3.5.3); ack ${q(a)} does not, so the ${pName} ignores it.`;
    case Sentence.SndRstBadSynAck:
      return `Line ${L}: the ${aName} answers the SYN-ACK that acknowledged the wrong ISN with a RST at seq ${q(a)} (its ack) and keeps waiting in SYN_SENT (RFC 9293 Fig. 8).`;
    case Sentence.SndRstAborts:
      return `Line ${L}: the ${aName} sent a RST: it aborts the connection (Linux closes at once; RFC 9293 allows TIME_WAIT) → CLOSED.`;
    case Sentence.SndRstNotAccepted:
      return `Line ${L}: a RST from the ${aName}'s address that the peer does not accept (${q(a)}); had the real ${aName} sent it, it would now be CLOSED, a spoofed or stale RST changes nothing.`;
    case Sentence.RcvRst:
      return `Line ${L}: the ${pName} receives the ${aName}'s RST${a === '' ? '' : ` (${q(a)})`}: ${q(b ?? 'unknown')} → ${q(state)}${state === 'LISTEN' ? ' (a passive open goes back to LISTEN)' : ''}.`;
    case Sentence.RcvRstChallenge:
      return `Line ${L}: RFC 5961: the RST's ${q(a)}, so a stack that implements it answers with a challenge ACK and stays ${q(state)}.`;
    case Sentence.RcvRstIgnored:
      return `Line ${L}: the RST's ${q(a)}, so the ${pName} drops it and stays ${q(state)}.`;
  }
}

/** A quoted value as a template literal prints it. */
function q(value: Quoted): string {
  return String(value);
}
