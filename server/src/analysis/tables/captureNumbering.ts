// tcpdump's relative numbers turned back into absolute ones, as the text
// path's normaliser does it (parse/numbering.ts, tcpdumpAbsolute: its file
// comment tells the rule), on endpoint ids instead of Endpoint objects: one
// table for the lines built from their fields and those read from their text.
//
// Each entry also remembers whether its bases are known to be tcpdump's own
// for the pair (synced): then a relative number printed by tcpdump, moved by
// the entry's base, is the number on the wire, and the direct path takes the
// wire's numbers without asking the entry (segments.ts tells when).
import type { SackBlock } from '../model';
import { ACK, SYN } from '../model';
import type { Absolute } from '../parse/numbering';
import { PairSlots } from './pairSlots';

export class CaptureNumbering {
  /** Entries by their endpoint pair (lower id first). */
  private readonly pairs = new PairSlots();
  /**
   * Per entry e, at 3e: the endpoint whose sequence space the first base is,
   * and the two bases (as int32): one stretch of memory per entry.
   */
  private entries = new Int32Array(3 * 1024);
  /**
   * Per entry: 1 when sync() found its bases equal to tcpdump's and no
   * absolute() call has touched the entry since; 0 otherwise.
   */
  private synced = new Uint8Array(1024);
  /** seq of the last SYN (without ACK) by (sender, receiver). */
  private readonly syns = new PairSlots();
  private readonly synSeq: number[] = [];

  /**
   * tcpdumpAbsolute() for a line of these fields, written into `out`. `known`
   * is the pair's slot as an earlier call returned it, or -1; returns the
   * pair's slot after the call (-1 while it has none): slots never move, so
   * a caller may keep it for the pair's next lines.
   */
  absolute(
    src: number,
    dst: number,
    flags: number,
    flagsKnown: boolean,
    printedSeq: number | null,
    printedAck: number | null,
    sack: readonly SackBlock[] | undefined,
    out: Absolute,
    known = -1,
  ): number {
    const hasAck = (flags & ACK) !== 0;
    out.sack = sack;
    out.seq = printedSeq;
    out.ack = hasAck ? printedAck : null;
    if (!flagsKnown) return known;
    if (!hasAck) {
      if ((flags & SYN) !== 0 && printedSeq !== null) this.synSeq[this.syns.add(src, dst)] = printedSeq;
      return known;
    }
    const lo = src < dst ? src : dst;
    const hi = src < dst ? dst : src;
    let e = known >= 0 ? known : this.pairs.get(lo, hi);
    if (e < 0 || (flags & SYN) !== 0) {
      // A pure ACK prints no seq; after a SYN of the same pair (SYN-ACK missed) it is ISN+1.
      let baseSrc = printedSeq ?? 0;
      if (printedSeq === null) {
        const syn = this.syns.get(src, dst);
        if (syn >= 0) baseSrc = (this.synSeq[syn] + 1) >>> 0;
      }
      const baseDst = printedAck === null ? 0 : (printedAck - 1) >>> 0;
      if (e < 0) e = this.pairs.add(lo, hi);
      if (3 * e + 3 > this.entries.length) {
        const entries = new Int32Array(this.entries.length * 2);
        entries.set(this.entries);
        this.entries = entries;
        const synced = new Uint8Array(this.synced.length * 2);
        synced.set(this.synced);
        this.synced = synced;
      }
      const entries = this.entries;
      this.synced[e] = 0;
      entries[3 * e] = src;
      entries[3 * e + 1] = baseSrc;
      entries[3 * e + 2] = baseDst;
      out.sack = shiftSack(sack, baseDst);
      return e;
    }
    const entries = this.entries;
    this.synced[e] = 0;
    const mine = entries[3 * e] === src;
    const own = entries[3 * e + (mine ? 1 : 2)];
    const peer = entries[3 * e + (mine ? 2 : 1)] >>> 0;
    if (printedSeq !== null) out.seq = (printedSeq + own) >>> 0;
    if (printedAck !== null) out.ack = (printedAck + peer) >>> 0;
    out.sack = shiftSack(sack, peer);
    return e;
  }

  /**
   * Records whether entry `e` (just returned by absolute() for a line from
   * `src`) holds tcpdump's bases for the pair: `srcBase` of src's sequence
   * space and `dstBase` of the peer's (as int32, the way both tables store them).
   */
  sync(e: number, src: number, srcBase: number, dstBase: number): void {
    const entries = this.entries;
    const mine = entries[3 * e] === src;
    const own = entries[3 * e + (mine ? 1 : 2)];
    const peer = entries[3 * e + (mine ? 2 : 1)];
    this.synced[e] = own === srcBase && peer === dstBase ? 1 : 0;
  }

  /** Is entry `e` synced (see sync())? false for -1. */
  isSynced(e: number): boolean {
    return e >= 0 && this.synced[e] === 1;
  }
}

function shiftSack(sack: readonly SackBlock[] | undefined, base: number): readonly SackBlock[] | undefined {
  if (sack === undefined || base === 0) return sack;
  return sack.map((b) => ({ left: (b.left + base) >>> 0, right: (b.right + base) >>> 0 }));
}
