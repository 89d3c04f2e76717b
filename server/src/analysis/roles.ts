// One phrase per segment saying what it does in the connection (hovers, diagram).
import type { Phase, Segment } from './model';
import { ACK, FIN, RST, SYN } from './model';
import { seqAdd, seqDiff } from './seq';
import { RstEffect } from './state';
import type { PastSegments, Step } from './track';

const dataRoles: string[] = [];

function dataRole(len: number): string {
  if (len >= 65536) return `Data: ${len} bytes`;
  let r = dataRoles[len];
  if (r === undefined) dataRoles[len] = r = `Data: ${len} byte${len === 1 ? '' : 's'}`;
  return r;
}

const PURE_ACK = 'ACK: acknowledges data, carries none';

/**
 * The roles of a FIN without data and of an ACK of a FIN, by side: constants, not a
 * string made per segment (the language server keeps every segment's role; on a
 * trace of short connections these are a quarter of its segments).
 */
const FIN_ROLES = {
  client: {
    tooSide: 'FIN: the client closes its side too',
    sendingSide: 'FIN: the client closes its sending side',
    ackOfPeerFin: "ACK of the server's FIN",
  },
  server: {
    tooSide: 'FIN: the server closes its side too',
    sendingSide: 'FIN: the server closes its sending side',
    ackOfPeerFin: "ACK of the client's FIN",
  },
} as const;

export function roleOf(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  established: boolean,
  rst: RstEffect,
): string {
  const f = seg.flags;
  const side = step.c2s ? 'client' : 'server';
  for (const code of step.codes) {
    switch (code) {
      case 'keep-alive':
        return 'Keep-alive: asks the peer to confirm the connection is still there';
      case 'keep-alive-ack':
        return 'Keep-alive ACK: answers the keep-alive';
      case 'zero-window-probe':
        return 'Zero-window probe: asks whether the peer’s window has opened';
      case 'zero-window-probe-ack':
        return 'Zero-window probe ACK: the window is still closed';
      case 'window-update':
        return 'Window update: the receiver has room again';
      case 'challenge-ack':
        return 'Challenge ACK (RFC 5961): answers a RST or SYN that was not accepted';
      default:
        break;
    }
  }
  if ((f & RST) !== 0) {
    if (rst === RstEffect.Refused)
      return `RST: the ${side} refuses the connection (nothing listens on the port)`;
    if (rst === RstEffect.Challenged)
      return 'RST: in the window but not at the expected sequence number (RFC 5961 challenge)';
    if (rst === RstEffect.Ignored) return 'RST: outside the window, ignored by the receiver';
    return `RST: the ${side} aborts the connection`;
  }
  if ((f & SYN) !== 0) {
    if ((f & ACK) !== 0) {
      const isn = step.rev.isn;
      if (isn === null) return 'SYN-ACK: second step of the three-way handshake (its SYN was not captured)';
      const syn = step.rev.synIndex >= 0 ? segs.at(step.rev.synIndex) : undefined;
      if (syn !== undefined && syn.len > 0 && seg.ack !== null) {
        const acked = seqDiff(seg.ack, isn) - 1;
        return acked >= syn.len
          ? `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${isn} + 1 and the ${syn.len} bytes of TCP Fast Open data`
          : `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${isn} + 1 but not the ${syn.len} bytes of TCP Fast Open data (the client sends them again)`;
      }
      return `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${isn} + 1`;
    }
    if (step.codes.includes('syn-retransmission')) return `SYN retransmission (ISN ${String(seg.seq)})`;
    if (step.conn.simultaneous && step.codes.includes('simultaneous-open'))
      return `SYN: simultaneous open, the ${side}'s own SYN (ISN ${String(seg.seq)})`;
    return seg.len > 0
      ? `SYN: first step of the three-way handshake (ISN ${String(seg.seq)}) with ${seg.len} bytes of TCP Fast Open data`
      : `SYN: first step of the three-way handshake (ISN ${String(seg.seq)})`;
  }
  if ((f & FIN) !== 0) {
    const too = step.receiverBefore === 'FIN_WAIT_1' || step.receiverBefore === 'FIN_WAIT_2';
    const role = too ? FIN_ROLES[side].tooSide : FIN_ROLES[side].sendingSide;
    return seg.len === 0 ? role : `${role} after ${seg.len} bytes of data`;
  }
  if (established) {
    return seg.len > 0
      ? `ACK: third step of the three-way handshake, with ${seg.len} bytes of data`
      : `ACK: third step of the three-way handshake, acknowledging ISN ${String(step.rev.isn)} + 1`;
  }
  if (seg.len > 0) return dataRole(seg.len);
  if ((f & ACK) !== 0 && step.rev.finSeq !== null && seg.ack === seqAdd(step.rev.finSeq, 1)) {
    return FIN_ROLES[side].ackOfPeerFin;
  }
  return PURE_ACK;
}

export function phaseOf(step: Step, seg: Segment, established: boolean): Phase {
  const f = seg.flags;
  const conn = step.conn;
  if ((f & RST) !== 0 || (conn.resetIndex >= 0 && conn.resetIndex <= step.index && !conn.refused))
    return 'reset';
  if ((f & SYN) !== 0 || established) return 'handshake';
  if ((f & FIN) !== 0 || conn.c2s.finSeq !== null || conn.s2c.finSeq !== null) return 'teardown';
  if (conn.sawSyn && conn.establishedIndex < 0 && !conn.simultaneous && seg.len === 0) return 'handshake';
  return 'data';
}
