// Reading every line of a document in one pass, straight into segments: the
// records go to the normalizer as they are read and are not kept (an edit reads
// the few it needs again, see incrementalParse.ts), so a big trace never holds a
// record per line, and the common tcpdump line is read by the fast reader into
// two reused records, as the CLI's TraceParser does. What is kept per line is the
// reader's context after it (interned objects: one pointer per line).
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

const NEWLINE = 10;
const encoder = new TextEncoder();

export class WholeRead {
  private readonly normalizer = new Normalizer();
  /** Records the fast reader fills in turn, once the normalizer lets them go (see TraceParser). */
  private readonly slots: readonly PacketRecordDraft[] = [newPacketRecord(), newPacketRecord()];
  private slot = 0;
  /** The bytes of the line being read (reused; grown for a longer line). */
  private bytes = new Uint8Array(512);
  private ctx: LineContext = INITIAL_CONTEXT;
  private lines = 0;

  /** `contexts[i]` is set to the context after line i as the lines are read. */
  constructor(private readonly contexts: LineContext[]) {}

  /** Reads line `i` (lines come in order from 0), or takes its record when one is at hand. */
  push(text: string, i: number, known?: LineRecord): void {
    const ctx = this.ctx;
    let r = known ?? this.readFast(text, i, ctx);
    if (r === null) r = readLine(text, i, ctx, 0, text.length, false);
    this.normalizer.push(r, i);
    this.ctx = nextContext(ctx, r);
    this.contexts[i] = this.ctx;
    this.lines = i + 1;
  }

  finish(): ParseResult {
    const n = this.normalizer.finish();
    return {
      format: n.format,
      lineCount: this.lines,
      segments: n.segments,
      diagnostics: n.diagnostics,
      disabledCodes: n.disabledCodes,
    };
  }

  /** The fast reader's record of an ASCII line (null: the general reader reads it). */
  private readFast(text: string, i: number, ctx: LineContext): LineRecord | null {
    const n = text.length;
    if (n === 0 || ctx.afterIpHeader) return null;
    if (this.bytes.length <= n) this.bytes = new Uint8Array(2 * n + 1);
    const done = encoder.encodeInto(text, this.bytes);
    // As many bytes as characters: every one was ASCII, at the same offset.
    if (done.read !== n || done.written !== n) return null;
    // The line break after it, as in the text the fast reader was made for.
    this.bytes[n] = NEWLINE;
    const into = this.normalizer.holdsRecords ? null : this.slots[this.slot]!;
    const r = readTcpdumpFast(this.bytes, 0, text, 0, n, i, ctx, into);
    if (r !== null && into !== null) this.slot ^= 1;
    return r;
  }
}
