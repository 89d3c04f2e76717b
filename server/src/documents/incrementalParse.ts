// Incremental re-parse: the LineContext after each line, kept between versions,
// and the LineRecord of a line (without FieldSpans) read from its text and the
// context before it when asked — records are not kept for every line: a full
// read streams them into the normalizer (wholeRead.ts) and an edit reads the
// ones it needs again, one line each (a record depends only on its line and that
// context); a record per line would be about a quarter of what the server keeps
// for a big trace, and garbage the collector copies while it is made. An edit
// splices the lines it replaced, re-reads the new lines, then the following
// lines only while their context differs from before. Records are kept by line
// index: a record's own `line` field may be out of date after lines were
// inserted or deleted above it, so readers go by the index (the normalizer
// does). The *InSlices variants yield to the event loop every few ms.
//
// It also remembers what changed since the records the last committed analysis
// was made from, as hunks (old lines → new lines, with the old records), so the
// incremental analysis can compare before and after even when lines moved and
// when several edits came between two analyses.
import type { ParseResult } from '../analysis';
import type { LineWindow, RecordChange } from '../analysis/incremental';
import { INITIAL_CONTEXT, nextContext, type LineContext, type LineRecord } from '../analysis/parse';
import { ContextColumn } from './contextColumn';
import type { ContextRuns } from './contextRuns';
import { LineList, linesArray, type LineSource } from './lineList';
import type { LineChange } from './lineStore';
import { chunkedFor } from './scheduling';
import { readOneLine, WholeRead } from './wholeRead';

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

/** `records` with lines [at, at + removed) dropped and the later ones moved by `inserted - removed`. */
function spliceKeys<T>(
  records: Map<number, T>,
  at: number,
  removed: number,
  inserted: number,
): Map<number, T> {
  const shift = inserted - removed;
  if (records.size === 0 || (shift === 0 && removed === 0)) return records;
  const moved = new Map<number, T>();
  for (const [line, r] of records) {
    if (line < at) moved.set(line, r);
    else if (line >= at + removed) moved.set(line + shift, r);
  }
  return moved;
}

/** Pushes line i of `lines` to the read: from the message bytes when it lies there. */
function pushLine(read: WholeRead, lines: LineList, i: number): void {
  const j = lines.byteIndex(i);
  if (j >= 0) read.pushFrom(lines.bytes!, j, i);
  else read.push(lines.at(i)!, i);
}

/** `lines` as a LineList (tests pass plain arrays). */
function listOf(lines: LineSource): LineList {
  return lines instanceof LineList ? lines : LineList.from(linesArray(lines));
}

export class IncrementalParse {
  /**
   * The lines the contexts describe: the version last read, with the lines of the
   * changes being taken in replaced by '' until they are read.
   */
  private text: LineList = LineList.from([]);
  /**
   * Records read since the last commit(), by line (see recordAt()): the lines an edit
   * read again and those its analysis asked for, not a slot per line (2.8 MB on the
   * 50 MB bench trace, copied again when a line insertion outgrew it).
   */
  private records = new Map<number, LineRecord>();
  /**
   * Lines [0, prefix) all have a record in `records`: the analysis reads the trace's first
   * lines on every edit to replay the normalizer's choice of relative or absolute tcpdump
   * numbers (up to 20,000 packets, every line of a trace with no tcpdump packet), so commit()
   * keeps those (see there).
   */
  private prefix = 0;
  private contexts = new ContextColumn();
  /** The last copy handed out, while no context changed since (an in-place edit seldom changes one). */
  private snapshot: ContextRuns | undefined;
  /** Changes since commit(), ascending and disjoint; null when everything was read since. */
  private hunks: Hunk[] | null = null;
  /** The segments the last full read made, until handed out or an edit comes. */
  private whole: ParseResult | undefined;
  /** How many lines were read by the last update (for tests and benchmarks). */
  lastReadLines = 0;

  /** How many records are kept (for tests). */
  get keptRecords(): number {
    return this.records.size;
  }

