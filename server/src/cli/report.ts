// What every output format gets: the analysis plus where it came from, and the
// small conversions they share (endpoints, flags, 1-based lines).
import {
  ACK,
  CWR,
  ECE,
  FIN,
  PSH,
  RST,
  SYN,
  URG,
  type AnalysisResult,
  type Endpoint,
  type Finding,
  type Severity,
  type StateInference,
} from '../analysis/model';
import type { FindingCounts } from '../analysis';

export interface Report {
  /** Path as given on the command line, or null for standard input. */
  readonly path: string | null;
  /** `pcap`/`pcapng` for captures, else the detected text format. */
  readonly inputFormat: string;
  readonly result: AnalysisResult;
  /** Segments in the trace (a streamed analysis leaves `result.segments` empty). */
  readonly segmentCount: number;
  /** The findings' counts when the analysis only counted them (`result.diagnostics` is then empty). */
  readonly findingCounts?: FindingCounts;
}

/** `ip:port`, IPv6 addresses in brackets. */
export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

const FLAG_LETTERS: readonly (readonly [number, string])[] = [
  [FIN, 'F'],
  [SYN, 'S'],
  [RST, 'R'],
  [PSH, 'P'],
  [ACK, 'A'],
  [URG, 'U'],
  [ECE, 'E'],
  [CWR, 'W'],
];

/** Flag letters in the order FSRPAUEW, e.g. `SA` for a SYN-ACK. */
export function flagLetters(flags: number): string {
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) s += letter;
  return s;
}

/** A state for humans: `?` marks an assumed one, `?` alone an unknown one. */
export function stateLabel(s: StateInference | undefined): string {
  if (!s || s.state === null) return '?';
  return s.confidence === 'assumed' ? `${s.state}?` : s.state;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export type SeverityCounts = Record<Severity, number>;

export function countSeverities(findings: Iterable<Finding>): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** `2 errors, 1 warning` — only the non-zero ones; `no findings` when none. */
export function countsText(c: SeverityCounts): string {
  const names: Record<Severity, [string, string]> = {
    error: ['error', 'errors'],
    warning: ['warning', 'warnings'],
    information: ['note', 'notes'],
    hint: ['hint', 'hints'],
  };
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${names[s][c[s] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
