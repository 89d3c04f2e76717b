// Reading every line of a document in one pass, straight into segments: the
// records go to the normalizer as they are read and are not kept (an edit reads
// the few it needs again, see incrementalParse.ts), so a big trace never holds a
// record per line, and the common tcpdump line is read by the fast reader into
// two reused records, as the CLI's TraceParser does. What is kept per line is the
// reader's context after it (interned objects: one pointer per line).
//
// Lines are read in windows of about WINDOW characters encoded into bytes at
// once (one call for a few hundred lines instead of one per line), as
// TraceParser reads its text. Lines of the opened text lie one after another in
// the message string they were sliced from (LineOrigin): a window of them is
// encoded from there, as one slice of it; other lines are joined with line
// breaks first.
import type { ParseResult } from '../analysis';
import {
  INITIAL_CONTEXT,
  Normalizer,
  nextContext,
  readLine,
  type LineContext,
  type LineRecord,
} from '../analysis/parse';
import { newPacketRecord, type PacketRecordDraft } from '../analysis/parse/records';
import { readTcpdumpFast } from '../analysis/parse/tcpdumpFast';
import type { LineOrigin } from './lineList';

/** Characters per window: small enough that its bytes are still in the cache when read. */
const WINDOW = 1 << 14;
const encoder = new TextEncoder();

/** The bytes of the line readOneLine() reads (reused; grown for a longer line). */
let lineBytes = new Uint8Array(512);

/**
 * The record of one line without FieldSpans, read after `ctx`: the fast reader's
 * when it takes the line (an edit asks for records the whole read did not keep,
 * e.g. the first 20,000 packets when the numbering is checked again), else the
 * general reader's; the two give equal records.
 */
export function readOneLine(text: string, i: number, ctx: LineContext): LineRecord {
  const n = text.length;
  if (n > 0 && !ctx.afterIpHeader) {
    if (lineBytes.length <= n) lineBytes = new Uint8Array(2 * n + 1);
    const done = encoder.encodeInto(text, lineBytes);
    if (done.read === n && done.written === n) {
      // The line break after it, as in the text the fast reader was made for.
      lineBytes[n] = 10;
      const r = readTcpdumpFast(lineBytes, 0, n, i, ctx, null);
      if (r !== null) return r;
    }
  }
  return readLine(text, i, ctx, 0, n, false);
}

export class WholeRead {
  private readonly normalizer = new Normalizer();
  /** Records the fast reader fills in turn, once the normalizer lets them go (see TraceParser). */
  private readonly slots: readonly PacketRecordDraft[] = [newPacketRecord(), newPacketRecord()];
  private slot = 0;
  /** The bytes of the window being read (reused; grown for a longer one). */
  private bytes = new Uint8Array(2 * WINDOW);
  private ctx: LineContext = INITIAL_CONTEXT;
  /** Lines pushed so far; those from `windowStart` on wait in `window`. */
  private lines = 0;
  private window: string[] = [];
  private windowStart = 0;
  private windowChars = 0;
  /**
   * Where the window's first line starts in the origin's source when its lines
   * are read from there; -1 when they are joined.
   */
  private sourceStart = -1;

  /**
   * `contexts[i]` is set to the context after line i as the lines are read.
   * `origin`, when given, describes the lines pushed, by their index.
   */
  constructor(
    private readonly contexts: LineContext[],
    private readonly origin?: LineOrigin,
  ) {}

  /** Line `i` (lines come in order from 0), or its record when one is at hand. */
  push(text: string, i: number, known?: LineRecord): void {
    if (known !== undefined) {
      this.readWindow();
      this.take(known, i);
      this.windowStart = i + 1;
    } else {
      const at = this.origin === undefined ? -1 : this.origin.offsets[i]!;
      // A window is read one way: a line read the other way starts a new one.
      if (this.window.length > 0 && at >= 0 !== this.sourceStart >= 0) this.readWindow();
      if (this.window.length === 0) this.sourceStart = at;
      this.window.push(text);
      this.windowChars = at >= 0 ? at + text.length - this.sourceStart : this.windowChars + text.length + 1;
      if (this.windowChars >= WINDOW) this.readWindow();
    }
    this.lines = i + 1;
  }

  finish(): ParseResult {
    this.readWindow();
    const n = this.normalizer.finish();
    return {
      format: n.format,
      lineCount: this.lines,
      segments: n.segments,
      diagnostics: n.diagnostics,
      disabledCodes: n.disabledCodes,
    };
  }

  private take(r: LineRecord, i: number): void {
    this.normalizer.push(r, i);
    this.ctx = nextContext(this.ctx, r);
    this.contexts[i] = this.ctx;
  }

  /** Reads the lines waiting in the window: the fast reader when every character is ASCII. */
  private readWindow(): void {
    const count = this.window.length;
    if (count === 0) return;
    if (this.sourceStart >= 0) {
      this.readSourceWindow(count);
      return;
    }
    // Each line followed by its line break, as in the text the fast reader was made for.
    this.window.push('');
    const text = this.window.join('\n');
    const n = text.length;
    if (this.bytes.length < n) this.bytes = new Uint8Array(2 * n);
    const done = encoder.encodeInto(text, this.bytes);
    // As many bytes as characters: every one was ASCII, at the same offset.
    const bytes = done.read === n && done.written === n ? this.bytes : null;
    let start = 0;
    for (let k = 0; k < count; k++) {
      const i = this.windowStart + k;
      const end = text.indexOf('\n', start);
      const into = this.normalizer.holdsRecords ? null : this.slots[this.slot]!;
      let r: LineRecord | null =
        bytes === null ? null : readTcpdumpFast(bytes, start, end, i, this.ctx, into);
      if (r !== null && into !== null) this.slot ^= 1;
      r ??= readLine(text, i, this.ctx, start, end, false);
      this.take(r, i);
      start = end + 1;
    }
    this.windowStart += count;
    this.window = [];
    this.windowChars = 0;
  }

  /**
   * The window's lines read from the origin's source: the characters from its
   * first line's start to its last line's end encoded at once (what lies
   * between two lines there, a `\n` escape, is not read).
   */
  private readSourceWindow(count: number): void {
    const offsets = this.origin!.offsets;
    const from = this.sourceStart;
    const last = this.windowStart + count - 1;
    const text = this.origin!.source.slice(from, offsets[last]! + this.window[count - 1]!.length);
    const n = text.length;
    if (this.bytes.length < n) this.bytes = new Uint8Array(2 * n);
    const done = encoder.encodeInto(text, this.bytes);
    const bytes = done.read === n && done.written === n ? this.bytes : null;
    for (let k = 0; k < count; k++) {
      const i = this.windowStart + k;
      const line = this.window[k]!;
      const into = this.normalizer.holdsRecords ? null : this.slots[this.slot]!;
      const start = offsets[i]! - from;
      let r: LineRecord | null =
        bytes === null ? null : readTcpdumpFast(bytes, start, start + line.length, i, this.ctx, into);
      if (r !== null && into !== null) this.slot ^= 1;
      // The general reader reads the line itself, as readOneLine() does.
      r ??= readLine(line, i, this.ctx, 0, line.length, false);
      this.take(r, i);
    }
    this.windowStart += count;
    this.window = [];
    this.windowChars = 0;
    this.sourceStart = -1;
  }
}
