// Problems found while reading a capture, located by byte offset. Readers
// report and carry on where they can (one packet skipped) or stop (the rest
// of the file cannot be framed); nothing here throws.
import type { CaptureProblem } from './types';

export class ProblemLog {
  readonly list: CaptureProblem[] = [];
  /** Per-packet warnings beyond this many are counted, not listed (bounded memory). */
  private static readonly MAX_LISTED = 1000;
  private suppressed = 0;
  /** Lines rendered so far; problems are stamped with it. */
  lines = 0;

  error(offset: number, message: string, packet?: number): void {
    this.list.push(this.problem(offset, 'error', message, packet));
  }

  warning(offset: number, message: string, packet?: number): void {
    if (this.list.length >= ProblemLog.MAX_LISTED) {
      this.suppressed++;
      return;
    }
    this.list.push(this.problem(offset, 'warning', message, packet));
  }

  private problem(
    offset: number,
    severity: CaptureProblem['severity'],
    message: string,
    packet?: number,
  ): CaptureProblem {
    return packet === undefined
      ? { offset, line: this.lines, severity, message }
      : { offset, packet, line: this.lines, severity, message };
  }

  /** The problems, with a closing note when warnings were dropped. */
  finish(fileSize: number): readonly CaptureProblem[] {
    if (this.suppressed > 0)
      this.list.push({
        offset: fileSize,
        line: this.lines,
        severity: 'warning',
        message: `${this.suppressed} more packet warnings not listed`,
      });
    return this.list;
  }
}
