// Findings that are only counted (a streaming analysis for the CLI's summary, which
// prints how many findings of each severity each connection has): per finding its
// code, severity, segment and connection in typed columns, about 10 bytes, where a
// Finding object took 88 and its place in two arrays 16 (61,000 findings in the 1M
// bench trace, all alive where the analysis' memory peaks, at its end). The walk
// reads back a finding's code and segment (a withdrawal) and withdraws findings by
// their number, as it does with a list of findings (Sink.counted).
import type { DiagnosticCode, Finding, Severity } from './model';

/** The severities in the order FindingCounts counts them. */
export const COUNTED_SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * How many findings there are of each severity (COUNTED_SEVERITIES.length numbers
 * each, in that order): in all, per connection and outside any connection.
 */
export interface FindingCounts {
  readonly total: Int32Array;
  /** At `COUNTED_SEVERITIES.length * id`, connection `id`'s counts (ids 0 to connections - 1). */
  readonly byConnection: Int32Array;
  /** Findings without a connection (the parser's). */
  readonly outside: Int32Array;
}

const SEVERITY_COUNT = COUNTED_SEVERITIES.length;

/** The severity's place in COUNTED_SEVERITIES (without a search through its strings). */
export function severityIndex(s: Severity): number {
  switch (s) {
    case 'error':
      return 0;
    case 'warning':
      return 1;
    case 'information':
      return 2;
    case 'hint':
      return 3;
  }
}

export class CountedFindings {
  /** The codes met, by their number in `codes`. */
  private readonly codeList: DiagnosticCode[] = [];
  private readonly codeIds = new Map<DiagnosticCode, number>();
  private codes = new Uint8Array(1024);
  private severities = new Uint8Array(1024);
  private segments = new Int32Array(1024);
  private connections = new Int32Array(1024);
  /** Findings added (withdrawn ones too): the next one's number. */
  length = 0;

  add(code: DiagnosticCode, severity: Severity, segment: number, connection: number): void {
    let id = this.codeIds.get(code);
    if (id === undefined) {
      id = this.codeList.length;
      this.codeList.push(code);
      this.codeIds.set(code, id);
    }
    if (this.length === this.codes.length) this.grow();
    const k = this.length++;
    this.codes[k] = id;
    this.severities[k] = severityIndex(severity);
    this.segments[k] = segment;
    this.connections[k] = connection;
  }

  codeAt(k: number): DiagnosticCode {
    return this.codeList[this.codes[k]];
  }

  segmentAt(k: number): number {
    return this.segments[k];
  }

  /**
   * The counts of `parsed` (the parser's findings) and of these, without the withdrawn
   * ones and those of disabled codes, for connections 0 to `connectionCount` - 1. A
   * finding of another connection counts in the total only (as no connection shows it).
   */
  counts(
    parsed: readonly Finding[],
    withdrawn: ReadonlySet<number>,
    disabled: ReadonlySet<string>,
    connectionCount: number,
  ): FindingCounts {
    const total = new Int32Array(SEVERITY_COUNT);
    const byConnection = new Int32Array(SEVERITY_COUNT * connectionCount);
    const outside = new Int32Array(SEVERITY_COUNT);
    const count = (severity: number, connection: number | undefined): void => {
      total[severity]++;
      if (connection === undefined) outside[severity]++;
      else if (connection >= 0 && connection < connectionCount)
        byConnection[SEVERITY_COUNT * connection + severity]++;
    };
    for (const f of parsed) if (!disabled.has(f.code)) count(severityIndex(f.severity), f.connection);
    const skipped = this.codeList.map((c) => disabled.has(c));
    for (let k = 0; k < this.length; k++)
      if (!skipped[this.codes[k]] && !withdrawn.has(k)) count(this.severities[k], this.connections[k]);
    return { total, byConnection, outside };
  }

  private grow(): void {
    const n = 2 * this.codes.length;
    const codes = new Uint8Array(n);
    codes.set(this.codes);
    this.codes = codes;
    const severities = new Uint8Array(n);
    severities.set(this.severities);
    this.severities = severities;
    const segments = new Int32Array(n);
    segments.set(this.segments);
    this.segments = segments;
    const connections = new Int32Array(n);
    connections.set(this.connections);
    this.connections = connections;
  }
}
