// Handshake diagnostics: repeated and re-numbered SYNs, SYN-ACKs that answer
// nothing or the wrong ISN, simultaneous open, data before the handshake ends,
// and (at the end) attempts that never completed.
import type { Segment } from '../model';
import { ACK, RST, SYN } from '../model';
import { addFinding, related } from '../findings';
import { acksSyn, isSynchronized } from '../state';
import { seqAdd } from '../seq';
import type { ConnTrack, PastSegment, PastSegments, Sink, Step } from '../track';

/** Runs before the state pass: classifies SYNs and SYN-ACKs and records ISNs. */
export function checkHandshakeBefore(step: Step, seg: Segment, segs: PastSegments, sink: Sink): void {
  const f = seg.flags;
  if ((f & SYN) === 0 || (f & RST) !== 0) return;
  const conn = step.conn;
  const fwd = step.fwd;
  const rev = step.rev;
  const seq = seg.seq;
  const prev = fwd.synIndex >= 0 ? segs.at(fwd.synIndex) : undefined;
  const isSynAck = (f & ACK) !== 0;
  const kind = isSynAck ? 'SYN-ACK' : 'SYN';

  if (prev !== undefined && seq !== null && fwd.isn === seq && ((prev.flags & ACK) !== 0) === isSynAck) {
    // Same ISN again: a retransmission (backoff about 1, 2, 4 ... s).
    const first = firstSyn(conn, segs, fwd.synIndex);
    const since = first.time !== null && seg.time !== null ? seg.time - first.time : null;
    const gap = prev.time !== null && seg.time !== null ? seg.time - prev.time : null;
    fwd.synCount++;
    step.original = first.index;
    step.codes.push('syn-retransmission');
    addFinding(
      sink,
      'syn-retransmission',
      seg,
      conn.id,
      `${kind} retransmission #${fwd.synCount - 1} (same ISN ${seq})` +
        (gap === null ? '' : `, ${gap.toFixed(3)} s after the previous one`) +
        (since === null ? '' : ` and ${since.toFixed(3)} s after the first at line ${first.line + 1}`) +
        (isSynAck
          ? ': the server has not received the ACK that completes the handshake.'
          : ': the server has not answered.'),
      [related(first, `the first ${kind}`)],
      { isn: seq, attempt: fwd.synCount, ...(since === null ? {} : { sinceFirst: since }) },
    );
  } else if (!isSynAck && prev !== undefined && seq !== null && fwd.isn !== seq && conn.synAckIndex < 0) {
    conn.isnChanged = true;
    step.codes.push('syn-isn-changed');
    addFinding(
      sink,
      'syn-isn-changed',
      seg,
      conn.id,
      `SYN with ISN ${seq} while the SYN at line ${prev.line + 1} (ISN ${String(fwd.isn)}) is still unanswered: a new attempt on the same ports.`,
      [related(prev, 'the earlier SYN')],
      { isn: seq, previousIsn: fwd.isn ?? -1 },
    );
    fwd.synCount = 1;
    // The new attempt starts a new sequence space.
    fwd.hasNext = false;
    fwd.advCount = 0;
  } else {
    fwd.synCount = prev === undefined ? 1 : fwd.synCount + 1;
  }

  if (
    !isSynAck &&
    rev.synIndex >= 0 &&
    (segs.at(rev.synIndex).flags & ACK) === 0 &&
    conn.synAckIndex < 0 &&
    fwd.synIndex < 0
  ) {
    conn.simultaneous = true;
    step.codes.push('simultaneous-open');
    addFinding(
      sink,
      'simultaneous-open',
      seg,
      conn.id,
      `Simultaneous open: both ends sent a SYN (line ${segs.at(rev.synIndex).line + 1} and here); each answers with a SYN-ACK that reuses its ISN (RFC 9293 Fig. 7).`,
      [related(segs.at(rev.synIndex), 'the other SYN')],
      {},
    );
  }

  if (!isSynAck && isSynchronized(step.receiver.state)) conn.pendingChallenge = step.index;

  if (isSynAck) {
    const syn = rev.synIndex >= 0 ? segs.at(rev.synIndex) : undefined;
    if (syn === undefined) {
      if (!conn.self && conn.synAckIndex < 0) {
        step.codes.push('synack-without-syn');
        addFinding(
          sink,
          'synack-without-syn',
          seg,
          conn.id,
          'SYN-ACK without a SYN in the trace: the capture started after the SYN, or missed it.',
          [],
          {},
        );
      }
    } else if (!acksSyn(seg.ack, conn.self ? fwd.isn : rev.isn, syn.len) && !conn.self) {
      const expected = rev.isn === null ? null : seqAdd(rev.isn, 1);
      step.codes.push('handshake-bad-ack');
      addFinding(
        sink,
        'handshake-bad-ack',
        seg,
        conn.id,
        `SYN-ACK acknowledges ${String(seg.ack)}, but the SYN at line ${syn.line + 1} has ISN ${String(rev.isn)}: expected ack ${String(expected)}` +
          (syn.len > 0 ? ` (up to ${String(seqAdd(rev.isn ?? 0, 1 + syn.len))} with its TFO data)` : '') +
          '. An old duplicate or a broken middlebox; the client should answer with a RST.',
        [related(syn, 'the SYN this answers')],
        { ack: seg.ack ?? -1, expected: expected ?? -1, isn: rev.isn ?? -1 },
      );
    }
    if (conn.synAckIndex < 0) conn.synAckIndex = step.index;
  }
  if (seq !== null) {
    // The latest SYN (or SYN-ACK): the next repeat measures its backoff from it.
    fwd.synIndex = step.index;
    fwd.isn = seq;
    fwd.base = seq;
  }
}

