// The earlier segments a streaming analysis still keeps (stream.ts), by index:
// their PastSegment fields in typed arrays of CHUNK slots (per slot the time as a
// double and the other fields as 32-bit integers, 32 bytes), slots given back and
// used again as segments are dropped, and the slot of each kept segment's index in a
// hash table. A kept object per segment took about 130 bytes (its header, nine
// fields and boxed numbers) and an array by index 8 bytes a segment of the trace;
// here a kept segment takes about 50 bytes with its index entry. (Pages of slots by
// index took 4 bytes a segment of the trace: 4 MB for the 1M bench trace's 96,000
// kept segments; records of eight doubles 64 bytes, 3 MB more.) A segment whose
// numbers do not fit (a text trace may print anything) is kept as it is, in a map.
// The passes read kept segments rarely: at() makes the object then.
import type { Endpoint } from './model';
import { IndexSlots } from './tables/indexSlots';
import type { PastSegment, PastSegments } from './track';

/** 32-bit numbers per record: the integer fields and the null bits. */
const RECORD = 6;
const LINE = 0;
const END_LINE = 1;
const SEQ = 2;
const ACK = 3;
const LEN = 4;
/** The flags above NULL_BITS null bits. */
const FLAGS_NULLS = 5;
const NULL_BITS = 3;

/** Bits of a record's null bits: the fields that are null. */
const NULL_TIME = 1;
const NULL_SEQ = 2;
const NULL_ACK = 4;

/** Slots per chunk of records. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/** A slot that stands for a segment kept whole (in `whole`), not in the chunks. */
const WHOLE = -2;

/** Does `n` fit a record's 32-bit field (below `limit`)? */
function fits(n: number, limit: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < limit;
}

export class KeptSegments implements PastSegments {
  private readonly chunks: Uint32Array[] = [];
  private readonly times: Float64Array[] = [];
  private readonly src: Endpoint[] = [];
  /** Segments whose numbers do not fit a record, by index (slot WHOLE). */
  private readonly whole = new Map<number, PastSegment>();
  /** Slots given back, to be used again first (the latest first: still in the cache); slots never used start at `used`. */
  private free = new Int32Array(CHUNK);
  private freeCount = 0;
  private used = 0;
  private readonly slots = new IndexSlots();
  /** Segments kept. */
  size = 0;

  /** Keeps segment `s` (its index must not be kept already). */
  put(s: PastSegment): void {
    const limit = 0x100000000;
    if (
      !fits(s.line, limit) ||
      !fits(s.endLine, limit) ||
      !fits(s.len, limit) ||
      !fits(s.flags, limit / (1 << NULL_BITS)) ||
      (s.seq !== null && !fits(s.seq, limit)) ||
      (s.ack !== null && !fits(s.ack, limit))
    ) {
      this.whole.set(s.index, s);
      this.slots.set(s.index, WHOLE);
      this.size++;
      return;
    }
    const slot = this.freeCount > 0 ? this.free[--this.freeCount] : this.newSlot();
    const r = this.chunks[slot >>> CHUNK_BITS];
    const o = RECORD * (slot & (CHUNK - 1));
    r[o + LINE] = s.line;
    r[o + END_LINE] = s.endLine;
    r[o + LEN] = s.len;
    let nulls = 0;
    if (s.time === null) nulls |= NULL_TIME;
    else this.times[slot >>> CHUNK_BITS][slot & (CHUNK - 1)] = s.time;
    if (s.seq === null) nulls |= NULL_SEQ;
    else r[o + SEQ] = s.seq;
    if (s.ack === null) nulls |= NULL_ACK;
    else r[o + ACK] = s.ack;
    r[o + FLAGS_NULLS] = s.flags * (1 << NULL_BITS) + nulls;
    this.src[slot] = s.src;
    this.slots.set(s.index, slot);
    this.size++;
  }

  /** Is segment `index` kept? */
  has(index: number): boolean {
    return this.slotOf(index) !== -1;
  }

  at(index: number): PastSegment {
    const slot = this.slotOf(index);
    if (slot < 0) {
      const s = slot === WHOLE ? this.whole.get(index) : undefined;
      if (s === undefined) throw new Error(`segment ${index} is not kept`);
      return s;
    }
    const r = this.chunks[slot >>> CHUNK_BITS];
    const o = RECORD * (slot & (CHUNK - 1));
    const flagsNulls = r[o + FLAGS_NULLS];
    const nulls = flagsNulls & ((1 << NULL_BITS) - 1);
    // Read from 32-bit integers, the lines come as V8's small integers, as the parsers
    // make them (read as doubles they came boxed, and a finding's `line` copied from one
    // changed that field's representation: V8 then moved every finding made before to a
    // new map when next read, 0.15-0.25 s for the 1M bench trace's 61,000 findings).
    return {
      index,
      line: r[o + LINE],
      endLine: r[o + END_LINE],
      time: (nulls & NULL_TIME) !== 0 ? null : this.times[slot >>> CHUNK_BITS][slot & (CHUNK - 1)],
      src: this.src[slot],
      flags: flagsNulls >>> NULL_BITS,
      seq: (nulls & NULL_SEQ) !== 0 ? null : r[o + SEQ],
      ack: (nulls & NULL_ACK) !== 0 ? null : r[o + ACK],
      len: r[o + LEN],
    };
  }

  /** Drops segment `index` (nothing when it is not kept). */
  drop(index: number): void {
    const slot = this.slotOf(index);
    if (slot === -1) return;
    this.slots.delete(index);
    this.size--;
    if (slot === WHOLE) {
      this.whole.delete(index);
      return;
    }
    if (this.freeCount === this.free.length) {
      const free = new Int32Array(2 * this.free.length);
      free.set(this.free);
      this.free = free;
    }
    this.free[this.freeCount++] = slot;
    // No endpoint is kept alive by a dropped segment.
    this.src[slot] = NO_SOURCE;
  }

  /** The slot of segment `index`, -1 when it is not kept (WHOLE: kept in `whole`). */
  private slotOf(index: number): number {
    // A segment index is a non-negative integer below 2^31 - 1 (IndexSlots' keys).
    return index >= 0 && index < 0x7fffffff ? this.slots.get(index) : -1;
  }

  private newSlot(): number {
    if (this.used === CHUNK * this.chunks.length) {
      this.chunks.push(new Uint32Array(RECORD * CHUNK));
      this.times.push(new Float64Array(CHUNK));
    }
    return this.used++;
  }
}

const NO_SOURCE: Endpoint = { host: '', port: 0 };
