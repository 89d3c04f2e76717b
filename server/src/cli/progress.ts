// A one-line progress indicator on stderr, shown only for large inputs and only
// when stderr is a terminal (never in pipes, logs or CI output).
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(s: string): unknown;
}

/** Inputs below this many bytes finish too fast for an indicator to help. */
export const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

export class Progress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  static for(sink: ProgressSink, bytes: number | undefined): Progress {
    return new Progress(sink, sink.isTTY === true && (bytes === undefined || bytes >= PROGRESS_MIN_BYTES));
  }

  /** A phase starts ("parsing", "analysing"); drawn at once. */
  phase(name: string, detail = ''): void {
    this.draw(`${name}${detail ? ` ${detail}` : ''}…`, true);
  }

  /** Part of a phase done, e.g. characters parsed of the whole text; throttled like bytes(). */
  fraction(phase: string, done: number, total: number): void {
    const pct = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
    this.draw(`${phase}… ${pct}%`, false);
  }

  /** Bytes read so far of an input of unknown size; redrawn at most ten times a second. */
  bytes(read: number): void {
    if (read < PROGRESS_MIN_BYTES) return;
    this.draw(`reading standard input… ${(read / 1048576).toFixed(1)} MB`, false);
  }

  /** Removes the indicator so normal output starts on a clean line. */
  clear(): void {
    if (this.shown) this.sink.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(text: string, force: boolean): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.sink.write(`\r\x1b[Ktcptrace-inspect: ${text}`);
    this.shown = true;
  }
}
