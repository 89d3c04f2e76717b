// The segments that advanced each direction's next sequence number, kept for
// the whole walk (a retransmission names its original, an ACK the segment it
// acknowledges). One pool per walk holds every direction's entries in typed
// arrays: per direction a run of slots, doubled (moved) when full, and the runs
// given up go to free lists by size for the next direction that grows. A flat
// JS array per direction cost 40 bytes an entry plus its spare capacity, and one
// typed array per direction a buffer object each.

/** Uint32 slots of an entry in AdvancePool.ints: relative start and end (exclusive), segment index, line. */
const START = 0;
const END = 1;
const INDEX = 2;
const LINE = 3;
const INTS = 4;

/** A direction's first run holds this many entries. */
const FIRST_RUN = 4;

export class AdvancePool {
  /** INTS numbers per entry slot (relative sequence numbers are unsigned 32-bit); the times in a parallel array (NaN: no time). */
  ints = new Uint32Array(INTS * 4096);
  times = new Float64Array(4096);
  /** Slots handed out so far (the end of the used part). */
  private top = 0;
  /** Runs given up, by log2 of their size: their first slots. */
  private readonly free: number[][] = [];

  /** A run of `size` slots (a power of two, at least FIRST_RUN): its first slot. */
  take(size: number): number {
    const list = this.free[31 - Math.clz32(size)];
    if (list !== undefined && list.length > 0) return list.pop() as number;
    const at = this.top;
    this.top += size;
    if (this.top > this.times.length) this.grow(this.top);
    return at;
  }

  give(at: number, size: number): void {
    (this.free[31 - Math.clz32(size)] ??= []).push(at);
  }

  private grow(needed: number): void {
    let size = this.times.length;
    while (size < needed) size = Math.ceil(size * 1.5);
    const ints = new Uint32Array(INTS * size);
    ints.set(this.ints);
    const times = new Float64Array(size);
    times.set(this.times);
    this.ints = ints;
    this.times = times;
  }
}

/** One direction's entries: a run of the pool's slots. */
export interface AdvanceRun {
  readonly pool: AdvancePool;
  /** First slot of the run, its size, and how many entries it holds. */
  advAt: number;
  advSize: number;
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
  const pool = d.pool;
  if (d.advCount === d.advSize) {
    const size = d.advSize === 0 ? FIRST_RUN : 2 * d.advSize;
    const at = pool.take(size);
    if (d.advSize > 0) {
      pool.ints.copyWithin(INTS * at, INTS * d.advAt, INTS * (d.advAt + d.advCount));
      pool.times.copyWithin(at, d.advAt, d.advAt + d.advCount);
      pool.give(d.advAt, d.advSize);
    }
    d.advAt = at;
    d.advSize = size;
  }
  const slot = d.advAt + d.advCount++;
  const ints = pool.ints;
  const o = INTS * slot;
  ints[o + START] = start;
  ints[o + END] = end;
  ints[o + INDEX] = index;
  ints[o + LINE] = line;
  pool.times[slot] = time;
}

/** The first entry whose relative end is above r (the entry count when none is). */
export function firstEndAbove(d: AdvanceRun, r: number): number {
  const ints = d.pool.ints;
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
  return d.pool.ints[INTS * (d.advAt + k) + START];
}

export function advanceIndex(d: AdvanceRun, k: number): number {
  return d.pool.ints[INTS * (d.advAt + k) + INDEX];
}

export function advanceLine(d: AdvanceRun, k: number): number {
  return d.pool.ints[INTS * (d.advAt + k) + LINE];
}

export function advanceTime(d: AdvanceRun, k: number): number {
  return d.pool.times[d.advAt + k];
}
