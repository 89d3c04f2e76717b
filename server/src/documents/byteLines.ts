// The lines of a document text where they lie in the bytes of the message that
// carried it (bigMessages.ts): the bytes of a 50 MB didOpen are kept as they
// came from the pipe, outside the JavaScript heap, instead of being decoded into
// a 50 MB string and 351,623 line slices of it that the collector then copies
// and marks. A line is made into a string when it is read (hovers, inlay hints
// and edits read a few), and the whole read of the document reads the bytes
// themselves (wholeRead.ts). A line is kept as a string instead when its bytes
// are not its characters: it holds an escape or a character beyond ASCII.

export class ByteLines {
  /**
   * `starts[i]`, `ends[i]`: where line i lies in `bytes` (end exclusive), every
   * byte one ASCII character of it; starts[i] is -1 when the line is in `strings`.
   */
  constructor(
    readonly bytes: Buffer,
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    private readonly strings: ReadonlyMap<number, string>,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  /** Line i (an integer in [0, length)); undefined outside. */
  at(i: number): string | undefined {
    if (!(i >= 0 && i < this.starts.length)) return undefined;
    const start = this.starts[i]!;
    return start < 0 ? this.strings.get(i) : this.bytes.toString('latin1', start, this.ends[i]);
  }

  /** Lines [from, to) as strings. */
  slice(from: number, to: number): string[] {
    const out = new Array<string>(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.at(i)!;
    return out;
  }
}
