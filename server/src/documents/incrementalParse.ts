// Incremental re-parse: one LineRecord per line (without FieldSpans) and the
// LineContext after it, kept between versions. An edit re-reads the lines it
// replaced, then the following lines only while their context differs from
// before; the normalizer turns the records into segments. Line insertions or
// deletions shift the line numbers records carry, so they re-read everything
// after the edit. The *InSlices variants yield to the event loop every few ms.
// It also remembers, per line read again, the record the last committed
// analysis was made from (the incremental analysis compares the two).
import type { ParseResult } from '../analysis';
import type { RecordChange } from '../analysis/incremental';
import {
  INITIAL_CONTEXT,
  Normalizer,
  nextContext,
  normalize,
  readLine,
  type LineContext,
  type LineRecord,
} from '../analysis/parse';
import type { LineChange } from './lineStore';
import { chunkedFor } from './scheduling';

export class IncrementalParse {
  private records: LineRecord[] = [];
  private contexts: LineContext[] = [];
  /** The last copy handed out, while no context changed since (an in-place edit seldom changes one). */
  private snapshot: readonly LineContext[] | undefined;
  /**
   * The records of lines read again since commit(), as they were then; null when
   * lines moved or everything was read (no record-by-record comparison possible).
   */
  private base: Map<number, LineRecord | undefined> | null = null;
  /** How many lines were read by the last update (for tests and benchmarks). */
  lastReadLines = 0;

  /** Reads every line. */
  reset(lines: readonly string[]): void {
    this.base = null;
    this.records = new Array<LineRecord>(lines.length);
    this.contexts = [];
    this.snapshot = undefined;
    this.lastReadLines = 0;
    this.readFrom(lines, 0, lines.length);
  }

  /** Brings the records up to date with `lines`, which are the old lines with `changes` applied in order. */
  update(lines: readonly string[], changes: readonly LineChange[]): void {
    this.lastReadLines = 0;
    const shifts = changes.some(
      (c) => c.removed !== c.inserted || c.first + c.inserted > this.records.length,
    );
    if (shifts) {
      // Line numbers after an edit moved: re-read from the first edited line to the end.
      const first = changes.reduce((m, c) => Math.min(m, c.first), Number.MAX_SAFE_INTEGER);
      this.base = null;
      this.records.length = Math.min(this.records.length, first);
      this.contexts.length = this.records.length;
      this.snapshot = undefined;
      this.readFrom(lines, first, lines.length);
      return;
    }
    for (const change of changes) this.readFrom(lines, change.first, change.first + change.inserted);
  }

  /** The current records are what the analysis now in use was made from. */
  commit(): void {
    this.base = new Map();
  }

  /**
   * The lines read again since commit(), with their records then and now, by line;
   * undefined when lines moved (or nothing was committed).
   */
  changesSinceCommit(): RecordChange[] | undefined {
    if (this.base === null) return undefined;
    const out: RecordChange[] = [];
    for (const [line, before] of this.base) out.push({ line, before, after: this.records[line]! });
    return out.sort((a, b) => a.line - b.line);
  }

  /** The record of a line as it is now. */
  recordAt(line: number): LineRecord | undefined {
    return this.records[line];
  }

  /** The context after each line, as it is now (a copy: later edits do not change it). */
  contextsSnapshot(): readonly LineContext[] {
    this.snapshot ??= this.contexts.slice();
    return this.snapshot;
  }

  /** reset(), yielding to the event loop between slices; false when `wanted()` turned false (state is then partial). */
  async resetInSlices(lines: readonly string[], wanted: () => boolean): Promise<boolean> {
    this.base = null;
    this.records = new Array<LineRecord>(lines.length);
    this.contexts = [];
    this.snapshot = undefined;
    this.lastReadLines = 0;
    let ctx = INITIAL_CONTEXT;
    return chunkedFor(
      lines.length,
      (i) => {
        const text = lines[i]!;
        const record = readLine(text, i, ctx, 0, text.length, false);
        ctx = nextContext(ctx, record);
        this.records[i] = record;
        this.contexts[i] = ctx;
        this.lastReadLines++;
      },
      wanted,
    );
  }

  /** result(), yielding between slices; undefined when `wanted()` turned false. */
  async resultInSlices(wanted: () => boolean): Promise<ParseResult | undefined> {
    const normalizer = new Normalizer();
    // No copy: computations run one at a time per document, nothing edits the records meanwhile.
    const records = this.records;
    const done = await chunkedFor(records.length, (i) => normalizer.push(records[i]!, i), wanted);
    if (!done) return undefined;
    const n = normalizer.finish();
    return {
      format: n.format,
      lineCount: records.length,
      segments: n.segments,
      diagnostics: n.diagnostics,
      disabledCodes: n.disabledCodes,
    };
  }

  result(): ParseResult {
    const n = normalize(this.records);
    return {
      format: n.format,
      lineCount: this.records.length,
      segments: n.segments,
      diagnostics: n.diagnostics,
      disabledCodes: n.disabledCodes,
    };
  }

  /**
   * Reads lines from `from`, at least up to `to`, and on while the context after
   * a line differs from the one recorded before (later lines read differently).
   */
  private readFrom(lines: readonly string[], from: number, to: number): void {
    let ctx = from > 0 ? (this.contexts[from - 1] ?? INITIAL_CONTEXT) : INITIAL_CONTEXT;
    for (let i = from; i < lines.length; i++) {
      const before = this.contexts[i];
      const text = lines[i]!;
      // Without FieldSpans: they cost most of the memory; hovers re-read their line (fields.ts).
      const record = readLine(text, i, ctx, 0, text.length, false);
      ctx = nextContext(ctx, record);
      if (this.base !== null && !this.base.has(i)) this.base.set(i, this.records[i]);
      this.records[i] = record;
      if (ctx !== before) this.snapshot = undefined;
      this.contexts[i] = ctx;
      this.lastReadLines++;
      if (i >= to - 1 && ctx === before) break;
    }
  }
}