function firstSyn(conn: ConnTrack, segs: PastSegments, latest: number): PastSegment {
  const l = segs.at(latest);
  const kind = l.flags & (SYN | ACK);
  for (const i of conn.synSegments) {
    const s = segs.at(i);
    if (
      (s.flags & (SYN | ACK)) === kind &&
      s.seq === l.seq &&
      s.src.host === l.src.host &&
      s.src.port === l.src.port
    ) {
      return s;
    }
  }
  return l;
}

/** Runs after the state pass: data sent before the sender's handshake finished. */
export function checkHandshakeAfter(
  step: Step,
  seg: Segment,
  segs: PastSegments,
  sink: Sink,
  established: boolean,
): void {
  const conn = step.conn;
  if (established && conn.establishedIndex < 0) {
    conn.establishedIndex = step.index;
    const firstSyn = conn.c2s.synIndex >= 0 ? segs.at(conn.c2s.synIndex) : undefined;
    if (firstSyn !== undefined && firstSyn.time !== null && seg.time !== null && conn.irtt === null) {
      conn.irtt = seg.time - earliestSynTime(conn, segs);
    }
  }
  if (seg.len === 0 || (seg.flags & (SYN | RST)) !== 0) return;
  const before = step.senderBefore;
  const noAck = (seg.flags & ACK) === 0;
  const tfoServer =
    before === 'SYN_RECV' &&
    step.rev.synIndex >= 0 &&
    segs.at(step.rev.synIndex).len > 0 &&
    conn.synAckIndex >= 0;
  if (before === 'SYN_SENT' || (before === 'SYN_RECV' && !tfoServer && !conn.simultaneous) || noAck) {
    step.codes.push('data-before-established');
    addFinding(
      sink,
      'data-before-established',
      seg,
      conn.id,
      noAck
        ? `${seg.len} bytes of data without the ACK flag: every segment after the SYN must carry an ACK (RFC 9293 §3.10.7.4).`
        : `${seg.len} bytes of data while the sender is still ${before}: the three-way handshake has not completed.`,
      conn.synAckIndex >= 0 ? [related(segs.at(conn.synAckIndex), 'the SYN-ACK')] : [],
      { len: seg.len, state: before ?? 'unknown' },
    );
  }
}

function earliestSynTime(conn: ConnTrack, segs: PastSegments): number {
  for (const i of conn.synSegments) {
    const s = segs.at(i);
    if ((s.flags & (SYN | ACK)) === SYN && s.time !== null) return s.time;
  }
  return segs.at(conn.c2s.synIndex).time ?? 0;
}

/** At the end: attempts that never completed. */
export function checkHandshakeEnd(conn: ConnTrack, segs: PastSegments, sink: Sink): void {
  if (conn.refused || conn.self) return;
  const c = conn.c2s;
  if (c.synIndex < 0 || !conn.sawSyn) return;
  if (conn.synAckIndex < 0 && !conn.simultaneous) {
    if (conn.resetIndex >= 0) return;
    const syn = firstSynOf(conn, segs);
    addFinding(
      sink,
      'handshake-incomplete',
      syn,
      conn.id,
      `Handshake incomplete: no SYN-ACK answers this SYN` +
        (c.synCount > 1 ? ` (sent ${c.synCount} times)` : '') +
        ' — the server is down, filtered, or the answer was not captured.',
      [],
      { attempts: c.synCount },
    );
    return;
  }
  if (conn.establishedIndex < 0 && conn.synAckIndex >= 0 && conn.resetIndex < 0 && !conn.simultaneous) {
    const synAck = segs.at(conn.synAckIndex);
    addFinding(
      sink,
      'handshake-incomplete',
      synAck,
      conn.id,
      `Handshake incomplete: the SYN-ACK is never acknowledged, so the server stays half-open in SYN_RECV` +
        (conn.s2c.synCount > 1 ? ` (SYN-ACK sent ${conn.s2c.synCount} times)` : '') +
        '.',
      c.synIndex >= 0 ? [related(segs.at(c.synIndex), 'the SYN')] : [],
      { synAckAttempts: conn.s2c.synCount },
    );
  }
}

export function firstSynOf(conn: ConnTrack, segs: PastSegments): PastSegment {
  // Only segments with the SYN flag can match: synSegments lists them.
  for (const i of conn.synSegments) {
    const s = segs.at(i);
    if ((s.flags & (SYN | ACK | RST)) === SYN) return s;
  }
  return segs.at(conn.firstSegment);
}
