// One phrase per segment saying what it does in the connection (hovers, diagram).
import type { Phase, Segment } from './model';
import { ACK, FIN, RST, SYN } from './model';
import { roleCode, RoleKind } from './roleTexts';
import { seqAdd, seqDiff } from './seq';
import { RstEffect } from './state';
import type { PastSegments, Step } from './track';

/**
 * The role of a segment: its code (roleTexts.ts: the text is made when read), or the
 * text itself for the rare roles that quote two numbers (TCP Fast Open data in a SYN).
 */
export function roleOf(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  established: boolean,
  rst: RstEffect,
): number | string {
  const f = seg.flags;
  const client = step.c2s;
  for (const code of step.codes) {
    switch (code) {
      case 'keep-alive':
        return roleCode(RoleKind.KeepAlive);
      case 'keep-alive-ack':
        return roleCode(RoleKind.KeepAliveAck);
      case 'zero-window-probe':
        return roleCode(RoleKind.ZeroWindowProbe);
      case 'zero-window-probe-ack':
        return roleCode(RoleKind.ZeroWindowProbeAck);
      case 'window-update':
        return roleCode(RoleKind.WindowUpdate);
      case 'challenge-ack':
        return roleCode(RoleKind.ChallengeAck);
      default:
        break;
    }
  }
  if ((f & RST) !== 0) {
    if (rst === RstEffect.Refused)
      return roleCode(client ? RoleKind.RstRefusedByClient : RoleKind.RstRefusedByServer);
    if (rst === RstEffect.Challenged) return roleCode(RoleKind.RstChallenged);
    if (rst === RstEffect.Ignored) return roleCode(RoleKind.RstIgnored);
    return roleCode(client ? RoleKind.RstAbortedByClient : RoleKind.RstAbortedByServer);
  }
  if ((f & SYN) !== 0) {
    if ((f & ACK) !== 0) {
      const isn = step.rev.isn;
      if (isn === null) return roleCode(RoleKind.SynAckUnseenSyn);
      const syn = step.rev.synIndex >= 0 ? segs.at(step.rev.synIndex) : undefined;
      if (syn !== undefined && syn.len > 0 && seg.ack !== null) {
        const acked = seqDiff(seg.ack, isn) - 1;
        return acked >= syn.len
          ? `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${isn} + 1 and the ${syn.len} bytes of TCP Fast Open data`
          : `SYN-ACK: second step of the three-way handshake, acknowledging ISN ${isn} + 1 but not the ${syn.len} bytes of TCP Fast Open data (the client sends them again)`;
      }
      return roleCode(RoleKind.SynAck, isn);
    }
    if (step.codes.includes('syn-retransmission')) return roleCode(RoleKind.SynRetransmission, seg.seq);
    if (step.conn.simultaneous && step.codes.includes('simultaneous-open'))
      return roleCode(client ? RoleKind.SimultaneousClientSyn : RoleKind.SimultaneousServerSyn, seg.seq);
    return seg.len > 0
      ? `SYN: first step of the three-way handshake (ISN ${String(seg.seq)}) with ${seg.len} bytes of TCP Fast Open data`
      : roleCode(RoleKind.Syn, seg.seq);
  }
  if ((f & FIN) !== 0) {
    const too = step.receiverBefore === 'FIN_WAIT_1' || step.receiverBefore === 'FIN_WAIT_2';
    if (client) return roleCode(too ? RoleKind.ClientFinToo : RoleKind.ClientFinSending, seg.len);
    return roleCode(too ? RoleKind.ServerFinToo : RoleKind.ServerFinSending, seg.len);
  }
  if (established) {
    return seg.len > 0
      ? roleCode(RoleKind.ThirdStepWithData, seg.len)
      : roleCode(RoleKind.ThirdStepAck, step.rev.isn);
  }
  if (seg.len > 0) return roleCode(RoleKind.Data, seg.len);
  if ((f & ACK) !== 0 && step.rev.finSeq !== null && seg.ack === seqAdd(step.rev.finSeq, 1)) {
    return roleCode(client ? RoleKind.AckOfServerFin : RoleKind.AckOfClientFin);
  }
  return roleCode(RoleKind.PureAck);
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
