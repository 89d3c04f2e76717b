// A hash table from an integer 0 … 2^31 − 2 (a segment's index) to a slot number,
// open-addressed in one Int32Array (key + 1 and slot side by side: one cache
// line a probe), with deletion. Its size follows the entries it holds, not the
// largest key: the streaming analysis keeps ~96,000 of the 1M bench trace's
// segments, which an index by segment number held in 4 MB of pages.

/** Entries the table starts with room for (it doubles when half full). */
const FIRST_CAPACITY = 1024;

export class IndexSlots {
  /** Per place: key + 1 (0: free), then its slot. */
  private table = new Int32Array(2 * FIRST_CAPACITY);
  /** Entries held. */
  size = 0;

  /** The slot of `key`, -1 when it has none. */
  get(key: number): number {
    const table = this.table;
    const mask = table.length / 2 - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      const k = table[2 * i];
      if (k === 0) return -1;
      if (k === key + 1) return table[2 * i + 1];
    }
  }

  /** Sets the slot of `key` (a key it holds gets the new slot). */
  set(key: number, slot: number): void {
    const table = this.table;
    const mask = table.length / 2 - 1;
    let i = hash(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = table[2 * i];
      if (k === 0) break;
      if (k === key + 1) {
        table[2 * i + 1] = slot;
        return;
      }
    }
    table[2 * i] = key + 1;
    table[2 * i + 1] = slot;
    if (++this.size * 2 > table.length / 2) this.grow();
  }

  /** Removes `key` (nothing when it is not held). */
  delete(key: number): void {
    const table = this.table;
    const mask = table.length / 2 - 1;
    let i = hash(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = table[2 * i];
      if (k === 0) return;
      if (k === key + 1) break;
    }
    this.size--;
    // Backward shift: an entry further along the probe run moves into the hole unless
    // its home place lies cyclically after the hole, so no look-up stops short at it.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = table[2 * j];
      if (k === 0) break;
      const home = hash(k - 1) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      table[2 * i] = k;
      table[2 * i + 1] = table[2 * j + 1];
      i = j;
    }
    table[2 * i] = 0;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(2 * old.length);
    const mask = table.length / 2 - 1;
    for (let j = 0; j < old.length; j += 2) {
      const k = old[j];
      if (k === 0) continue;
      let i = hash(k - 1) & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = k;
      table[2 * i + 1] = old[j + 1];
    }
    this.table = table;
  }
}

/** Consecutive keys (segment indices) spread over the low bits. */
function hash(key: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return h ^ (h >>> 16);
}
