// Trace text → segments, in two phases the language server can run separately:
// (a) readLine(): one line → LineRecord, given a small LineContext;
// (b) normalize(): all records → Segment[] (absolute numbers, times).
// parseTrace() is (a) over every line, then (b). It never throws.
import type { ParseResult, Segment } from '../model';
import { INITIAL_CONTEXT, newPacketRecord, type LineRecord, type PacketRecordDraft } from './records';
import { nextContext, readLine } from './lines';
import { Normalizer } from './normalize';
import { detachedSlice } from './scan';
import { asciiText } from './bytes';
import { readTcpdumpFast } from './tcpdumpFast';

/**
 * Characters encoded to bytes at once for the fast reader: small enough that the
 * bytes are still in the cache when the reader gets to them.
 */
const WINDOW = 1 << 14;
const encoder = new TextEncoder();
const LF = 10;

export { readLine, nextContext } from './lines';
export { normalize, Normalizer, type Normalized } from './normalize';
export {
  INITIAL_CONTEXT,
  contextOf,
  Numbering,
  TimeKind,
  TsMode,
  type LineContext,
  type LineRecord,
  type PacketRecord,
  type IpHeaderRecord,
  type ErrorRecord,
  type DirectiveRecord,
  type DrillTimeRecord,
} from './records';

export interface ParseOptions {
  /**
   * Record FieldSpans (hover targets) for every segment. Default true; the CLI
   * turns it off to save memory on large traces.
   */
  readonly spans?: boolean;
  /** Called about every 65536 lines with the offset reached (for progress bars). */
  readonly onProgress?: (offset: number, total: number) => void;
  /**
   * Takes each segment as soon as it is made (a streaming analysis); the segments
   * are then not kept: ParseResult.segments is empty.
   */
  readonly onSegment?: (segment: Segment) => void;
}

/**
 * (a) over every line, streamed into (b): the text is scanned by index (no
 * split into line strings) and records are not kept, so they die young.
 */
export function parseTrace(text: string, options: ParseOptions = {}): ParseResult {
  const parser = new TraceParser(options, text.length);
  parser.push(text);
  return parser.finish();
}

/**
 * parseTrace() over a text that arrives in pieces (a big file read in chunks,
 * so that the whole text never has to be in memory at once). A line may
 * straddle two pieces. push() (or pushBytes()) every piece in order, then
 * finish(); the result is the same as parseTrace() of the pieces joined.
 */
export class TraceParser {
  private readonly normalizer: Normalizer;
  private readonly withSpans: boolean;
  private readonly onProgress: ParseOptions['onProgress'];
  private ctx = INITIAL_CONTEXT;
  private line = 0;
  /** The unfinished last line of the pieces so far, as text... */
  private carry = '';
  /** ...or as the first carryBytes bytes of carryBuffer (after pushBytes()). */
  private carryBuffer = new Uint8Array(0);
  private carryBytes = 0;
  /** Characters of the pieces before the current one (for progress). */
  private offset = 0;
  /** The bytes of the current window (reused; grown when a window needs more). */
  private bytes = new Uint8Array(0);
  /**
   * Records the fast reader fills in turn (see readFast), and the next one. Made
   * when first filled, not with the parser: by then the records read so far have
   * settled their shape's field kinds (a double time, numbers where null was), and
   * records of the older shape would throw the reader's optimised code away.
   */
  private slots: readonly PacketRecordDraft[] | null = null;
  private slot = 0;

  /** `total`: the length of the whole text, when known, for onProgress. */
  constructor(
    options: ParseOptions = {},
    private readonly total = 0,
  ) {
    this.withSpans = options.spans !== false;
    this.normalizer = new Normalizer(null, options.onSegment ?? null);
    this.onProgress = options.onProgress;
  }

  push(piece: string): void {
    if (this.carryBytes > 0) this.carryAsText();
    let start = 0;
    if (this.carry !== '') {
      const nl = piece.indexOf('\n');
      if (nl < 0) {
        this.carry += piece;
        this.offset += piece.length;
        return;
      }
      const line = this.carry + piece.slice(0, nl);
      this.carry = '';
      this.read(line, 0, line.length);
      start = nl + 1;
    }
    const last = piece.lastIndexOf('\n');
    // The whole lines, in windows of about WINDOW characters that end with a line break.
    while (start <= last) {
      let stop = start + WINDOW > last ? last + 1 : piece.lastIndexOf('\n', start + WINDOW - 1) + 1;
      if (stop <= start) stop = piece.indexOf('\n', start + WINDOW) + 1;
      this.readWindow(piece, start, stop);
      start = stop;
    }
    // A copy: a slice would keep the whole piece alive until the next one.
    if (start < piece.length) this.carry = detachedSlice(piece, start, piece.length);
    this.offset += piece.length;
  }

