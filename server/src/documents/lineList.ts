// The lines of one document version, kept in chunks of at most CHUNK lines and
// never changed: the version an edit makes shares every chunk the edit did not
// touch. Each analysed version keeps its lines (hovers and inlay hints read them
// while newer versions arrive), and copying a line array for each version cost a
// pointer per line per edit (2.8 MB on the 50 MB bench trace, garbage the
// collector then has to follow); a chunked version costs the chunk list and the
// chunk the edit changed. A chunk of the opened text is a run of its lines in the
// message bytes (ByteLines), made into strings when read; an edit splits such a
// run around the lines it replaced instead of making strings of its other lines.
import type { ByteLines } from './byteLines';

/** Read access to the lines of a version (a LineList, or a plain array in tests). */
export interface LineSource {
  readonly length: number;
  /** The line at `index`, an integer in [0, length); undefined outside. */
  at(index: number): string | undefined;
}

/** Lines [first, first + length) of the opened text, as one chunk. */
class ByteRun {
  constructor(
    readonly lines: ByteLines,
    /** The index of the run's first line in `lines`. */
    readonly first: number,
    readonly length: number,
  ) {}

  at(k: number): string {
    return this.lines.at(this.first + k)!;
  }

  /** Lines [from, to) of the run (to its end when `to` is left out), as a run. */
  slice(from: number, to = this.length): ByteRun {
    return new ByteRun(this.lines, this.first + from, Math.max(0, to - from));
  }

  toArray(): string[] {
    return this.lines.slice(this.first, this.first + this.length);
  }
}

type Chunk = readonly string[] | ByteRun;

/** Lines per chunk: an edit copies one chunk, the chunk list has lineCount / CHUNK entries. */
const CHUNK = 4096;

export class LineList implements LineSource {
  readonly length: number;
  /** The chunk of the last look-up: lines are mostly read one after another. */
  private last = 0;

  private constructor(
    private readonly chunks: readonly Chunk[],
    /** starts[k]: the index of chunk k's first line; starts[chunks.length] is the length. */
    private readonly starts: Int32Array,
    /** The opened text's lines that its runs (chunks that are no strings) read. */
    readonly bytes: ByteLines | undefined,
  ) {
    this.length = starts[chunks.length]!;
  }

  static from(lines: readonly string[]): LineList {
    return LineList.of(chunked(lines));
  }

  /** The lines of an opened text, read from the message bytes when asked. */
  static fromBytes(lines: ByteLines): LineList {
    const chunks: ByteRun[] = [];
    for (let s = 0; s < lines.length; s += CHUNK) {
      chunks.push(new ByteRun(lines, s, Math.min(CHUNK, lines.length - s)));
    }
    return LineList.of(chunks, lines);
  }

  private static of(chunks: readonly Chunk[], bytes?: ByteLines): LineList {
    const starts = new Int32Array(chunks.length + 1);
    for (let k = 0; k < chunks.length; k++) starts[k + 1] = starts[k]! + chunks[k]!.length;
    return new LineList(chunks, starts, bytes);
  }

  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    const k = this.chunkOf(index);
    const chunk = this.chunks[k]!;
    const j = index - this.starts[k]!;
    return chunk instanceof ByteRun ? chunk.at(j) : chunk[j];
  }

  /** Where line `index` is in `bytes` when it is read from there (see ByteLines), else -1. */
  byteIndex(index: number): number {
    if (!(index >= 0 && index < this.length)) return -1;
    const k = this.chunkOf(index);
    const chunk = this.chunks[k]!;
    return chunk instanceof ByteRun ? chunk.first + index - this.starts[k]! : -1;
  }

  /** Every line, in one array (a copy). */
  toArray(): string[] {
    return ([] as string[]).concat(...this.chunks.map((c) => (c instanceof ByteRun ? c.toArray() : c)));
  }

  /** This list with lines [first, first + removed) replaced by `inserted`; this list stays as it is. */
  splice(first: number, removed: number, inserted: readonly string[]): LineList {
    if (this.chunks.length === 0) return LineList.from(inserted);
    // The chunks the replaced lines lie in (the one holding `first` when none is replaced).
    const from = this.chunkOf(Math.min(first, this.length - 1));
    const to = removed > 0 ? this.chunkOf(Math.min(first + removed - 1, this.length - 1)) : from;
    const head = this.chunks[from]!.slice(0, first - this.starts[from]!);
    const tail = this.chunks[to]!.slice(first + removed - this.starts[to]!);
    const chunks = this.chunks.slice(0, from).concat(joined(head, inserted, tail), this.chunks.slice(to + 1));
    return LineList.of(chunks, this.bytes);
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

/** The chunks of `head`, then `inserted`, then `tail`: strings joined, runs of the opened text kept as they are. */
function joined(head: Chunk, inserted: readonly string[], tail: Chunk): Chunk[] {
  const out: Chunk[] = [];
  let strings: readonly string[] = [];
  const add = (c: Chunk): void => {
    if (c.length === 0) return;
    if (c instanceof ByteRun) {
      for (const s of chunked(strings)) out.push(s);
      strings = [];
      out.push(c);
    } else strings = strings.concat(c);
  };
  add(head);
  strings = strings.concat(inserted);
  add(tail);
  for (const s of chunked(strings)) out.push(s);
  return out;
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
