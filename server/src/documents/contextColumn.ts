// The reader context after each line of the text being edited (IncrementalParse),
// kept as runs of equal ones: a sparse array's operations (get, set, splice in
// holes) over a few runs instead of a slot per line. Contexts are interned and
// change seldom (in a plain tcpdump trace every line after the first packet has
// the same one), so the 50 MB bench trace needs a few runs, not 351,624 slots
// (2.8 MB) that a line insertion copies. A trace whose context changes every line
// (the IPv4 -v two-line form) has a run per line, as costly as the array was.
import { INITIAL_CONTEXT, type LineContext } from '../analysis/parse';
import { ContextRuns } from './contextRuns';

export class ContextColumn {
  /** starts[k]: the first line of run k; runs cover [0, length) in order, none empty. */
  private starts: number[] = [];
  /** values[k]: the context of every line of run k; undefined: not read yet (a hole). */
  private values: (LineContext | undefined)[] = [];
  private count = 0;

  /** `length` lines, none read yet. */
  constructor(length = 0) {
    if (length > 0) {
      this.starts.push(0);
      this.values.push(undefined);
    }
    this.count = length;
  }

  get length(): number {
    return this.count;
  }

  /** The context after line i; undefined when not read or outside [0, length). */
  get(i: number): LineContext | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    return this.values[this.runOf(i)];
  }

  /** Sets the context after line i (0 <= i < length). */
  set(i: number, ctx: LineContext): void {
    if (!(i >= 0 && i < this.count)) return;
    const starts = this.starts;
    const values = this.values;
    const k = this.runOf(i);
    if (values[k] === ctx) return;
    const start = starts[k]!;
    const end = k + 1 < starts.length ? starts[k + 1]! : this.count;
    const prevSame = k > 0 && values[k - 1] === ctx;
    const nextSame = k + 1 < values.length && values[k + 1] === ctx;
    if (start === i && end === i + 1) {
      // The run is this line alone: it takes the new context, and joins equal neighbours.
      values[k] = ctx;
      if (nextSame) {
        starts.splice(k + 1, 1);
        values.splice(k + 1, 1);
      }
      if (prevSame) {
        starts.splice(k, 1);
        values.splice(k, 1);
      }
    } else if (start === i) {
      if (prevSame) starts[k] = i + 1;
      else {
        starts.splice(k + 1, 0, i + 1);
        values.splice(k, 0, ctx);
      }
    } else if (end === i + 1) {
      if (nextSame) starts[k + 1] = i;
      else {
        starts.splice(k + 1, 0, i);
        values.splice(k + 1, 0, ctx);
      }
    } else {
      // Inside the run: split it around the line.
      starts.splice(k + 1, 0, i, i + 1);
      values.splice(k + 1, 0, ctx, values[k]);
    }
  }

  /** Lines [at, at + removed) replaced by `inserted` lines not read yet (0 <= at <= length). */
  splice(at: number, removed: number, inserted: number): void {
    at = Math.max(0, Math.min(at, this.count));
    removed = Math.max(0, Math.min(removed, this.count - at));
    const starts: number[] = [];
    const values: (LineContext | undefined)[] = [];
    // Pieces come in line order and are never empty: a piece equal to the one before extends it.
    const push = (start: number, value: LineContext | undefined): void => {
      if (values.length > 0 && values[values.length - 1] === value) return;
      starts.push(start);
      values.push(value);
    };
    const oldStarts = this.starts;
    const oldValues = this.values;
    const n = oldStarts.length;
    const cut = at + removed;
    const shift = inserted - removed;
    for (let k = 0; k < n && oldStarts[k]! < at; k++) push(oldStarts[k]!, oldValues[k]);
    if (inserted > 0) push(at, undefined);
    for (let k = 0; k < n; k++) {
      const e = k + 1 < n ? oldStarts[k + 1]! : this.count;
      if (e > cut) push(Math.max(oldStarts[k]!, cut) + shift, oldValues[k]);
    }
    this.starts = starts;
    this.values = values;
    this.count += shift;
  }

  /** The runs now, for an analysed version to keep (undefined: the initial context). */
  snapshot(): ContextRuns {
    const starts: number[] = [];
    const values: LineContext[] = [];
    for (let k = 0; k < this.starts.length; k++) {
      const v = this.values[k] ?? INITIAL_CONTEXT;
      if (values.length > 0 && values[values.length - 1] === v) continue;
      starts.push(this.starts[k]!);
      values.push(v);
    }
    return ContextRuns.fromRuns(Int32Array.from(starts), values, this.count);
  }

  /** The run that holds line i (0 <= i < length). */
  private runOf(i: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    // Lines are mostly read in order: the last run first.
    if (starts[hi]! <= i) return hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
