// The lines of one document version, kept in chunks of at most CHUNK lines and
// never changed: the version an edit makes shares every chunk the edit did not
// touch. Each analysed version keeps its lines (hovers and inlay hints read them
// while newer versions arrive), and copying a line array for each version cost a
// pointer per line per edit (2.8 MB on the 50 MB bench trace, garbage the
// collector then has to follow); a chunked version costs the chunk list and the
// chunk the edit changed.

/** Read access to the lines of a version (a LineList, or a plain array in tests). */
export interface LineSource {
  readonly length: number;
  /** The line at `index`, an integer in [0, length); undefined outside. */
  at(index: number): string | undefined;
  /** Where the lines lie in the string they were sliced from, when known (LineOrigin). */
  readonly origin?: LineOrigin;
}

/**
 * Where the lines of a document, as it was opened, lie in the message string
 * they were sliced from (bigMessages.ts): the whole read encodes runs of that
 * string into bytes at once instead of joining the lines again (wholeRead.ts).
 */
export interface LineOrigin {
  readonly source: string;
  /** offsets[i]: where line i starts in `source`; -1 when it is no plain slice of it (it had escapes). */
  readonly offsets: Int32Array;
}

/** Lines per chunk: an edit copies one chunk, the chunk list has lineCount / CHUNK entries. */
const CHUNK = 4096;

export class LineList implements LineSource {
  readonly length: number;
  /** The chunk of the last look-up: lines are mostly read one after another. */
  private last = 0;

  private constructor(
    private readonly chunks: readonly (readonly string[])[],
    /** starts[k]: the index of chunk k's first line; starts[chunks.length] is the length. */
    private readonly starts: Int32Array,
    /** Only for the list made from the opened text: an edit makes a list without it. */
    readonly origin: LineOrigin | undefined,
  ) {
    this.length = starts[chunks.length]!;
  }

  /** `origin`, when given, must describe exactly these lines. */
  static from(lines: readonly string[], origin?: LineOrigin): LineList {
    return LineList.of(chunked(lines), origin);
  }

  private static of(chunks: readonly (readonly string[])[], origin?: LineOrigin): LineList {
    const starts = new Int32Array(chunks.length + 1);
    for (let k = 0; k < chunks.length; k++) starts[k + 1] = starts[k]! + chunks[k]!.length;
    return new LineList(chunks, starts, origin);
  }

  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    const k = this.chunkOf(index);
    return this.chunks[k]![index - this.starts[k]!];
  }

  /** Every line, in one array (a copy). */
  toArray(): string[] {
    return ([] as string[]).concat(...this.chunks);
  }

  /** This list with lines [first, first + removed) replaced by `inserted`; this list stays as it is. */
  splice(first: number, removed: number, inserted: readonly string[]): LineList {
    if (this.chunks.length === 0) return LineList.from(inserted);
    // The chunks the replaced lines lie in (the one holding `first` when none is replaced).
    const from = this.chunkOf(Math.min(first, this.length - 1));
    const to = removed > 0 ? this.chunkOf(Math.min(first + removed - 1, this.length - 1)) : from;
    const head = this.chunks[from]!.slice(0, first - this.starts[from]!);
    const tail = this.chunks[to]!.slice(first + removed - this.starts[to]!);
    const middle = head.concat(inserted, tail);
    const chunks = this.chunks.slice(0, from).concat(chunked(middle), this.chunks.slice(to + 1));
    return LineList.of(chunks);
  }

  private chunkOf(index: number): number {
    const s = this.starts;
    let k = this.last;
    if (index >= s[k]! && index < s[k + 1]!) return k;
    if (index >= s[k + 1]! && index < (s[k + 2] ?? -1)) return (this.last = k + 1);
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
    return (this.last = k);
  }
}

/** The lines in chunks of at most CHUNK (none for no lines). */
function chunked(lines: readonly string[]): (readonly string[])[] {
  const chunks: string[][] = [];
  for (let s = 0; s < lines.length; s += CHUNK) chunks.push(lines.slice(s, s + CHUNK));
  return chunks;
}

/** The lines of `source` in a plain array (a copy). */
export function linesArray(source: LineSource): string[] {
  if (source instanceof LineList) return source.toArray();
  const lines = new Array<string>(source.length);
  for (let i = 0; i < source.length; i++) lines[i] = source.at(i)!;
  return lines;
}
