// tcpdump's relative numbers turned back into absolute ones, as the text
// path's normaliser does it (parse/numbering.ts, tcpdumpAbsolute: its file
// comment tells the rule), on endpoint ids instead of Endpoint objects: one
// table for the lines built from their fields and those read from their text.
import type { SackBlock } from '../model';
import { ACK, SYN } from '../model';
import type { Absolute } from '../parse/numbering';
import { PairSlots } from './pairSlots';

export class CaptureNumbering {
  /** Entries by their endpoint pair (lower id first). */
  private readonly pairs = new PairSlots();
  /** Per entry: the endpoint whose sequence space `baseA` is, and the two bases. */
  private readonly entryA: number[] = [];
  private readonly baseA: number[] = [];
  private readonly baseB: number[] = [];
  /** seq of the last SYN (without ACK) by (sender, receiver). */
  private readonly syns = new PairSlots();
  private readonly synSeq: number[] = [];

  /** tcpdumpAbsolute() for a line of these fields, written into `out`. */
  absolute(
    src: number,
    dst: number,
    flags: number,
    flagsKnown: boolean,
    printedSeq: number | null,
    printedAck: number | null,
    sack: readonly SackBlock[] | undefined,
    out: Absolute,
  ): void {
    const hasAck = (flags & ACK) !== 0;
    out.sack = sack;
    out.seq = printedSeq;
    out.ack = hasAck ? printedAck : null;
    if (!flagsKnown) return;
    if (!hasAck) {
      if ((flags & SYN) !== 0 && printedSeq !== null) this.synSeq[this.syns.add(src, dst)] = printedSeq;
      return;
    }
    const lo = src < dst ? src : dst;
    const hi = src < dst ? dst : src;
    let e = this.pairs.get(lo, hi);
    if (e < 0 || (flags & SYN) !== 0) {
      // A pure ACK prints no seq; after a SYN of the same pair (SYN-ACK missed) it is ISN+1.
      let baseSrc = printedSeq ?? 0;
      if (printedSeq === null) {
        const syn = this.syns.get(src, dst);
        if (syn >= 0) baseSrc = (this.synSeq[syn] + 1) >>> 0;
      }
      const baseDst = printedAck === null ? 0 : (printedAck - 1) >>> 0;
      if (e < 0) e = this.pairs.add(lo, hi);
      this.entryA[e] = src;
      this.baseA[e] = baseSrc;
      this.baseB[e] = baseDst;
      out.sack = shiftSack(sack, baseDst);
      return;
    }
    const mine = this.entryA[e] === src;
    const own = mine ? this.baseA[e] : this.baseB[e];
    const peer = mine ? this.baseB[e] : this.baseA[e];
    if (printedSeq !== null) out.seq = (printedSeq + own) >>> 0;
    if (printedAck !== null) out.ack = (printedAck + peer) >>> 0;
    out.sack = shiftSack(sack, peer);
  }
}

function shiftSack(sack: readonly SackBlock[] | undefined, base: number): readonly SackBlock[] | undefined {
  if (sack === undefined || base === 0) return sack;
  return sack.map((b) => ({ left: (b.left + base) >>> 0, right: (b.right + base) >>> 0 }));
}
