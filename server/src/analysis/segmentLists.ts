// The segment indices of each connection (Connection.segments), as the walk appends
// them: entries of shared typed chunks (8 bytes a segment: the index and the next
// entry of its connection) instead of an array per connection. Those arrays grew by
// copies (room for 17 indices, then 41, ...): on the 50 MB bench trace 8.9 MB of
// arrays for 335,000 indices, and the outgrown ones promoted before they died. A
// connection's array is made once, to its size, when its summary is built.

const SHIFT = 13;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** The first chunk starts this small (a walk over a few connections) and grows to CHUNK entries. */
const FIRST = 64;
/** Lists up to this long are made to their size at once. */
const BY_SIZE = 16384;

export class SegmentLists {
  /** Per chunk: entry k's segment index at 2k, its next entry at 2k+1 (-1: the last). */
  #chunks: Int32Array[] = [];
  #length = 0;

  /**
   * Appends segment `index` to the list whose last entry is `tail` (-1: a new list) and
   * returns the new entry: the list's tail from now on.
   */
  append(tail: number, index: number): number {
    const e = this.#length++;
    const n = e >>> SHIFT;
    const k = (e & MASK) * 2;
    let c = this.#chunks[n];
    if (c === undefined) this.#chunks.push((c = new Int32Array(2 * (n === 0 ? FIRST : CHUNK))));
    else if (k >= c.length) {
      const grown = new Int32Array(Math.min(2 * CHUNK, c.length * 4));
      grown.set(c);
      this.#chunks[n] = c = grown;
    }
    c[k] = index;
    c[k + 1] = -1;
    if (tail >= 0) this.#chunks[tail >>> SHIFT][(tail & MASK) * 2 + 1] = e;
    return e;
  }

  /** The segment indices of the list that starts at entry `head` (-1: an empty list), in order. */
  list(head: number): number[] {
    let count = 0;
    for (let e = head; e >= 0; e = this.#chunks[e >>> SHIFT][(e & MASK) * 2 + 1]) count++;
    // Made to its size and filled in order (no holes are left); a very long one by push()
    // (V8 makes `new Array(n)` of a big n a dictionary).
    const out = count <= BY_SIZE ? new Array<number>(count) : [];
    let e = head;
    for (let k = 0; k < count; k++) {
      const c = this.#chunks[e >>> SHIFT];
      const j = (e & MASK) * 2;
      if (count <= BY_SIZE) out[k] = c[j];
      else out.push(c[j]);
      e = c[j + 1];
    }
    return out;
  }
}
