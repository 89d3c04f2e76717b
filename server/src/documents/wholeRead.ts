// Reading every line of a document in one pass, straight into segments: the
// records go to the normalizer as they are read and are not kept (an edit reads
// the few it needs again, see incrementalParse.ts), so a big trace never holds a
// record per line, and the common tcpdump line is read by the fast reader into
// two reused records, as the CLI's TraceParser does. What is kept per line is the
// reader's context after it (interned objects: one pointer per line).
//
// The lines of the opened text are read where they lie in the message bytes
// (ByteLines: no string is made of them). Other lines are read in windows of
// about WINDOW characters joined with line breaks and encoded into bytes at once
// (one call for a few hundred lines instead of one per line), as TraceParser
// reads its text.
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
import { SegmentStore } from '../analysis/parse/segmentStore';
import { readTcpdumpFast } from '../analysis/parse/tcpdumpFast';
import type { ByteLines } from './byteLines';
import type { ContextColumn } from './contextColumn';

/** Characters per window: small enough that its bytes are still in the cache when read. */
const WINDOW = 1 << 14;
const encoder = new TextEncoder();

/** The bytes of the line readOneLine() reads (reused; grown for a longer line). */
let lineBytes = Buffer.allocUnsafeSlow(512);

/**
 * The record of one line without FieldSpans, read after `ctx`: the fast reader's
 * when it takes the line (an edit asks for records the whole read did not keep,
 * e.g. the first 20,000 packets when the numbering is checked again), else the
 * general reader's; the two give equal records.
 */
export function readOneLine(text: string, i: number, ctx: LineContext): LineRecord {
  const n = text.length;
  if (n > 0 && !ctx.afterIpHeader) {
    if (lineBytes.length <= n) lineBytes = Buffer.allocUnsafeSlow(2 * n + 1);
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
  /** Its segments keep their numbers in columns (segmentStore.ts): a document holds them all. */
  private readonly normalizer = new Normalizer(null, null, new SegmentStore());
  /** Records the fast reader fills in turn, once the normalizer lets them go (see TraceParser). */
  private readonly slots: readonly PacketRecordDraft[] = [newPacketRecord(), newPacketRecord()];
  private slot = 0;
  /**
   * The bytes of the window being read (reused; grown for a longer one). A Buffer,
   * as the message bytes are: the fast reader meets one class of bytes.
   */
  private bytes = Buffer.allocUnsafeSlow(2 * WINDOW);
  private ctx: LineContext = INITIAL_CONTEXT;
  /** Lines pushed so far; those from `windowStart` on wait in `window`. */
  private lines = 0;
  private window: string[] = [];
  private windowStart = 0;
  private windowChars = 0;

  /** The context after line i is set in `contexts` as the lines are read. */
  constructor(private readonly contexts: ContextColumn) {}

  /** Line `i` (lines come in order from 0), or its record when one is at hand. */
  push(text: string, i: number, known?: LineRecord): void {
    if (known !== undefined) {
      this.readWindow();
      this.take(known, i);
      this.windowStart = i + 1;
    } else {
      this.window.push(text);
      this.windowChars += text.length + 1;
      if (this.windowChars >= WINDOW) this.readWindow();
    }
    this.lines = i + 1;
  }

  /**
   * Line `j` of an opened text as line `i` (lines come in order from 0): read from
   * the message bytes when it lies there as ASCII, as readOneLine() reads it otherwise.
   */
  pushFrom(origin: ByteLines, j: number, i: number): void {
    this.readWindow();
    const start = origin.starts[j]!;
    let r: LineRecord | null = null;
    if (start >= 0) {
      const into = this.normalizer.holdsRecords ? null : this.slots[this.slot]!;
      r = readTcpdumpFast(origin.bytes, start, origin.ends[j]!, i, this.ctx, into);
      if (r !== null && into !== null) this.slot ^= 1;
    }
    if (r === null) {
      const line = origin.at(j)!;
      r = start >= 0 ? readLine(line, i, this.ctx, 0, line.length, false) : readOneLine(line, i, this.ctx);
    }
    this.take(r, i);
    this.windowStart = i + 1;
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
    this.contexts.set(i, this.ctx);
  }

  /** Reads the lines waiting in the window: the fast reader when every character is ASCII. */
  private readWindow(): void {
    const count = this.window.length;
    if (count === 0) return;
    // Each line followed by its line break, as in the text the fast reader was made for.
    this.window.push('');
    const text = this.window.join('\n');
    const n = text.length;
    if (this.bytes.length < n) this.bytes = Buffer.allocUnsafeSlow(2 * n);
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
}
