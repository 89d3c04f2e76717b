// Relative → absolute sequence numbers (formats doc §5).
//
// tcpdump keeps one entry per address/port pair, made by an ACK-bearing SYN or
// by the first ACK-bearing segment of the pair; that segment prints absolute
// numbers and the entry stores the sender's seq and ack−1 as the two sides'
// bases. Later ACK-bearing segments print seq − base[sender] and
// ack − base[receiver]; SACK blocks are relative to base[receiver] too. Segments
// without ACK print absolute numbers. We replay the same bookkeeping.
//
// When the creating segment printed no seq (a pure ACK without -vv), its base
// is the ISN+1 of a SYN seen earlier on the same pair; without one it is
// unknowable and we take 0, which keeps the sender's later seqs and the peer's
// acks of them consistent with each other (both are relative to that base).
import type { Endpoint, SackBlock } from '../model';
import { ACK, SYN } from '../model';
import { Numbering, type PacketRecord } from './records';

interface Bases {
  /** The endpoint whose seq space baseA is. */
  readonly a: Endpoint;
  baseA: number;
  baseB: number;
}

/** Two-level map on interned endpoint objects: no key strings to build. */
export class PairTable {
  private readonly map = new Map<Endpoint, Map<Endpoint, Bases>>();
  /** seq of the last SYN (without ACK) from src to dst. */
  private readonly syns = new Map<Endpoint, Map<Endpoint, number>>();

  synSeq(src: Endpoint, dst: Endpoint): number | undefined {
    return this.syns.get(src)?.get(dst);
  }

  setSyn(src: Endpoint, dst: Endpoint, seq: number): void {
    let m = this.syns.get(src);
    if (m === undefined) {
      m = new Map();
      this.syns.set(src, m);
    }
    m.set(dst, seq);
  }

  /** The last pair looked up: consecutive segments mostly belong to one connection. */
  private lastX: Endpoint | null = null;
  private lastY: Endpoint | null = null;
  private lastBases: Bases | undefined;

  get(src: Endpoint, dst: Endpoint): Bases | undefined {
    if ((src === this.lastX && dst === this.lastY) || (src === this.lastY && dst === this.lastX))
      return this.lastBases;
    const b = this.map.get(src)?.get(dst);
    this.lastX = src;
    this.lastY = dst;
    this.lastBases = b;
    return b;
  }

  set(src: Endpoint, dst: Endpoint, b: Bases): void {
    this.put(src, dst, b);
    this.put(dst, src, b);
    this.lastX = src;
    this.lastY = dst;
    this.lastBases = b;
  }

  private put(x: Endpoint, y: Endpoint, b: Bases): void {
    let m = this.map.get(x);
    if (m === undefined) {
      m = new Map();
      this.map.set(x, m);
    }
    m.set(y, b);
  }
}

/**
 * Does this tcpdump trace print relative numbers (the default) or absolute ones
 * (-S)? Replays the entry bookkeeping and, for each later ACK-bearing segment,
 * asks whether its printed ack is nearer to 0 or to the stored absolute base.
 * Reads the records only until the vote is clear (a lazy iterable is read that far).
 */
export function tcpdumpPrintsRelative(records: Iterable<PacketRecord>): boolean {
  const vote = new RelativeVote();
  for (const r of records) {
    vote.add(r);
    if (vote.settled) break;
  }
  return vote.relative;
}

/**
 * tcpdumpPrintsRelative() fed one record at a time, so that a reader can act on
 * the answer as soon as it cannot change (settled) instead of after a fixed
 * number of records.
 */
export class RelativeVote {
  private readonly table = new PairTable();
  private relativeVotes = 0;
  private absoluteVotes = 0;
  private clear = false;

  /** The vote is clear: more records would not be read (tcpdumpPrintsRelative stops here). */
  get settled(): boolean {
    return this.clear;
  }

  /** The answer so far (final once settled). */
  get relative(): boolean {
    return this.relativeVotes >= this.absoluteVotes;
  }

  /** Counts one packet record (records of other numberings, and after settled, count nothing). */
  add(r: PacketRecord): void {
    if (
      this.clear ||
      r.numbering !== Numbering.Tcpdump ||
      !r.flagsKnown ||
      (r.flags & ACK) === 0 ||
      r.printedAck === null
    )
      return;
    const table = this.table;
    const e = table.get(r.src, r.dst);
    if (e === undefined || (r.flags & SYN) !== 0) {
      const seq = r.printedSeq ?? 0;
      const b: Bases = { a: r.src, baseA: seq, baseB: (r.printedAck - 1) >>> 0 };
      table.set(r.src, r.dst, b);
      return;
    }
    // ack against the receiver's base, seq (when printed) against the sender's.
    const ackBase = e.a === r.src ? e.baseB : e.baseA;
    this.vote(r.printedAck, ackBase);
    if (r.printedSeq !== null) this.vote(r.printedSeq, e.a === r.src ? e.baseA : e.baseB);
    const votes = this.relativeVotes + this.absoluteVotes;
    if (votes >= 64 && Math.abs(this.relativeVotes - this.absoluteVotes) >= 32) this.clear = true;
  }

