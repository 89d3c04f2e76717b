// The segments that advanced each direction's next sequence number, kept for
// the whole walk (a retransmission names its original, an ACK the segment it
// acknowledges). One pool per walk holds every direction's entries in typed
// arrays, in chunks: per direction a run of slots in a chunk, moved to a run
// half as big again when full, and the runs given up go to free lists by size
// for the next direction that grows. A flat JS array per direction cost 40
// bytes an entry plus its spare capacity, one typed array per direction a
// buffer object each, and one pool array grown by copying its spare capacity
// and the copies.

/** Uint32 slots of an entry in a chunk's ints: relative start and end (exclusive), segment index, line. */
const START = 0;
const END = 1;
const INDEX = 2;
const LINE = 3;
const INTS = 4;

/** Entries a chunk holds at most; a run bigger than a quarter of it gets a chunk of its own. */
const CHUNK = 65536;
/**
 * Entries of a pool's first shared chunk; each next one holds twice as many, up
 * to CHUNK. The language server's re-analysis of an edit walks a few connections
 * with a pool of its own, and the new connections' bookkeeping keeps that pool:
 * a full chunk (1.5 MB of zeroed buffers) per edit made garbage and memory for a
 * handful of entries.
 */
const FIRST_CHUNK = 256;

/**
 * Run sizes: each about half as big again as the one before (a run is 80 % full on
 * average), from 1: most directions end with one or two entries (the summary's walk
 * keeps one entry per run of in-order data: 46,000 of the 1M bench trace's 50,000
 * directions), and runs of 4 left two thirds of the pool's slots empty.
 */
const SIZES: readonly number[] = (() => {
  const sizes = [1];
  while (sizes[sizes.length - 1] < 0x7fffffff / INTS) sizes.push(Math.ceil(sizes[sizes.length - 1] * 1.5));
  return sizes;
})();

/** Where a run lives: a chunk and the entry it starts at (an entry number fits in 32 bits). */
const CHUNK_FACTOR = 0x100000000;

export class AdvancePool {
  /** Per chunk: INTS numbers per entry (relative sequence numbers are unsigned 32-bit), and the times (NaN: none). */
  private readonly ints: Uint32Array[] = [];
  private readonly times: Float64Array[] = [];
  /** Entries handed out of the last shared chunk, and how many it holds (0: none yet). */
  private top = 0;
  private sharedSize = 0;
  private shared = -1;
  /** Runs given up, by size class: chunk * CHUNK_FACTOR + first entry. */
  private readonly free: number[][] = SIZES.map(() => []);

  /** Gives `d` a run of the next size class, with its entries moved into it. */
  grow(d: AdvanceRun): void {
    const size = SIZES[d.advClass + 1];
    let chunk: number;
    let at: number;
    const list = this.free[d.advClass + 1];
    if (list.length > 0) {
      const where = list.pop() as number;
      // As small integers: a double here gave advAt another kind mid-walk (see track.ts NO_SEQ).
      chunk = Math.floor(where / CHUNK_FACTOR) | 0;
      at = (where - chunk * CHUNK_FACTOR) | 0;
    } else if (size > CHUNK / 4) {
      chunk = this.newChunk(size);
      at = 0;
    } else {
      if (this.top + size > this.sharedSize) {
        this.sharedSize = Math.min(CHUNK, Math.max(FIRST_CHUNK, 2 * this.sharedSize, size));
        this.shared = this.newChunk(this.sharedSize);
        this.top = 0;
      }
      chunk = this.shared;
      at = this.top;
      this.top += size;
    }
    const ints = this.ints[chunk];
    const times = this.times[chunk];
    if (d.advClass >= 0) {
      // A plain loop: most runs are a few entries, and subarray() + set() made two
      // typed-array views per move (about a tenth of a new connection's cost).
      const oldInts = d.advInts;
      const oldTimes = d.advTimes;
      const from = d.advAt;
      const n = d.advCount;
      for (let k = 0, src = INTS * from, dst = INTS * at; k < INTS * n; k++) ints[dst + k] = oldInts[src + k];
      for (let k = 0; k < n; k++) times[at + k] = oldTimes[from + k];
      this.free[d.advClass].push(d.advChunk * CHUNK_FACTOR + d.advAt);
    }
    d.advClass++;
    d.advSize = size;
    d.advChunk = chunk;
    d.advAt = at;
    d.advInts = ints;
    d.advTimes = times;
  }

  private newChunk(size: number): number {
    this.ints.push(new Uint32Array(INTS * size));
    this.times.push(new Float64Array(size));
    return this.ints.length - 1;
  }
}

/** No entries yet: the arrays of a direction without a run. */
export const NO_INTS = new Uint32Array(0);
export const NO_TIMES = new Float64Array(0);

/** One direction's entries: a run of slots in a chunk of the pool. */
export interface AdvanceRun {
  readonly pool: AdvancePool;
  /** The chunk's arrays and number, the run's first entry in it, its size and size class (-1: no run). */
  advInts: Uint32Array;
  advTimes: Float64Array;
  advChunk: number;
  advAt: number;
  advSize: number;
  advClass: number;
  /** How many entries the run holds. */
  advCount: number;
}

export function appendAdvance(
  d: AdvanceRun,
  start: number,
  end: number,
  index: number,
  line: number,
  time: number,
): void {
  if (d.advCount === d.advSize) d.pool.grow(d);
  const slot = d.advAt + d.advCount++;
  const ints = d.advInts;
  const o = INTS * slot;
  ints[o + START] = start;
  ints[o + END] = end;
  ints[o + INDEX] = index;
  ints[o + LINE] = line;
  d.advTimes[slot] = time;
}

/**
 * appendAdvance() for a walk that never asks which segment carried a byte, only
 * whether one did (findCarrier() >= 0: the summary's out-of-order test): an entry
 * that starts at or below the last one's end and ends at or above it widens that
 * entry instead. For ends in ascending order (every direction short of 4 GB from
 * its base) the first entry ending above r starts at or below r exactly when it
 * did before: below the widened entry's old end the entry is the same, from there
 * to its new end it starts at or below the old end. In-order data then takes one
 * entry per run between gaps instead of one per segment (and no run moves to grow).
 */
export function appendAdvanceRange(
  d: AdvanceRun,
  start: number,
  end: number,
  index: number,
  line: number,
  time: number,
): void {
  const n = d.advCount;
  if (n > 0) {
    const o = INTS * (d.advAt + n - 1) + END;
    const last = d.advInts[o];
    if (start <= last && last <= end) {
      d.advInts[o] = end;
      return;
    }
  }
  appendAdvance(d, start, end, index, line, time);
}

/** The first entry whose relative end is above r (the entry count when none is). */
export function firstEndAbove(d: AdvanceRun, r: number): number {
  const ints = d.advInts;
  const base = d.advAt;
  let lo = 0;
  let hi = d.advCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ints[INTS * (base + mid) + END] <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function advanceStart(d: AdvanceRun, k: number): number {
  return d.advInts[INTS * (d.advAt + k) + START];
}

export function advanceIndex(d: AdvanceRun, k: number): number {
  return d.advInts[INTS * (d.advAt + k) + INDEX];
}

export function advanceLine(d: AdvanceRun, k: number): number {
  return d.advInts[INTS * (d.advAt + k) + LINE];
}

export function advanceTime(d: AdvanceRun, k: number): number {
  return d.advTimes[d.advAt + k];
}
