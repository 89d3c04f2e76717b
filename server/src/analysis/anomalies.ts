// Wireshark's TCP sequence analysis (tcp_analyze_sequence_number), in its order,
// on per-direction state only (O(1) per segment, O(log n) to find the original
// of a retransmission). Where Wireshark's verdicts are known to mislead (the
// analysis reference §5) the rule is refined and the numbers behind every
// verdict go into the finding.
import type { DiagnosticCode, Segment } from './model';
import { ACK, FIN, RST, SYN } from './model';
import { addFinding, findingCount, relatedAt } from './findings';
import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from './seq';
import {
  advanceIndex,
  advanceLine,
  advanceStart,
  advanceTime,
  appendAdvance,
  appendAdvanceRange,
  firstEndAbove,
} from './advances';
import { LAST_KEEP_ALIVE, LAST_ZERO_WINDOW_PROBE, type DirTrack, type Sink, type Step } from './track';

/** Wireshark's fast-retransmission window after the last duplicate ACK. */
const FAST_RETRANSMIT_SECONDS = 0.02;
/** Wireshark's out-of-order threshold when no handshake RTT is known. */
const DEFAULT_OOO_SECONDS = 0.003;

function flag(step: Step, code: DiagnosticCode): void {
  step.codes.push(code);
}

function ms(seconds: number): string {
  return seconds < 0.001 ? `${(seconds * 1000).toFixed(3)} ms` : `${(seconds * 1000).toFixed(1)} ms`;
}

function rel(d: DirTrack, x: number): number {
  return d.base === null ? x : seqDiff(x, d.base);
}

/** Entry number in d's advances of the earlier segment that carried sequence number x, -1 if none. */
export function findCarrier(d: DirTrack, x: number): number {
  const r = rel(d, x);
  const lo = firstEndAbove(d, r);
  if (lo < d.advCount && advanceStart(d, lo) <= r) return lo;
  return -1;
}

/** Entry number in d's advances of the latest segment whose end is at or below x (what an ACK of x acknowledges). */
export function findAcked(d: DirTrack, x: number): number {
  return firstEndAbove(d, rel(d, x)) - 1;
}

