// A hash table from a pair of small non-negative integers to a slot number,
// open-addressed over typed arrays: the capture path looks pairs up once or
// twice per packet, and a Map on a composite number key costs several times
// more (the key is a heap number past 2^31, and there is no pair key without one).

export class PairSlots {
  /** x + 1 per slot; 0 marks a free one. */
  private xs = new Int32Array(1024);
  private ys = new Int32Array(1024);
  private slots = new Int32Array(1024);
  /** Pairs stored (their slot numbers are 0 … size − 1, in insertion order). */
  size = 0;

  /** The slot of (x, y), or -1. */
  get(x: number, y: number): number {
    const xs = this.xs;
    const mask = xs.length - 1;
    for (let i = hash(x, y) & mask; ; i = (i + 1) & mask) {
      const k = xs[i];
      if (k === 0) return -1;
      if (k === x + 1 && this.ys[i] === y) return this.slots[i];
    }
  }

  /** The slot of (x, y), made (numbered `size`) when the pair is new. */
  add(x: number, y: number): number {
    const xs = this.xs;
    const mask = xs.length - 1;
    let i = hash(x, y) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = xs[i];
      if (k === 0) break;
      if (k === x + 1 && this.ys[i] === y) return this.slots[i];
    }
    const slot = this.size++;
    xs[i] = x + 1;
    this.ys[i] = y;
    this.slots[i] = slot;
    if (this.size * 2 > xs.length) this.grow();
    return slot;
  }

  private grow(): void {
    const { xs, ys, slots } = this;
    const size = xs.length * 2;
    const mask = size - 1;
    this.xs = new Int32Array(size);
    this.ys = new Int32Array(size);
    this.slots = new Int32Array(size);
    for (let j = 0; j < xs.length; j++) {
      const k = xs[j];
      if (k === 0) continue;
      let i = hash(k - 1, ys[j]) & mask;
      while (this.xs[i] !== 0) i = (i + 1) & mask;
      this.xs[i] = k;
      this.ys[i] = ys[j];
      this.slots[i] = slots[j];
    }
  }
}

function hash(x: number, y: number): number {
  const h = Math.imul(x ^ Math.imul(y + 1, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