  /** Reads every line (the segments of the whole text are then what result() gives first). */
  reset(lines: LineSource): void {
    const read = this.startReading(lines);
    const text = this.text;
    for (let i = 0; i < text.length; i++) pushLine(read, text, i);
    this.finishReading(read, text.length);
  }

  /** Brings the records up to date with `lines`, which are the old lines with `changes` applied in order. */
  update(lines: LineSource, changes: readonly LineChange[]): void {
    this.lastReadLines = 0;
    this.whole = undefined;
    // First every splice, then the reading: `lines` is the text after all of them.
    let dirty: { start: number; end: number }[] = [];
    for (const c of changes) {
      const first = Math.min(c.first, this.text.length);
      const removed = Math.min(c.removed, this.text.length - first);
      const shift = c.inserted - removed;
      this.track(first, removed, c.inserted);
      // The last replaced lines keep their slots: the context after the last new line is
      // compared with the one after the last old line (the next line read them).
      const common = Math.min(removed, c.inserted);
      this.records = spliceKeys(this.records, first, removed - common, c.inserted - common);
      // Lines that moved or came new: the prefix of lines with records ends before them.
      if (removed !== c.inserted) this.prefix = Math.min(this.prefix, first + common);
      this.contexts.splice(first, removed - common, c.inserted - common);
      this.text = this.text.splice(first, removed - common, new Array<string>(c.inserted - common).fill(''));
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
    if (this.text.length !== lines.length) {
      this.reset(lines);
      return;
    }
    for (const d of dirty) this.readFrom(lines, d.start, d.end, this.hunkAt(d.start));
    this.text = listOf(lines);
  }

  private hunkAt(line: number): Hunk | undefined {
    return this.hunks?.find((h) => h.newStart <= line && line < h.newEnd);
  }

  /**
   * The current records are what the analysis now in use was made from. Those after the
   * trace's first lines (see prefix) are forgotten: the next edit reads again the few it
   * needs (a record depends only on its line and the context before it). Kept, they piled
   * up over a session (every line of every connection an edit analysed again, read for its
   * absolute numbers) and every line break copied the whole pile (spliceKeys): 150 line
   * breaks on the 50 MB bench trace left ~8 MB of such copies in the old generation. The
   * first lines stay: every edit reads them again (a few hundred lines on that trace, all
   * of a trace without tcpdump packets).
   */
  commit(): void {
    this.hunks = [];
    const records = this.records;
    const prefix = this.prefix;
    if (records.size === prefix) return;
    if (prefix === 0) {
      this.forgetRecords();
      return;
    }
    const kept = new Map<number, LineRecord>();
    for (let line = 0; line < prefix; line++) kept.set(line, records.get(line)!);
    this.records = kept;
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
        out.push({ line, before: h.old[k], after: this.recordAt(line)! });
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
      for (let l = h.newEnd; l < next.newStart; l++) oldRecords.push(this.recordAt(l)!);
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
    if (line < 0 || line >= this.text.length) return undefined;
    let record = this.records.get(line);
    if (record === undefined) this.records.set(line, (record = this.read(line, this.contextBefore(line))));
    if (line === this.prefix) {
      do this.prefix++;
      while (this.records.has(this.prefix));
    }
    return record;
  }

  private contextBefore(line: number): LineContext {
    return line > 0 ? (this.contexts.get(line - 1) ?? INITIAL_CONTEXT) : INITIAL_CONTEXT;
  }

  /** Line `line` of this.text read after `ctx` (not remembered). */
  private read(line: number, ctx: LineContext): LineRecord {
    return readOneLine(this.text.at(line) ?? '', line, ctx);
  }

  /** The records were made into segments (or analysed): read them again when asked rather than keep them all. */
  private forgetRecords(): void {
    this.records = new Map();
    this.prefix = 0;
  }

  /** The context after each line, as it is now (a copy: later edits do not change it). */
  contextsSnapshot(): ContextRuns {
    this.snapshot ??= this.contexts.snapshot();
    return this.snapshot;
  }

  /** reset(), yielding to the event loop between slices; false when `wanted()` turned false (state is then partial). */
  async resetInSlices(lines: LineSource, wanted: () => boolean): Promise<boolean> {
    const read = this.startReading(lines);
    const text = this.text;
    if (!(await chunkedFor(text.length, (i) => pushLine(read, text, i), wanted))) return false;
    this.finishReading(read, text.length);
    return true;
  }

  private startReading(lines: LineSource): WholeRead {
    this.hunks = null;
    this.text = listOf(lines);
    this.forgetRecords();
    this.contexts = new ContextColumn(lines.length);
    this.snapshot = undefined;
    this.lastReadLines = 0;
    this.whole = undefined;
    return new WholeRead(this.contexts);
  }

  private finishReading(read: WholeRead, lineCount: number): void {
    this.whole = read.finish();
    this.lastReadLines = lineCount;
  }

  /** result(), yielding between slices; undefined when `wanted()` turned false. */
  async resultInSlices(wanted: () => boolean): Promise<ParseResult | undefined> {
    const whole = this.takeWhole();
    if (whole) return whole;
    // Computations run one at a time per document: nothing edits the lines meanwhile.
    const read = this.readAgain();
    const records = this.records;
    const text = this.text;
    if (!(await chunkedFor(text.length, (i) => this.pushAgain(read, text, i, records.get(i)), wanted)))
      return undefined;
    return this.doneAgain(read);
  }

  /** The segments of the whole text as it is now. */
  result(): ParseResult {
    const whole = this.takeWhole();
    if (whole) return whole;
    const read = this.readAgain();
    const text = this.text;
    for (let i = 0; i < text.length; i++) this.pushAgain(read, text, i, this.records.get(i));
    return this.doneAgain(read);
  }

  /** Line i, or its record when one was read since. */
  private pushAgain(read: WholeRead, text: LineList, i: number, known: LineRecord | undefined): void {
    if (known !== undefined) read.push('', i, known);
    else pushLine(read, text, i);
  }

  /** What the last full read made, if no edit came since (handed out once). */
  private takeWhole(): ParseResult | undefined {
    const whole = this.whole;
    this.whole = undefined;
    return whole;
  }

  /**
   * Everything normalised again (an edit the incremental analysis does not take):
   * the records read since are used, the others read again; the contexts come
   * out the same.
   */
  private readAgain(): WholeRead {
    return new WholeRead(this.contexts);
  }

  private doneAgain(read: WholeRead): ParseResult {
    this.forgetRecords();
    return read.finish();
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
    // Lines not changed since the last read: their text and the context before them are
    // still the old ones (the last replaced line of each change keeps its context slot).
    const keepUnchanged = (to: number): void => {
      for (; at < to; at++) merged.old.push(this.recordAt(at)!);
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
  private readFrom(lines: LineSource, from: number, to: number, hunk?: Hunk): void {
    let ctx = this.contextBefore(from);
    /** The context before line i as it was before this read (the one its old record was read after). */
    let oldCtx = ctx;
    for (let i = from; i < lines.length; i++) {
      const before = this.contexts.get(i);
      if (hunk !== undefined && i >= hunk.newEnd) this.grow(hunk, i, oldCtx);
      // Without FieldSpans: they cost most of the memory; hovers re-read their line (fields.ts).
      const record = readOneLine(lines.at(i)!, i, ctx);
      ctx = nextContext(ctx, record);
      this.records.set(i, record);
      if (ctx !== before) this.snapshot = undefined;
      this.contexts.set(i, ctx);
      this.lastReadLines++;
      if (i >= to - 1 && ctx === before) break;
      oldCtx = before ?? INITIAL_CONTEXT;
    }
  }

  /**
   * Line `line` (just past `hunk`, unchanged so far, read after `oldCtx`) is about
   * to be read again: it joins the hunk.
   */
  private grow(hunk: Hunk, line: number, oldCtx: LineContext): void {
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
    hunk.old.push(this.records.get(line) ?? this.read(line, oldCtx));
    hunk.newEnd++;
    hunk.oldEnd++;
  }
}