export function analyzeSequence(step: Step, seg: Segment, sink: Sink): void {
  const conn = step.conn;
  const seq = step.seq;
  if (seq === null || conn.self) return;
  const fwd = step.fwd;
  const rev = step.rev;
  const f = seg.flags;
  const len = seg.len;
  const ctl = (f & (SYN | FIN | RST)) !== 0;
  const win = seg.win;
  const ack = (f & ACK) !== 0 ? seg.ack : null;
  const id = conn.id;
  let keepAlive = false;
  let probe = false;
  let dup = false;
  let done = false;

  // 1. zero-window probe: one byte at the next sequence number into a closed window.
  if (len === 1 && fwd.hasNext && seq === fwd.nextSeq && rev.window === 0) {
    probe = true;
    done = true;
    flag(step, 'zero-window-probe');
    addFinding(
      sink,
      'zero-window-probe',
      seg,
      id,
      `Zero-window probe: 1 byte at seq ${rel(fwd, seq)} while the peer advertises window 0.`,
      [],
      { seq: rel(fwd, seq), peerWindow: 0 },
    );
  }
  if (!done) {
    // 2. zero window.
    if (win === 0 && !ctl) {
      flag(step, 'zero-window');
      addFinding(
        sink,
        'zero-window',
        seg,
        id,
        'Zero window: the receiver has no buffer space left; the sender must stop and probe.',
        [],
        { win: 0 },
      );
    }
    // 3. lost segment (previous segment not captured).
    if (fwd.hasNext && seqGt(seq, fwd.nextSeq) && (f & RST) === 0) {
      const gap = seqDiff(seq, fwd.nextSeq);
      flag(step, 'lost-segment');
      const local = step.sentByVantage === true;
      // Without text (Sink.keepFindingText) the frequent findings skip building it.
      if (!sink.keepFindingText) addFinding(sink, 'lost-segment', seg, id, '');
      else
        addFinding(
          sink,
          'lost-segment',
          seg,
          id,
          `Previous segment not captured: seq ${rel(fwd, seq)} > next expected ${rel(fwd, fwd.nextSeq)}, ${gap} bytes missing` +
            (local
              ? ' (this host sent them, so the capture dropped them, not the network).'
              : ' (lost before the capture point, or dropped by the capture).'),
          [],
          { seq: rel(fwd, seq), nextExpected: rel(fwd, fwd.nextSeq), missingBytes: gap },
        );
    }
    // 4. keep-alive: 0 or 1 byte at next - 1. Linux sends zero-window probes the same way.
    if ((len === 0 || len === 1) && fwd.hasNext && seq === seqAdd(fwd.nextSeq, -1) && !ctl) {
      keepAlive = true;
      if (rev.window === 0) {
        probe = true;
        flag(step, 'zero-window-probe');
        addFinding(
          sink,
          'zero-window-probe',
          seg,
          id,
          `Zero-window probe: ${len} byte(s) at seq ${rel(fwd, seq)} = next - 1 while the peer advertises window 0 (Linux probes like a keep-alive; Wireshark calls it a keep-alive).`,
          [],
          { seq: rel(fwd, seq), nextSeq: rel(fwd, fwd.nextSeq), peerWindow: 0 },
        );
      } else {
        flag(step, 'keep-alive');
        addFinding(
          sink,
          'keep-alive',
          seg,
          id,
          `Keep-alive: ${len} byte(s) at seq ${rel(fwd, seq)} = next expected - 1; it carries no new data and asks the peer to answer with an ACK.`,
          [],
          { seq: rel(fwd, seq), nextSeq: rel(fwd, fwd.nextSeq) },
        );
      }
    }
    // tcpdump prints no seq on a pure ACK, so a keep-alive (seq = next - 1) looks like a
    // duplicate ACK. A duplicate ACK answers a segment from the peer; with nothing received
    // from the peer since this side's last segment, only a timer can have sent it.
    if (
      !keepAlive &&
      seg.seq === null &&
      len === 0 &&
      !ctl &&
      ack !== null &&
      fwd.hasAck &&
      ack === fwd.lastAck &&
      win === fwd.window &&
      fwd.lastIndex >= 0 &&
      rev.lastSpanIndex < fwd.lastIndex &&
      (rev.lastFlags & (LAST_KEEP_ALIVE | LAST_ZERO_WINDOW_PROBE)) === 0
    ) {
      keepAlive = true;
      // What the sender actually put in the header: SND.NXT - 1.
      step.seq = seqAdd(fwd.nextSeq, -1);
      const zero = rev.window === 0;
      if (zero) probe = true;
      const code = zero ? 'zero-window-probe' : 'keep-alive';
      flag(step, code);
      addFinding(
        sink,
        code,
        seg,
        id,
        `${zero ? 'Zero-window probe' : 'Keep-alive'}: an ACK repeating ack ${rel(rev, ack)} and window ${String(win)} with nothing received from the peer since this side's last segment, so a timer sent it` +
          (zero ? ' while the peer advertises window 0' : '') +
          ' (the trace prints no seq for it; a keep-alive carries seq = next - 1).',
        [],
        { ack: rel(rev, ack), inferred: true },
      );
    }
    const same =
      fwd.hasNext && seq === fwd.nextSeq && ack !== null && fwd.hasAck && ack === fwd.lastAck && !ctl;
    // 5. window update.
    if (
      len === 0 &&
      win !== null &&
      win !== 0 &&
      fwd.window !== null &&
      win !== fwd.window &&
      same &&
      !keepAlive
    ) {
      flag(step, 'window-update');
      addFinding(
        sink,
        'window-update',
        seg,
        id,
        `Window update: window ${fwd.window} → ${win}, nothing else changed.`,
        [],
        {
          previousWindow: fwd.window,
          window: win,
        },
      );
    }
    // 6. window full.
    if (len > 0 && !ctl && rev.winScale !== -1 && rev.hasAck && rev.window !== null) {
      const scale = rev.winScale >= 0 ? rev.winScale : 0;
      // The same power of two as 2 ** scale, without Math.pow on every data segment.
      const edge = seqAdd(rev.lastAck, rev.window * (scale < 31 ? 1 << scale : 2 ** scale));
      if (seqAdd(seq, len) === edge) {
        flag(step, 'window-full');
        addFinding(
          sink,
          'window-full',
          seg,
          id,
          `Window full: this segment ends at ${rel(fwd, edge)}, exactly the right edge of the peer's window (ack ${rel(fwd, rev.lastAck)} + ${rev.window * 2 ** scale}).`,
          [],
          { end: rel(fwd, edge), peerAck: rel(fwd, rev.lastAck), peerWindow: rev.window * 2 ** scale },
        );
      }
    }
    // 7. keep-alive ACK.
    if (
      !keepAlive &&
      len === 0 &&
      win !== null &&
      win !== 0 &&
      win === fwd.window &&
      same &&
      (rev.lastFlags & LAST_KEEP_ALIVE) !== 0
    ) {
      done = true;
      flag(step, 'keep-alive-ack');
      addFinding(
        sink,
        'keep-alive-ack',
        seg,
        id,
        'Keep-alive ACK: the answer to the keep-alive just before.',
        [],
        {},
      );
    }
    // 8. zero-window probe ACK.
    if (
      !done &&
      len === 0 &&
      win === 0 &&
      fwd.window === 0 &&
      fwd.hasNext &&
      seq === fwd.nextSeq &&
      ack !== null &&
      fwd.hasAck &&
      (ack === fwd.lastAck || ack === seqAdd(fwd.lastAck, 1)) &&
      (rev.lastFlags & LAST_ZERO_WINDOW_PROBE) !== 0 &&
      !keepAlive &&
      !ctl
    ) {
      done = true;
      flag(step, 'zero-window-probe-ack');
      addFinding(
        sink,
        'zero-window-probe-ack',
        seg,
        id,
        'Zero-window probe ACK: the window is still closed (win 0).',
        [],
        { win: 0 },
      );
    }
    // 9. duplicate ACK.
    if (!done && !keepAlive && len === 0 && win !== null && win !== 0 && win === fwd.window && same) {
      fwd.dupAcks++;
      dup = true;
      flag(step, 'duplicate-ack');
      if (!sink.keepFindingText) addFinding(sink, 'duplicate-ack', seg, id, '');
      else {
        const of = fwd.dupOf;
        addFinding(
          sink,
          'duplicate-ack',
          seg,
          id,
          `Duplicate ACK #${fwd.dupAcks}${of < 0 ? '' : ` of line ${fwd.dupOfLine + 1}`}: ack ${rel(rev, ack)} and window ${win} again, no data.` +
            (fwd.dupAcks >= 3 ? ' Three or more trigger a fast retransmit.' : ''),
          of < 0 ? [] : [relatedAt(fwd.dupOfLine, of, 'the ACK this duplicates')],
          { ack: rel(rev, ack), count: fwd.dupAcks },
        );
      }
    }
  }
  if (!dup) {
    fwd.dupAcks = 0;
    fwd.dupOf = step.index;
    fwd.dupOfLine = seg.line;
  }

  // 10. ACKed unseen segment.
  if (
    ack !== null &&
    rev.hasNext &&
    seqGt(ack, rev.nextSeq) &&
    !step.codes.includes('handshake-bad-ack') &&
    !(rev.finSeq !== null && rev.nextSeq === seqAdd(rev.finSeq, 1))
  ) {
    flag(step, 'acked-unseen');
    addFinding(
      sink,
      'acked-unseen',
      seg,
      id,
      `ACKed unseen segment: ack ${rel(rev, ack)} is beyond the highest byte the capture saw from the peer (${rel(rev, rev.nextSeq)}); ${seqDiff(ack, rev.nextSeq)} bytes were not captured.`,
      [],
      { ack: rel(rev, ack), highestSeen: rel(rev, rev.nextSeq), unseenBytes: seqDiff(ack, rev.nextSeq) },
    );
    // Only when the finding was made (a disabled code makes none): withdrawn later by index.
    rev.unseenAckFinding = sink.disabled.has('acked-unseen') ? -1 : findingCount(sink) - 1;
    rev.unseenAckIndex = step.index;
    rev.unseenAck = ack | 0;
  }

  // 11. retransmission family.
  if ((len > 0 || (f & (SYN | FIN)) !== 0) && !keepAlive && !probe) {
    let notAdvanced = fwd.hasNext && seqLt(seq, fwd.nextSeq);
    if (len > 1 && fwd.hasNext && seqAdd(fwd.nextSeq, -1) === seq) notAdvanced = false;
    if (len > 0 && rev.hasAck && seqLe(seqAdd(seq, len), rev.lastAck)) {
      const why = sink.keepFindingText
        ? `all of seq ${rel(fwd, seq)}..${rel(fwd, seqAdd(seq, len))} was already acknowledged by the peer (ack ${rel(fwd, rev.lastAck)})`
        : '';
      markRetransmission(step, seg, sink, 'spurious-retransmission', seq, why);
    } else if (notAdvanced) {
      classifyNotAdvanced(step, seg, sink, seq);
    }
  }

  if (probe) fwd.lastFlags = LAST_ZERO_WINDOW_PROBE;
  else if (keepAlive) fwd.lastFlags = LAST_KEEP_ALIVE;
  else fwd.lastFlags = 0;
}