  /**
   * Under each reading, the distance of the number from its side's base: streams move
   * forward, so a negative distance (the number lies before the base) is implausible, and
   * otherwise the smaller distance wins. (A number far into the stream and close to 2^32
   * is near 0 as a signed value, which a plain "nearer to 0" test takes for relative.)
   */
  private vote(printed: number, base: number): void {
    const dRel = printed | 0;
    const dAbs = (printed - base) | 0;
    if (dRel < 0 && dAbs >= 0) this.absoluteVotes++;
    else if (dAbs < 0 && dRel >= 0) this.relativeVotes++;
    else if (Math.abs(dRel) < Math.abs(dAbs)) this.relativeVotes++;
    else if (Math.abs(dAbs) < Math.abs(dRel)) this.absoluteVotes++;
  }
}

/** Absolute seq/ack/SACK of one record, written into `out`. */
export interface Absolute {
  seq: number | null;
  ack: number | null;
  sack: readonly SackBlock[] | undefined;
}

function shiftSack(sack: readonly SackBlock[] | undefined, base: number): readonly SackBlock[] | undefined {
  if (sack === undefined || base === 0) return sack;
  return sack.map((b) => ({ left: (b.left + base) >>> 0, right: (b.right + base) >>> 0 }));
}

/** tcpdump default numbering, replayed (see the file comment). */
export function tcpdumpAbsolute(r: PacketRecord, table: PairTable, out: Absolute): void {
  const hasAck = (r.flags & ACK) !== 0;
  out.sack = r.options.sack;
  out.seq = r.printedSeq;
  out.ack = hasAck ? r.printedAck : null;
  if (!r.flagsKnown) return;
  if (!hasAck) {
    if ((r.flags & SYN) !== 0 && r.printedSeq !== null) table.setSyn(r.src, r.dst, r.printedSeq);
    return;
  }
  const e = table.get(r.src, r.dst);
  if (e === undefined || (r.flags & SYN) !== 0) {
    // A pure ACK prints no seq; after a SYN of the same pair (SYN-ACK missed) it is ISN+1.
    const syn = r.printedSeq === null ? table.synSeq(r.src, r.dst) : undefined;
    const baseSrc = r.printedSeq ?? (syn === undefined ? 0 : (syn + 1) >>> 0);
    const baseDst = r.printedAck === null ? 0 : (r.printedAck - 1) >>> 0;
    table.set(r.src, r.dst, { a: r.src, baseA: baseSrc, baseB: baseDst });
    out.sack = shiftSack(r.options.sack, baseDst);
    return;
  }
  const own = e.a === r.src ? e.baseA : e.baseB;
  const peer = e.a === r.src ? e.baseB : e.baseA;
  if (r.printedSeq !== null) out.seq = (r.printedSeq + own) >>> 0;
  if (r.printedAck !== null) out.ack = (r.printedAck + peer) >>> 0;
  out.sack = shiftSack(r.options.sack, peer);
}

/**
 * packetdrill: lines with SYN are absolute; the others are relative to each
 * side's SYN (its ISN; socket.h in packetdrill). Bases per direction pair.
 */
export function drillAbsolute(r: PacketRecord, table: PairTable, out: Absolute): void {
  out.sack = r.options.sack;
  const hasAck = (r.flags & ACK) !== 0;
  let e = table.get(r.src, r.dst);
  if (e === undefined) {
    e = { a: r.src, baseA: 0, baseB: 0 };
    table.set(r.src, r.dst, e);
  }
  const mine = e.a === r.src;
  if ((r.flags & SYN) !== 0) {
    out.seq = r.printedSeq;
    out.ack = hasAck ? r.printedAck : null;
    if (r.printedSeq !== null) {
      if (mine) e.baseA = r.printedSeq;
      else e.baseB = r.printedSeq;
    }
    return;
  }
  const own = mine ? e.baseA : e.baseB;
  const peer = mine ? e.baseB : e.baseA;
  out.seq = r.printedSeq === null ? null : (r.printedSeq + own) >>> 0;
  out.ack = hasAck && r.printedAck !== null ? (r.printedAck + peer) >>> 0 : null;
  out.sack = shiftSack(r.options.sack, peer);
}

/**
 * The absolute seq/ack/SACK of a record, written into `out`, by its numbering:
 * tcpdump's relative numbers replayed (when the trace prints them relative),
 * packetdrill's relative-to-ISN numbers, or the printed numbers as they are.
 */
export function absoluteOf(
  r: PacketRecord,
  relative: boolean,
  tcpdumpTable: PairTable,
  drillTable: PairTable,
  out: Absolute,
): void {
  if (r.numbering === Numbering.Tcpdump && relative) tcpdumpAbsolute(r, tcpdumpTable, out);
  else if (r.numbering === Numbering.Packetdrill) drillAbsolute(r, drillTable, out);
  else {
    out.seq = r.printedSeq;
    out.ack = (r.flags & ACK) !== 0 ? r.printedAck : null;
    out.sack = r.options.sack;
  }
}
