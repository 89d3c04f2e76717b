// The reader contexts after each line of one version, as runs of equal ones:
// what an analysed version keeps to read a line again with its FieldSpans
// (hovers). Contexts are interned and change seldom (in a plain tcpdump trace
// all lines after the first packet share one), so a version costs a few runs
// instead of a pointer per line (2.8 MB per version on the 50 MB bench trace,
// made again after every edit that moved lines).
import { INITIAL_CONTEXT, type LineContext } from '../analysis/parse';

export class ContextRuns {
  private constructor(
    /** starts[k]: the first line of run k (starts[0] is 0). */
    private readonly starts: Int32Array,
    private readonly values: readonly LineContext[],
    readonly lineCount: number,
  ) {}

  /** Runs made elsewhere (ContextColumn.snapshot): starts[0] is 0, adjacent values differ. */
  static fromRuns(starts: Int32Array, values: readonly LineContext[], lineCount: number): ContextRuns {
    return new ContextRuns(starts, values, lineCount);
  }

  /** The runs of `contexts[0, lineCount)`, the context after each line. */
  static of(contexts: readonly LineContext[], lineCount: number): ContextRuns {
    const starts: number[] = [];
    const values: LineContext[] = [];
    let last: LineContext | undefined;
    for (let i = 0; i < lineCount; i++) {
      const c = contexts[i] ?? INITIAL_CONTEXT;
      if (c === last) continue;
      starts.push(i);
      values.push(c);
      last = c;
    }
    return new ContextRuns(Int32Array.from(starts), values, lineCount);
  }

  /** The context after line `line`; undefined outside [0, lineCount). */
  after(line: number): LineContext | undefined {
    if (!(line >= 0 && line < this.lineCount)) return undefined;
    let lo = 0;
    let hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo];
  }

  /** The context the reader reads line `line` after. */
  before(line: number): LineContext {
    return line > 0 ? (this.after(line - 1) ?? INITIAL_CONTEXT) : INITIAL_CONTEXT;
  }
}
