// Teardown diagnostics: resets (and refusals), challenge ACKs, data after a FIN
// or a RST, and ACKs that acknowledge more than a FIN.
import type { RelatedLocation, Segment } from '../model';
import { ACK, FIN, RST, SYN } from '../model';
import { addFinding, findingCode, findingCount, findingSegment, related, relatedAt } from '../findings';
import { RstEffect } from '../state';
import { seqAdd, seqDiff, seqGe, seqGt } from '../seq';
import type { PastSegments, Sink, Step } from '../track';

export function checkTeardown(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  sink: Sink,
  rst: RstEffect,
): void {
  const conn = step.conn;
  const f = seg.flags;
  const who = step.c2s ? 'client' : 'server';
  const L = seg.line + 1;

  // A pending RST or SYN that a RFC 5961 stack answers with a challenge ACK.
  if (conn.pendingChallenge >= 0 && conn.pendingChallenge !== step.index) {
    const cause = segs.at(conn.pendingChallenge);
    const fromReceiver =
      cause.src !== seg.src && !(cause.src.host === seg.src.host && cause.src.port === seg.src.port);
    if (fromReceiver) {
      conn.pendingChallenge = -1;
      if ((f & (SYN | FIN | RST)) === 0 && (f & ACK) !== 0 && seg.len === 0) {
        const isRst = (cause.flags & RST) !== 0;
        // By Wireshark's rules it also looks like a duplicate ACK; it is not one.
        const dup = step.codes.indexOf('duplicate-ack');
        if (dup >= 0) {
          step.codes.splice(dup, 1);
          step.fwd.dupAcks = Math.max(0, step.fwd.dupAcks - 1);
          for (let k = findingCount(sink) - 1; k >= 0; k--) {
            if (findingSegment(sink, k) !== step.index) break;
            if (findingCode(sink, k) === 'duplicate-ack') sink.withdrawn.add(k);
          }
        }
        step.codes.push('challenge-ack');
        addFinding(
          sink,
          'challenge-ack',
          seg,
          conn.id,
          isRst
            ? `Challenge ACK (RFC 5961 §3.2): the RST at line ${cause.line + 1} had seq ${String(cause.seq)}, in the window but not the expected ${String(seg.ack)}, so it did not reset the connection; a genuine peer answers with a RST at seq ${String(seg.ack)}.`
            : `Challenge ACK (RFC 5961 §4.2): the SYN at line ${cause.line + 1} arrived on a synchronized connection; the ${who} answers with an ACK and keeps the connection.`,
          [related(cause, isRst ? 'the RST that was not accepted' : 'the SYN inside the connection')],
          { ack: seg.ack ?? -1, rstSeq: cause.seq ?? -1 },
        );
      }
    }
  }

  if (rst === RstEffect.Refused) {
    const syn = step.rev.synIndex >= 0 ? segs.at(step.rev.synIndex) : undefined;
    step.codes.push('connection-refused');
    addFinding(
      sink,
      'connection-refused',
      seg,
      conn.id,
      `Connection refused: the ${who} answers the SYN with RST+ACK (ack ${String(seg.ack)} = ISN + 1): nothing listens on port ${seg.src.port}.`,
      syn === undefined ? [] : [related(syn, 'the refused SYN')],
      { port: seg.src.port },
    );
    return;
  }
  if (rst === RstEffect.Effective && step.sender.rule === 'snd-rst-bad-synack') return;
  if (rst === RstEffect.Effective) {
    const last = lastFrom(step);
    const state = step.senderBefore ?? 'an unknown state';
    const afterClose =
      step.fwd.finSeq !== null && step.fwd.finIndex >= 0 && step.fwd.finIndex !== step.index
        ? ` after its own FIN at line ${segs.at(step.fwd.finIndex).line + 1} (the application closed while data was still arriving)`
        : '';
    step.codes.push('connection-reset');
    addFinding(
      sink,
      'connection-reset',
      seg,
      conn.id,
      `Connection reset by the ${who} in ${state}${afterClose}: both ends are now CLOSED; unread or unsent data is lost.`,
      last === undefined ? [] : [last],
      { state, ...(seg.seq === null ? {} : { seq: seg.seq }) },
    );
    return;
  }

  if (seg.len > 0 && (f & RST) === 0) {
    const rstIdx = conn.resetIndex;
    if (rstIdx >= 0 && rstIdx < step.index && !conn.refused) {
      const rstSeg = segs.at(rstIdx);
      const own =
        rstSeg.src === seg.src || (rstSeg.src.host === seg.src.host && rstSeg.src.port === seg.src.port);
      step.codes.push('data-after-reset');
      addFinding(
        sink,
        'data-after-reset',
        seg,
        conn.id,
        own
          ? `${seg.len} bytes of data from the ${who} after it reset the connection at line ${rstSeg.line + 1}.`
          : `${seg.len} bytes of data from the ${who} after the peer's RST at line ${rstSeg.line + 1}: it crossed the RST or the ${who} ignored it; the peer will answer with another RST.`,
        [related(rstSeg, 'the RST')],
        { len: seg.len },
      );
    } else if (step.fwd.finSeq !== null && step.seq !== null && step.fwd.finIndex !== step.index) {
      const end = seqAdd(step.seq, seg.len);
      if (seqGt(end, step.fwd.finSeq)) {
        const fin = segs.at(step.fwd.finIndex);
        step.codes.push('data-after-fin');
        addFinding(
          sink,
          'data-after-fin',
          seg,
          conn.id,
          `Data after FIN: the ${who} sends bytes up to ${seqDiff(end, step.fwd.base ?? 0)} after its FIN at line ${fin.line + 1} (seq ${seqDiff(step.fwd.finSeq, step.fwd.base ?? 0)}); a FIN ends the sender's byte stream.`,
          [related(fin, 'the FIN')],
          { finSeq: seqDiff(step.fwd.finSeq, step.fwd.base ?? 0), end: seqDiff(end, step.fwd.base ?? 0) },
        );
      }
    }
  }

  // An ACK beyond the peer's FIN acknowledges sequence space that does not exist.
  const peerFin = step.rev.finSeq;
  if ((f & ACK) !== 0 && seg.ack !== null && peerFin !== null && (f & RST) === 0) {
    const limit = seqAdd(peerFin, 1);
    if (seqGt(seg.ack, limit) && seqGe(step.rev.nextSeq, limit) && step.rev.nextSeq === limit) {
      const fin = segs.at(step.rev.finIndex);
      step.codes.push('fin-bad-ack');
      addFinding(
        sink,
        'fin-bad-ack',
        seg,
        conn.id,
        `ack ${seqDiff(seg.ack, step.rev.base ?? 0)} goes beyond the peer's FIN (seq ${seqDiff(peerFin, step.rev.base ?? 0)}, so at most ${seqDiff(limit, step.rev.base ?? 0)} can be acknowledged).`,
        fin === undefined ? [] : [related(fin, 'the FIN')],
        { ack: seqDiff(seg.ack, step.rev.base ?? 0), expected: seqDiff(limit, step.rev.base ?? 0) },
      );
    }
  }
  void L;
}

/**
 * The peer's latest segment as a related location, when it is among the connection's last 64 (an older one
 * says little about the reset). A self-connect has no peer to tell apart.
 */
function lastFrom(step: Step): RelatedLocation | undefined {
  const conn = step.conn;
  if (conn.self) return undefined;
  const peer = step.rev;
  if (peer.lastSent < 0 || peer.lastSentAt < conn.segmentCount - 64) return undefined;
  return relatedAt(peer.lastSentLine, peer.lastSent, 'the peer’s last segment before the reset');
}