function classifyNotAdvanced(step: Step, seg: Segment, sink: Sink, seq: number): void {
  const fwd = step.fwd;
  const rev = step.rev;
  const t = step.time;
  const len = seg.len;
  const relSeq = rel(fwd, seq);
  const nextRel = rel(fwd, fwd.nextSeq);
  // Fast retransmission: at least two duplicate ACKs for exactly this seq, less than 20 ms ago.
  const sinceAck = Number.isNaN(t) || Number.isNaN(rev.lastAckTime) ? null : t - rev.lastAckTime;
  if (
    rev.dupAcks >= 2 &&
    rev.hasAck &&
    rev.lastAck === seq &&
    sinceAck !== null &&
    sinceAck < FAST_RETRANSMIT_SECONDS
  ) {
    const why = sink.keepFindingText
      ? `seq ${relSeq} < next ${nextRel}, the peer sent ${rev.dupAcks} duplicate ACKs for it, the last ${ms(sinceAck)} ago (< 20 ms)`
      : '';
    markRetransmission(step, seg, sink, 'fast-retransmission', seq, why);
    return;
  }
  // Were these bytes seen before? Wireshark only checks seq+len != next; we look them up.
  const carrier = findCarrier(fwd, seq);
  const seenBefore = carrier >= 0;
  const threshold = step.conn.irtt ?? DEFAULT_OOO_SECONDS;
  const since = Number.isNaN(t) || Number.isNaN(fwd.nextSeqTime) ? null : t - fwd.nextSeqTime;
  const text = sink.keepFindingText;
  if (!seenBefore && since !== null && since < threshold && fwd.nextSeq !== seqAdd(seq, len)) {
    if (step.sentByVantage === true) {
      const why = text
        ? `seq ${relSeq} < next ${nextRel}; ${ms(since)} after the highest segment would look out-of-order, but the capture was taken at this sender, which cannot reorder its own segments`
        : '';
      markRetransmission(step, seg, sink, 'retransmission', seq, why);
      return;
    }
    flag(step, 'out-of-order');
    if (!text) addFinding(sink, 'out-of-order', seg, step.conn.id, '');
    else
      addFinding(
        sink,
        'out-of-order',
        seg,
        step.conn.id,
        `Out-of-order: seq ${relSeq} < next expected ${nextRel}; ${ms(since)} since the highest segment < ${oooThresholdText(step.conn.irtt)}, and these bytes were not seen before → out-of-order.`,
        [],
        { seq: relSeq, nextExpected: nextRel, sinceHighest: since, threshold, seenBefore: false },
      );
    return;
  }
  const why = !text
    ? ''
    : seenBefore
      ? `seq ${relSeq} < next ${nextRel} and the capture saw these bytes before` +
        (since === null
          ? ''
          : ` (${ms(since)} since the highest segment; ${oooThresholdText(step.conn.irtt)})`)
      : `seq ${relSeq} < next ${nextRel}` +
        (since === null
          ? ''
          : `; ${ms(since)} since the highest segment ≥ ${oooThresholdText(step.conn.irtt)}`) +
        ' (the first copy was lost before the capture point)';
  markRetransmission(step, seg, sink, 'retransmission', seq, why);
}

