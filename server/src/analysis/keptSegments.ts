// The earlier segments a streaming analysis still keeps (stream.ts), by index:
// their PastSegment fields in typed arrays of CHUNK slots, a record of RECORD
// numbers per slot (one cache line), slots given back and used again as segments are
// dropped, and the slot of each kept segment's index in a hash table. A kept
// object per segment took about 130 bytes (its header, nine fields and boxed
// numbers) and an array by index 8 bytes a segment of the trace; here a kept
// segment takes about 80 bytes. (Pages of slots by index took 4 bytes a segment
// of the trace: 4 MB for the 1M bench trace's 96,000 kept segments.) The passes
// read kept segments rarely: at() makes the object then.
import type { Endpoint } from './model';
import { IndexSlots } from './tables/indexSlots';
import type { PastSegment, PastSegments } from './track';

/** Numbers per record: the fields (as doubles: any number the parser made comes back the same) and the null bits. */
const RECORD = 8;
const LINE = 0;
const END_LINE = 1;
const TIME = 2;
const FLAGS = 3;
const SEQ = 4;
const ACK = 5;
const LEN = 6;
const NULLS = 7;

/** Bits of a record's NULLS: the fields that are null. */
const NULL_TIME = 1;
const NULL_SEQ = 2;
const NULL_ACK = 4;

/** Slots per chunk of records. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

export class KeptSegments implements PastSegments {
  private readonly chunks: Float64Array[] = [];
  private readonly src: Endpoint[] = [];
  /** Slots given back, to be used again first (the latest first: still in the cache); slots never used start at `used`. */
  private free = new Int32Array(CHUNK);
  private freeCount = 0;
  private used = 0;
  private readonly slots = new IndexSlots();
  /** Segments kept. */
  size = 0;

  /** Keeps segment `s` (its index must not be kept already). */
  put(s: PastSegment): void {
    const slot = this.freeCount > 0 ? this.free[--this.freeCount] : this.newSlot();
    const r = this.chunks[slot >>> CHUNK_BITS];
    const o = RECORD * (slot & (CHUNK - 1));
    r[o + LINE] = s.line;
    r[o + END_LINE] = s.endLine;
    r[o + FLAGS] = s.flags;
    r[o + LEN] = s.len;
    let nulls = 0;
    if (s.time === null) nulls |= NULL_TIME;
    else r[o + TIME] = s.time;
    if (s.seq === null) nulls |= NULL_SEQ;
    else r[o + SEQ] = s.seq;
    if (s.ack === null) nulls |= NULL_ACK;
    else r[o + ACK] = s.ack;
    r[o + NULLS] = nulls;
    this.src[slot] = s.src;
    this.slots.set(s.index, slot);
    this.size++;
  }

  /** Is segment `index` kept? */
  has(index: number): boolean {
    return this.slotOf(index) >= 0;
  }

  at(index: number): PastSegment {
    const slot = this.slotOf(index);
    if (slot < 0) throw new Error(`segment ${index} is not kept`);
    const r = this.chunks[slot >>> CHUNK_BITS];
    const o = RECORD * (slot & (CHUNK - 1));
    const nulls = r[o + NULLS];
    return {
      index,
      line: small(r[o + LINE]),
      endLine: small(r[o + END_LINE]),
      time: (nulls & NULL_TIME) !== 0 ? null : r[o + TIME],
      src: this.src[slot],
      flags: small(r[o + FLAGS]),
      seq: (nulls & NULL_SEQ) !== 0 ? null : r[o + SEQ],
      ack: (nulls & NULL_ACK) !== 0 ? null : r[o + ACK],
      len: small(r[o + LEN]),
    };
  }

  /** Drops segment `index` (nothing when it is not kept). */
  drop(index: number): void {
    const slot = this.slotOf(index);
    if (slot < 0) return;
    this.slots.delete(index);
    if (this.freeCount === this.free.length) {
      const free = new Int32Array(2 * this.free.length);
      free.set(this.free);
      this.free = free;
    }
    this.free[this.freeCount++] = slot;
    // No endpoint is kept alive by a dropped segment.
    this.src[slot] = NO_SOURCE;
    this.size--;
  }

  /** The slot of segment `index`, -1 when it is not kept. */
  private slotOf(index: number): number {
    // A segment index is a non-negative integer below 2^31 - 1 (IndexSlots' keys).
    return index >= 0 && index < 0x7fffffff ? this.slots.get(index) : -1;
  }

  private newSlot(): number {
    if (this.used === CHUNK * this.chunks.length) this.chunks.push(new Float64Array(RECORD * CHUNK));
    return this.used++;
  }
}

const NO_SOURCE: Endpoint = { host: '', port: 0 };

/**
 * A number read from a Float64Array as V8's small integer when it is one. Read as it
 * is, it comes boxed (a heap number), and an object that stores it in a field where
 * the parsers' segments put small integers (a finding's `line`, copied from this
 * segment) changes that field's representation: V8 then retires the map of every
 * object made before, and moves each to the new map when it is next read (~4 µs an
 * object: 61,000 findings of the 1M bench trace took 0.15-0.25 s when the end of the
 * analysis first read them).
 */
function small(value: number): number {
  return (value | 0) === value ? value | 0 : value;
}
