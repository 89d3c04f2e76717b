// Incremental re-parse: one LineRecord per line (without FieldSpans) and the
// LineContext after it, kept between versions. An edit splices the records of
// the lines it replaced, re-reads the new lines, then the following lines only
// while their context differs from before; the normalizer turns the records
// into segments. Records are kept by line index: a record's own `line` field
// may be out of date after lines were inserted or deleted above it, so readers
// go by the index (the normalizer does). The *InSlices variants yield to the
// event loop every few ms.
//
// It also remembers what changed since the records the last committed analysis
// was made from, as hunks (old lines → new lines, with the old records), so the
// incremental analysis can compare before and after even when lines moved and
// when several edits came between two analyses.
import type { ParseResult } from '../analysis';
import type { LineWindow, RecordChange } from '../analysis/incremental';
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

/** Lines [oldStart, oldEnd) of the committed records became lines [newStart, newEnd) now. */
interface Hunk {
  newStart: number;
  newEnd: number;
  oldStart: number;
  oldEnd: number;
  /** The committed records of lines [oldStart, oldEnd). */
  old: LineRecord[];
}

/** Unchanged lines between hunks above which the hunks are not merged into one window. */
const MAX_WINDOW_GAP = 65_536;

/** Above this many new lines, splicing with spread arguments would overflow the stack. */
const SPREAD_LIMIT = 10_000;

function splice<T>(array: T[], at: number, removed: number, inserted: number): T[] {
  if (inserted <= SPREAD_LIMIT) {
    array.splice(at, removed, ...(new Array<T>(inserted) as T[]));
    return array;
  }
  return array.slice(0, at).concat(new Array<T>(inserted) as T[], array.slice(at + removed));
}

export class IncrementalParse {
  private records: LineRecord[] = [];
  private contexts: LineContext[] = [];
  /** The last copy handed out, while no context changed since (an in-place edit seldom changes one). */
  private snapshot: readonly LineContext[] | undefined;
  /** Changes since commit(), ascending and disjoint; null when everything was read since. */
  private hunks: Hunk[] | null = null;
  /** How many lines were read by the last update (for tests and benchmarks). */
  lastReadLines = 0;

  /** Reads every line. */
  reset(lines: readonly string[]): void {
    this.hunks = null;
    this.records = new Array<LineRecord>(lines.length);
    this.contexts = [];
    this.snapshot = undefined;
    this.lastReadLines = 0;
    this.readFrom(lines, 0, lines.length);
  }

  /** Brings the records up to date with `lines`, which are the old lines with `changes` applied in order. */
  update(lines: readonly string[], changes: readonly LineChange[]): void {
    this.lastReadLines = 0;
    // First every splice, then the reading: `lines` is the text after all of them.
    let dirty: { start: number; end: number }[] = [];
    for (const c of changes) {
      const first = Math.min(c.first, this.records.length);
      const removed = Math.min(c.removed, this.records.length - first);
      const shift = c.inserted - removed;
      this.track(first, removed, c.inserted);
      // The last replaced lines keep their slots: the context after the last new line is
      // compared with the one after the last old line (the next line read them).
      const common = Math.min(removed, c.inserted);
      this.records = splice(this.records, first, removed - common, c.inserted - common);
      this.contexts = splice(this.contexts, first, removed - common, c.inserted - common);
      if (shift !== 0) this.snapshot = undefined;
      const range = { start: first, end: first + c.inserted };
      const kept: { start: number; end: number }[] = [];
      for (const d of dirty) {
        if (d.end < first) kept.push(d);
        else if (d.start > first + removed) kept.push({ start: d.start + shift, end: d.end + shift });
        else {
          range.start = Math.min(range.start, d.start);
          range.end = Math.max(
            range.end,
            d.end > first + removed ? d.end + shift : Math.min(d.end, range.end),
          );
        }
      }
      kept.push(range);
      dirty = kept.sort((a, b) => a.start - b.start);
    }
    // Only lines that exist: a change may have named lines past the end.
    if (this.records.length !== lines.length) {
      this.reset(lines);
      return;
    }
    for (const d of dirty) this.readFrom(lines, d.start, d.end, this.hunkAt(d.start));
  }

  private hunkAt(line: number): Hunk | undefined {
    return this.hunks?.find((h) => h.newStart <= line && line < h.newEnd);
  }

  /** The current records are what the analysis now in use was made from. */
  commit(): void {
    this.hunks = [];
  }

  /**
   * The lines read again since commit(), with their records then and now, by
   * line; undefined when lines moved (see windowSinceCommit) or nothing was committed.
   */
  changesSinceCommit(): RecordChange[] | undefined {
    const hunks = this.hunks;
    if (hunks === null) return undefined;
    const out: RecordChange[] = [];
    for (const h of hunks) {
      if (h.newStart !== h.oldStart || h.newEnd !== h.oldEnd) return undefined;
      for (let k = 0; k < h.old.length; k++) {
        const line = h.newStart + k;
        out.push({ line, before: h.old[k], after: this.records[line]! });
      }
    }
    return out;
  }

