// Words for hovers: what each TCP state means (RFC 9293), what each flag
// letter and field is. Plain strings, no LSP.
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG, type FieldKind, type TcpState } from '../analysis';

export interface StateExplanation {
  /** The name as RFC 9293 spells it. */
  readonly rfcName: string;
  readonly section: string;
  readonly meaning: string;
  readonly waitingFor: string;
  readonly movesOn: string;
}

export const STATE_EXPLANATIONS: Readonly<Record<TcpState, StateExplanation>> = {
  LISTEN: {
    rfcName: 'LISTEN',
    section: '§3.3.2, §3.5',
    meaning: 'a passive open: the endpoint accepts connection requests on this port',
    waitingFor: 'a SYN from any remote endpoint',
    movesOn: 'a SYN arrives → it sends SYN-ACK and enters SYN-RECEIVED',
  },
  SYN_SENT: {
    rfcName: 'SYN-SENT',
    section: '§3.3.2, §3.5',
    meaning: 'an active open: the endpoint sent its SYN',
    waitingFor: 'a SYN-ACK acknowledging its ISN + 1 (or a plain SYN: simultaneous open)',
    movesOn: 'SYN-ACK with the right ack → ESTABLISHED; RST acknowledging the SYN → CLOSED (refused)',
  },
  SYN_RECV: {
    rfcName: 'SYN-RECEIVED',
    section: '§3.3.2, §3.5',
    meaning: 'the endpoint received a SYN and answered with SYN-ACK',
    waitingFor: 'the ACK of its own SYN (the third step of the handshake)',
    movesOn: 'an ACK of its ISN + 1 → ESTABLISHED; RST → LISTEN (passive open) or CLOSED',
  },
  ESTABLISHED: {
    rfcName: 'ESTABLISHED',
    section: '§3.3.2',
    meaning: 'the connection is open: data flows both ways',
    waitingFor: 'data, ACKs, or a FIN from either side',
    movesOn: 'it sends FIN → FIN-WAIT-1; it receives FIN → CLOSE-WAIT; RST → CLOSED',
  },
  FIN_WAIT_1: {
    rfcName: 'FIN-WAIT-1',
    section: '§3.3.2, §3.6',
    meaning: 'the endpoint closed its sending side and sent FIN',
    waitingFor: 'the ACK of its FIN, or the peer’s FIN',
    movesOn: 'ACK of its FIN → FIN-WAIT-2; peer’s FIN → CLOSING; FIN that also ACKs its FIN → TIME-WAIT',
  },
  FIN_WAIT_2: {
    rfcName: 'FIN-WAIT-2',
    section: '§3.3.2, §3.6',
    meaning: 'its FIN is acknowledged; the peer may still send data (half-close)',
    waitingFor: 'the peer’s FIN',
    movesOn: 'peer’s FIN → TIME-WAIT',
  },
  CLOSE_WAIT: {
    rfcName: 'CLOSE-WAIT',
    section: '§3.3.2, §3.6',
    meaning: 'the peer sent FIN; this endpoint may still send data',
    waitingFor: 'its own application to close',
    movesOn: 'it sends FIN → LAST-ACK',
  },
  CLOSING: {
    rfcName: 'CLOSING',
    section: '§3.3.2, §3.6 (simultaneous close)',
    meaning: 'both sides sent FIN before either FIN was acknowledged',
    waitingFor: 'the ACK of its FIN',
    movesOn: 'ACK of its FIN → TIME-WAIT',
  },
  LAST_ACK: {
    rfcName: 'LAST-ACK',
    section: '§3.3.2, §3.6',
    meaning: 'it received the peer’s FIN and sent its own',
    waitingFor: 'the ACK of its FIN',
    movesOn: 'ACK of its FIN → CLOSED',
  },
  TIME_WAIT: {
    rfcName: 'TIME-WAIT',
    section: '§3.3.2, §3.6.1',
    meaning: 'both FINs are exchanged; the endpoint lingers to re-ACK a retransmitted FIN',
    waitingFor: '2×MSL to pass (RFC: MSL 2 min; Linux: 60 s in total)',
    movesOn: 'the timer expires → CLOSED (a new SYN may reopen the connection)',
  },
  CLOSED: {
    rfcName: 'CLOSED',
    section: '§3.3.2',
    meaning: 'no connection state',
    waitingFor: 'nothing',
    movesOn: 'an active open (SYN) or a passive open (LISTEN)',
  },
};

