// The texts of segment roles (roles.ts says which applies), as a code: a kind and
// the one number its text quotes, packed into one number. The language server keeps
// every segment's role (segmentAnalyses.ts); a role made as a template string per
// segment (the SYN, SYN-ACK and third-step ACK of every connection: "... (ISN
// 1234)") was a tree of three or four string objects the collector copied while the
// open walked, about 300,000 of them on the 50 MB bench trace. The text is made
// when a role is read.

/** What a role says; the comment names the number it quotes. */
export const enum RoleKind {
  KeepAlive = 1,
  KeepAliveAck,
  ZeroWindowProbe,
  ZeroWindowProbeAck,
  WindowUpdate,
  ChallengeAck,
  RstRefusedByClient,
  RstRefusedByServer,
  RstChallenged,
  RstIgnored,
  RstAbortedByClient,
  RstAbortedByServer,
  SynAckUnseenSyn,
  /** the ISN acknowledged */
  SynAck,
  /** the SYN's sequence number (null: unknown) */
  SynRetransmission,
  /** the SYN's sequence number */
  SimultaneousClientSyn,
  SimultaneousServerSyn,
  Syn,
  /** the FIN's payload length (0: none), for the four FIN kinds */
  ClientFinToo,
  ClientFinSending,
  ServerFinToo,
  ServerFinSending,
  /** the payload length */
  ThirdStepWithData,
  /** the peer's ISN (null: unknown) */
  ThirdStepAck,
  /** the payload length */
  Data,
  AckOfServerFin,
  AckOfClientFin,
  PureAck,
  /** tcpdump -q, or a header cut before the flags */
  FlagsUnknown,
}

/** Kinds fit in the low bits; the number quoted + 1 (0 for null) above them. */
const KIND_BITS = 64;
/** Numbers quoted up to here keep the code an exact integer (uint32s and lengths always are). */
const MAX_QUOTED = 2 ** 40;

/**
 * The code of a role of `kind` quoting `value` (a uint32, a length, or null); its
 * text itself for a number a code cannot hold.
 */
export function roleCode(kind: RoleKind, value: number | null = null): number | string {
  if (value === null) return kind;
  if (Number.isInteger(value) && value >= 0 && value < MAX_QUOTED) return kind + KIND_BITS * (value + 1);
  return textOf(kind, value);
}

/** The role a code stands for, as it reads. */
export function roleText(code: number): string {
  const kind = code % KIND_BITS;
  const above = (code - kind) / KIND_BITS;
  return textOf(kind, above === 0 ? null : above - 1);
}

function textOf(kind: RoleKind, n: number | null): string {
  const v = String(n);
  switch (kind as RoleKind) {
    case RoleKind.KeepAlive:
      return 'Keep-alive: asks the peer to confirm the connection is still there';
    case RoleKind.KeepAliveAck:
      return 'Keep-alive ACK: answers the keep-alive';
    case RoleKind.ZeroWindowProbe:
      return 'Zero-window probe: asks whether the peer’s window has opened';
    case RoleKind.ZeroWindowProbeAck:
      return 'Zero-window probe ACK: the window is still closed';
    case RoleKind.WindowUpdate:
      return 'Window update: the receiver has room again';
    case RoleKind.ChallengeAck:
      return 'Challenge ACK (RFC 5961): answers a RST or SYN that was not accepted';
    case RoleKind.RstRefusedByClient:
      return 'RST: the client refuses the connection (nothing listens on the port)';
    case RoleKind.RstRefusedByServer:
      return 'RST: the server refuses the connection (nothing listens on the port)';
    case RoleKind.RstChallenged:
      return 'RST: in the window but not at the expected sequence number (RFC 5961 challenge)';
    case RoleKind.RstIgnored:
      return 'RST: outside the window, ignored by the receiver';
    case RoleKind.RstAbortedByClient:
      return 'RST: the client aborts the connection';
    case RoleKind.RstAbortedByServer:
      return 'RST: the server aborts the connection';
    case RoleKind.SynAckUnseenSyn:
      return 'SYN-ACK: second step of the three-way handshake (its SYN was not captured)';
    case RoleKind.SynAck:
      return `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${v} + 1`;
    case RoleKind.SynRetransmission:
      return `SYN retransmission (ISN ${v})`;
    case RoleKind.SimultaneousClientSyn:
      return `SYN: simultaneous open, the client's own SYN (ISN ${v})`;
    case RoleKind.SimultaneousServerSyn:
      return `SYN: simultaneous open, the server's own SYN (ISN ${v})`;
    case RoleKind.Syn:
      return `SYN: first step of the three-way handshake (ISN ${v})`;
    case RoleKind.ClientFinToo:
      return withData('FIN: the client closes its side too', n);
    case RoleKind.ClientFinSending:
      return withData('FIN: the client closes its sending side', n);
    case RoleKind.ServerFinToo:
      return withData('FIN: the server closes its side too', n);
    case RoleKind.ServerFinSending:
      return withData('FIN: the server closes its sending side', n);
    case RoleKind.ThirdStepWithData:
      return `ACK: third step of the three-way handshake, with ${v} bytes of data`;
    case RoleKind.ThirdStepAck:
      return `ACK: third step of the three-way handshake, acknowledging ISN ${v} + 1`;
    case RoleKind.Data:
      return dataRole(n ?? 0);
    case RoleKind.AckOfServerFin:
      return "ACK of the server's FIN";
    case RoleKind.AckOfClientFin:
      return "ACK of the client's FIN";
    case RoleKind.PureAck:
      return 'ACK: acknowledges data, carries none';
    case RoleKind.FlagsUnknown:
      return 'Segment whose TCP flags the trace does not show (tcpdump -q or a truncated header)';
  }
  return '';
}

function withData(role: string, len: number | null): string {
  return len === null || len === 0 ? role : `${role} after ${len} bytes of data`;
}

const dataRoles: string[] = [];

/** The texts of data lengths below 64 KiB are made once (most segments carry one of a few lengths). */
function dataRole(len: number): string {
  if (len >= 65536) return `Data: ${len} bytes`;
  let r = dataRoles[len];
  if (r === undefined) dataRoles[len] = r = `Data: ${len} byte${len === 1 ? '' : 's'}`;
  return r;
}