  /**
   * Everything that changed since commit() as one window of lines, with the
   * committed records of its old lines; undefined when nothing was committed
   * or the changes lie too far apart to make one window of.
   */
  windowSinceCommit(): LineWindow | undefined {
    const hunks = this.hunks;
    if (hunks === null) return undefined;
    if (hunks.length === 0) {
      return { oldStart: 0, oldEnd: 0, newStart: 0, newEnd: 0, oldRecords: [] };
    }
    const first = hunks[0]!;
    const last = hunks[hunks.length - 1]!;
    const oldRecords: LineRecord[] = [];
    for (let k = 0; k < hunks.length; k++) {
      const h = hunks[k]!;
      for (const r of h.old) oldRecords.push(r);
      const next = hunks[k + 1];
      if (next === undefined) break;
      // Unchanged lines between two hunks: their records now are the committed ones.
      if (next.newStart - h.newEnd > MAX_WINDOW_GAP) return undefined;
      for (let l = h.newEnd; l < next.newStart; l++) oldRecords.push(this.records[l]!);
    }
    return {
      oldStart: first.oldStart,
      oldEnd: last.oldEnd,
      newStart: first.newStart,
      newEnd: last.newEnd,
      oldRecords,
    };
  }

  /** The record of a line as it is now (its own `line` field may be out of date: go by the index). */
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
    this.hunks = null;
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
   * Records that lines [first, first + removed) (now) are about to become
   * `inserted` new lines: merges the hunks this touches into one and returns
   * it with its new end already moved. Must run before the records are
   * spliced (it saves unchanged ones).
   */
  private track(first: number, removed: number, inserted: number): void {
    const hunks = this.hunks;
    if (hunks === null) return;
    const end = first + removed;
    // Hunks that overlap or touch the replaced lines.
    let lo = 0;
    while (lo < hunks.length && hunks[lo]!.newEnd < first) lo++;
    let hi = lo;
    while (hi < hunks.length && hunks[hi]!.newStart <= end) hi++;
    // Old line = new line - offset, outside hunks; the offset before hunk lo.
    const before = lo > 0 ? hunks[lo - 1]! : undefined;
    const offsetBefore = before ? before.newEnd - before.oldEnd : 0;
    const merged: Hunk = { newStart: first, newEnd: end, oldStart: first - offsetBefore, oldEnd: 0, old: [] };
    let offsetAfter = offsetBefore;
    let at = first;
    const keepUnchanged = (to: number): void => {
      for (; at < to; at++) merged.old.push(this.records[at]!);
    };
    for (let k = lo; k < hi; k++) {
      const h = hunks[k]!;
      if (h.newStart < merged.newStart) {
        merged.newStart = h.newStart;
        merged.oldStart = h.oldStart;
        at = h.newStart;
      }
      keepUnchanged(h.newStart);
      for (const r of h.old) merged.old.push(r);
      at = h.newEnd;
      offsetAfter = h.newEnd - h.oldEnd;
    }
    merged.newEnd = Math.max(end, at);
    keepUnchanged(merged.newEnd);
    merged.oldEnd = merged.newEnd - offsetAfter;
    const shift = inserted - removed;
    merged.newEnd += shift;
    for (let k = hi; k < hunks.length; k++) {
      hunks[k]!.newStart += shift;
      hunks[k]!.newEnd += shift;
    }
    hunks.splice(lo, hi - lo, merged);
  }

  /**
   * Reads lines from `from`, at least up to `to`, and on while the context after
   * a line differs from the one recorded before (later lines read differently).
   * Lines read past the end of `hunk` join it (and any hunk it runs into).
   */
  private readFrom(lines: readonly string[], from: number, to: number, hunk?: Hunk): void {
    let ctx = from > 0 ? (this.contexts[from - 1] ?? INITIAL_CONTEXT) : INITIAL_CONTEXT;
    for (let i = from; i < lines.length; i++) {
      const before = this.contexts[i];
      if (hunk !== undefined && i >= hunk.newEnd) this.grow(hunk, i);
      const text = lines[i]!;
      // Without FieldSpans: they cost most of the memory; hovers re-read their line (fields.ts).
      const record = readLine(text, i, ctx, 0, text.length, false);
      ctx = nextContext(ctx, record);
      this.records[i] = record;
      if (ctx !== before) this.snapshot = undefined;
      this.contexts[i] = ctx;
      this.lastReadLines++;
      if (i >= to - 1 && ctx === before) break;
    }
  }

  /** Line `line` (just past `hunk`, unchanged so far) is about to be read again: it joins the hunk. */
  private grow(hunk: Hunk, line: number): void {
    const hunks = this.hunks!;
    const k = hunks.indexOf(hunk);
    const next = hunks[k + 1];
    if (next !== undefined && next.newStart === line) {
      // Ran into the next hunk: one hunk from here on.
      for (const r of next.old) hunk.old.push(r);
      hunk.newEnd = next.newEnd;
      hunk.oldEnd = next.oldEnd;
      hunks.splice(k + 1, 1);
      return;
    }
    hunk.old.push(this.records[line]!);
    hunk.newEnd++;
    hunk.oldEnd++;
  }
}
