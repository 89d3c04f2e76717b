// The capture's bytes as the readers see them: a window that slides over the
// file, so a big capture is read in pieces and never held whole. The readers
// ask for a range (ensure) before reading it and never look back before the
// last range asked for; offsets into `bytes` are file offsets minus `base`.
// A capture already in memory is a window over all of it.

/** Sequential reads of the file: fills `into` from its start, returns the bytes read (0 at the end). */
export type ReadBytes = (into: Uint8Array) => number;

/**
 * Bytes read from the source at a time: small enough that a piece is still in the
 * core's cache (L2) when the decoder reads it (1 MiB pieces read 2-3x slower).
 */
const PIECE = 1 << 16;

export class ByteWindow {
  /** The bytes held: file offsets [base, base + bytes.length). */
  bytes: Uint8Array;
  /** File offset of bytes[0]. */
  base = 0;
  private buffer: Uint8Array;
  private ended: boolean;

  private constructor(
    bytes: Uint8Array,
    private readonly read: ReadBytes | null,
  ) {
    this.bytes = bytes;
    this.buffer = bytes;
    this.ended = read === null;
  }

  /** A window over bytes in memory. */
  static of(bytes: Uint8Array): ByteWindow {
    return new ByteWindow(bytes, null);
  }

  /** A window that reads the file in pieces as the readers move on. */
  static reading(read: ReadBytes): ByteWindow {
    return new ByteWindow(new Uint8Array(0), read);
  }

  /** File offset just past the bytes held (the file's size once it has ended). */
  get end(): number {
    return this.base + this.bytes.length;
  }

  /**
   * Makes the file's bytes [at, at + length) available in `bytes` (earlier
   * bytes may be dropped, and `bytes` and `base` change). false when the file
   * ends first: `end` then tells where.
   */
  ensure(at: number, length: number): boolean {
    const want = at + length;
    if (want <= this.end) return true;
    if (this.ended || this.read === null) return false;
    this.fill(at, want);
    return want <= this.end;
  }

  /** Reads to the end of the file (dropping what it reads) and returns the file's size. */
  size(): number {
    while (!this.ended) this.fill(this.end, this.end + PIECE);
    return this.end;
  }

  private fill(at: number, want: number): void {
    const read = this.read as ReadBytes;
    // Keep [keep, end): the readers never look before `at`. `bytes` starts at buffer[0].
    const keep = Math.min(Math.max(at, this.base), this.end);
    const start = keep - this.base;
    const kept = this.bytes.length - start;
    const need = want - keep;
    let buffer = this.buffer;
    if (buffer.length < need || buffer.length - kept < PIECE) {
      const next = new Uint8Array(Math.max(4 * PIECE, need + PIECE));
      next.set(this.bytes.subarray(start));
      buffer = next;
    } else buffer.copyWithin(0, start, start + kept);
    let filled = kept;
    while (filled < need) {
      const n = read(buffer.subarray(filled, Math.min(buffer.length, filled + PIECE)));
      if (n <= 0) {
        this.ended = true;
        break;
      }
      filled += n;
    }
    this.buffer = buffer;
    this.base = keep;
    this.bytes = buffer.subarray(0, filled);
  }
}