export function rfcStateName(state: TcpState): string {
  return STATE_EXPLANATIONS[state].rfcName;
}

/** Short forms for the compact inlay-hint mode. */
export const COMPACT_STATE: Readonly<Record<TcpState, string>> = {
  LISTEN: 'LSN',
  SYN_SENT: 'SS',
  SYN_RECV: 'SR',
  ESTABLISHED: 'EST',
  FIN_WAIT_1: 'FW1',
  FIN_WAIT_2: 'FW2',
  CLOSE_WAIT: 'CW',
  CLOSING: 'CLG',
  LAST_ACK: 'LA',
  TIME_WAIT: 'TW',
  CLOSED: 'CL',
};

export interface FlagInfo {
  readonly bit: number;
  readonly name: string;
  readonly meaning: string;
}

/** tcpdump's flag letters (`.` is ACK; `e` is AccECN's AE bit). */
export const FLAG_LETTERS: Readonly<Record<string, FlagInfo>> = {
  S: {
    bit: SYN,
    name: 'SYN',
    meaning: 'synchronize: opens a connection and carries the ISN; takes one sequence number',
  },
  F: { bit: FIN, name: 'FIN', meaning: 'finish: the sender has no more data; takes one sequence number' },
  R: { bit: RST, name: 'RST', meaning: 'reset: aborts the connection (or refuses it)' },
  P: { bit: PSH, name: 'PSH', meaning: 'push: deliver the data to the application now' },
  '.': { bit: ACK, name: 'ACK', meaning: 'the acknowledgement number is valid' },
  U: { bit: URG, name: 'URG', meaning: 'the urgent pointer is valid' },
  E: {
    bit: ECE,
    name: 'ECE',
    meaning: 'ECN echo (RFC 3168): the receiver saw congestion (CE), or ECN negotiation on a SYN',
  },
  W: { bit: CWR, name: 'CWR', meaning: 'congestion window reduced (RFC 3168): answer to ECE' },
  e: { bit: AE, name: 'AE', meaning: 'accurate ECN bit (RFC 9768 AccECN)' },
};

/** tshark prints flag names instead of letters. */
export const FLAG_NAMES: Readonly<Record<string, FlagInfo>> = Object.fromEntries(
  Object.values(FLAG_LETTERS).map((f) => [f.name, f]),
);

export function flagsText(flags: number): string {
  const names = Object.values(FLAG_LETTERS)
    .filter((f) => (flags & f.bit) !== 0)
    .map((f) => f.name);
  return names.length > 0 ? names.join('+') : 'none';
}

export const FIELD_DESCRIPTIONS: Readonly<Record<FieldKind, string>> = {
  time: 'Capture timestamp of the packet',
  number: 'Frame number in the capture',
  'src-host': 'Source address: the sender of this segment',
  'src-port': 'Source port',
  'dst-host': 'Destination address: the receiver of this segment',
  'dst-port': 'Destination port',
  flags: 'TCP flags',
  seq: 'Sequence number: the position of the first payload byte (or of the SYN/FIN) in the sender’s byte stream',
  ack: 'Acknowledgement number: the next sequence number the sender expects from its peer',
  win: 'Receive window: how many bytes the sender can still accept (multiply by 2^wscale from the SYN)',
  urg: 'Urgent pointer',
  options: 'TCP options',
  length: 'TCP payload length in bytes',
  payload: 'Application data',
  analysis: 'Analysis label printed by the tool',
};
