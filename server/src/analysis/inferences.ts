// The state inferences the state machine (state.ts) makes, with the sentence
// saying why, written when something reads it. The walk makes about one
// inference per transition (a big trace: ~330,000) and writes each straight into
// the per-segment results' rows of columns (inferenceRows.ts), without an object:
// a user reads a few of them (hovers, inlay hint tooltips). An inference says
// which sentence it says and the few values the sentence quotes; Inferred holds
// those in an object (for inferences made by hand: tests), which the rows copy.
import type { Confidence, StateInference, TcpState } from './model';

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

/**
 * An inference as an object. `how` is the sentence << 2 | the names' bits; `line`
 * the 1-based line of the segment that made it; `a` and `b` the values the sentence
 * quotes. `rows` and `row`: the row of the last rows table that stored it, so that
 * the segments sharing it share one row (inferenceRows.ts).
 */
export class Inferred implements StateInference {
  rows: object | null = null;
  row = -1;

  constructor(
    readonly state: TcpState | null,
    readonly confidence: Confidence,
    readonly rule: string,
    readonly how: number,
    readonly line: number,
    readonly a: Quoted,
    readonly b: Quoted,
  ) {}

  get reason(): string {
    return sentence(this.how, this.line, this.a, this.b, this.state);
  }
}

/** An inference whose sentence `sentence` (with the names' bits) is written when read. */
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
 * The sentence `how` (Sentence << 2 | the names' bits) of an inference of line `L`
 * quoting `a` and `b`; a quoted inference gives its own sentence.
 */
export function sentence(how: number, L: number, a: Quoted, b: Quoted, state: TcpState | null): string {
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
      return `${(a as StateInference).reason} Confirmed at line ${L}: the ${aName} acknowledges everything the peer sent (ack ${q(b)}).`;
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