/** The out-of-order threshold as the findings name it. */
function oooThresholdText(irtt: number | null): string {
  return irtt === null ? '3 ms (no handshake RTT known)' : `iRTT ${ms(irtt)}`;
}

function markRetransmission(
  step: Step,
  seg: Segment,
  sink: Sink,
  code: 'retransmission' | 'fast-retransmission' | 'spurious-retransmission',
  seq: number,
  /** Why it is one (the finding's text: '' when the sink keeps no text). */
  why: string,
): void {
  const fwd = step.fwd;
  // Which segment it repeats: only per-segment results and finding text name it (and
  // without them the advance entries no longer tell: see updateTracking).
  const k = sink.keepPerSegment || sink.keepFindingText ? findCarrier(fwd, seq) : -1;
  const orig = k >= 0 ? advanceIndex(fwd, k) : -1;
  step.original = orig;
  fwd.retransmissions++;
  // SYN repeats are reported by the handshake checks as syn-retransmission.
  if ((seg.flags & SYN) !== 0) return;
  flag(step, code);
  // The original's line and time were kept with it: the Segment itself may be gone (streaming).
  const origLine = k >= 0 ? advanceLine(fwd, k) : -1;
  const origTime = k >= 0 ? advanceTime(fwd, k) : NaN;
  const rto = !Number.isNaN(origTime) && seg.time !== null ? seg.time - origTime : null;
  const name =
    code === 'fast-retransmission'
      ? 'Fast retransmission'
      : code === 'spurious-retransmission'
        ? 'Spurious retransmission'
        : 'Retransmission';
  if (!sink.keepFindingText) {
    addFinding(sink, code, seg, step.conn.id, '');
    return;
  }
  addFinding(
    sink,
    code,
    seg,
    step.conn.id,
    `${name}: ${why}` +
      (orig < 0 ? '.' : `; first sent at line ${origLine + 1}${rto === null ? '' : `, ${ms(rto)} earlier`}.`),
    orig < 0 ? [] : [relatedAt(origLine, orig, 'the original transmission')],
    retransmissionDetails(rel(fwd, seq), seg.len, orig >= 0 ? origLine + 1 : -1, rto),
  );
}