  /**
   * push() of a piece given as bytes that are all ASCII (the caller checked):
   * without spans the fast reader reads them where they are, and no string is
   * made but for the lines it leaves to the general reader. The piece may be
   * reused by the caller once this returns.
   */
  pushBytes(piece: Uint8Array): void {
    if (this.withSpans || this.carry !== '') {
      this.push(asciiText(piece, 0, piece.length));
      return;
    }
    let start = 0;
    if (this.carryBytes > 0) {
      const nl = piece.indexOf(LF);
      const head = nl < 0 ? piece.length : nl;
      this.keepCarry(piece, 0, head);
      if (nl < 0) {
        this.offset += piece.length;
        return;
      }
      const n = this.carryBytes;
      this.carryBytes = 0;
      // The general reader's (one line a piece): the fast reader then only meets the
      // pieces' own class of bytes (a Buffer, say), which its optimised code checks;
      // a line in this Uint8Array would throw that code away.
      const line = asciiText(this.carryBuffer, 0, n);
      this.read(line, 0, line.length);
      start = nl + 1;
    }
    for (;;) {
      const end = piece.indexOf(LF, start);
      if (end < 0) break;
      this.readLineBytes(piece, start, end);
      if ((this.line & 0xffff) === 0 && this.onProgress !== undefined)
        this.onProgress(this.offset + end, this.total);
      start = end + 1;
    }
    this.keepCarry(piece, start, piece.length);
    this.offset += piece.length;
  }

  /** Appends piece[start, end) to the unfinished line's bytes. */
  private keepCarry(piece: Uint8Array, start: number, end: number): void {
    const n = this.carryBytes + end - start;
    if (this.carryBuffer.length < n) {
      const grown = new Uint8Array(Math.max(n, 2 * this.carryBuffer.length, 256));
      grown.set(this.carryBuffer.subarray(0, this.carryBytes));
      this.carryBuffer = grown;
    }
    this.carryBuffer.set(piece.subarray(start, end), this.carryBytes);
    this.carryBytes = n;
  }

  /** The unfinished line's bytes as text, for push() or finish(). */
  private carryAsText(): void {
    this.carry = asciiText(this.carryBuffer, 0, this.carryBytes);
    this.carryBytes = 0;
  }

  /** The line b[start, end) (ASCII, no line break): the fast reader's, or as text the general reader's. */
  private readLineBytes(b: Uint8Array, start: number, end: number): void {
    if (!this.readFast(b, start, end)) {
      const line = asciiText(b, start, end);
      this.read(line, 0, line.length);
    }
  }

  /** The line b[start, end) read by the fast reader and taken; false when it left the line. */
  private readFast(b: Uint8Array, start: number, end: number): boolean {
    // Once the normaliser lets a record go at the next packet, the fast reader fills the
    // two slots in turn: the one it fills was pushed two fast records ago, and the push
    // of the one after it let it go. (While the first records are held, new ones.)
    const slot = this.normalizer.holdsRecords
      ? null
      : (this.slots ??= [newPacketRecord(), newPacketRecord()])[this.slot];
    const fast = readTcpdumpFast(b, start, end, this.line, this.ctx, slot);
    if (fast === null) return false;
    if (slot === null) {
      this.take(fast);
      return true;
    }
    this.slot ^= 1;
    this.normalizer.fastPacket(fast, this.line);
    // take()'s nextContext(): after a packet line only a first one changes the context.
    if (!this.ctx.inPacket || fast.learnedTsMode !== undefined) this.ctx = nextContext(this.ctx, fast);
    this.line++;
    return true;
  }

  /**
   * The lines of piece[start, stop) (which ends with a line break). Without
   * spans, an ASCII window is first encoded into bytes for the fast reader.
   */
  private readWindow(piece: string, start: number, stop: number): void {
    let bytes: Uint8Array | null = null;
    if (!this.withSpans) {
      const n = stop - start;
      if (this.bytes.length < n) this.bytes = new Uint8Array(Math.max(n, 2 * this.bytes.length));
      const done = encoder.encodeInto(
        start === 0 && stop === piece.length ? piece : piece.substring(start, stop),
        this.bytes,
      );
      // As many bytes as characters: every one was ASCII, at the same offset.
      if (done.read === n && done.written === n) bytes = this.bytes;
    }
    const base = start;
    for (;;) {
      const end = piece.indexOf('\n', start);
      if (end < 0 || end >= stop) break;
      if (bytes === null || !this.readFast(bytes, start - base, end - base)) this.read(piece, start, end);
      if ((this.line & 0xffff) === 0 && this.onProgress !== undefined)
        this.onProgress(this.offset + end, this.total);
      start = end + 1;
    }
  }

  finish(): ParseResult {
    if (this.carryBytes > 0) this.carryAsText();
    // The text after the last line break is a line too (empty when the text ends with one).
    this.read(this.carry, 0, this.carry.length);
    this.carry = '';
    const result = this.normalizer.finish();
    return {
      format: result.format,
      lineCount: this.line,
      segments: result.segments,
      diagnostics: result.diagnostics,
      disabledCodes: result.disabledCodes,
    };
  }

  private read(text: string, start: number, end: number): void {
    this.take(readLine(text, this.line, this.ctx, start, end, this.withSpans));
  }

  private take(r: LineRecord): void {
    this.normalizer.push(r, this.line);
    this.ctx = nextContext(this.ctx, r);
    this.line++;
  }
}