/** A retransmission's numbers, in this key order (the JSON output shows it); originalLine -1: none. */
function retransmissionDetails(
  seq: number,
  len: number,
  originalLine: number,
  sinceOriginal: number | null,
): Record<string, number> {
  const details: Record<string, number> = { seq, len };
  if (originalLine >= 0) details.originalLine = originalLine;
  if (sinceOriginal !== null) details.sinceOriginal = sinceOriginal;
  return details;
}

/**
 * Learns the segment into its direction's tracker (after every check has looked at the old values).
 * `carriers`: the walk asks which segment carried a byte (per-segment results, finding text),
 * not only whether one did: one advance entry per segment, not per run (appendAdvanceRange).
 */
export function updateTracking(step: Step, seg: Segment, carriers: boolean): void {
  const fwd = step.fwd;
  const f = seg.flags;
  const seq = step.seq;
  if (fwd.base === null && seq !== null) fwd.base = (f & SYN) !== 0 ? seq : seqAdd(seq, -1);
  if (seq !== null && ((f & RST) === 0 || !fwd.hasNext)) {
    let next = seqAdd(seq, seg.len);
    if ((f & (SYN | FIN)) !== 0) next = seqAdd(next, 1);
    // Most segments carry no codes: no includes() call for them.
    const probe = step.codes.length !== 0 && step.codes.includes('zero-window-probe');
    if ((!fwd.hasNext || seqGt(next, fwd.nextSeq)) && !probe) {
      const start = fwd.hasNext && seqLt(fwd.nextSeq, seq) ? seq : fwd.hasNext ? fwd.nextSeq : seq;
      if (seqGt(next, start) || !fwd.hasNext) {
        if (carriers) appendAdvance(fwd, rel(fwd, seq), rel(fwd, next), step.index, seg.line, step.time);
        else appendAdvanceRange(fwd, rel(fwd, seq), rel(fwd, next), step.index, seg.line, step.time);
      }
      fwd.nextSeq = next;
      fwd.hasNext = true;
      fwd.nextSeqTime = step.time;
    }
  }
  if ((f & ACK) !== 0 && seg.ack !== null) {
    fwd.lastAck = seg.ack;
    fwd.hasAck = true;
    fwd.lastAckTime = step.time;
  }
  // A RST's window means nothing (Linux sends 0).
  if (seg.win !== null && (f & RST) === 0) fwd.window = seg.win;
  if ((f & SYN) !== 0) {
    const ws = seg.options.wscale;
    fwd.winScale = ws === undefined ? -2 : ws;
  }
  fwd.lastIndex = step.index;
  // Segments the peer may answer with an ACK: data, SYN, FIN, and RSTs (challenge ACKs).
  if (step.span > 0 || (f & RST) !== 0) fwd.lastSpanIndex = step.index;
}
