// Compact text dumps of parse results, so tests read as "trace in, dump out".
import type { Endpoint, ParseResult, Segment } from '../../../server/src/analysis/model';
import {
  INITIAL_CONTEXT,
  nextContext,
  parseTrace,
  readLine,
  type LineRecord,
} from '../../../server/src/analysis/parse';

const LETTERS: readonly [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, 'A'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
  [0x100, 'e'],
];

export function flagLetters(flags: number): string {
  let s = '';
  for (const [bit, letter] of LETTERS) if ((flags & bit) !== 0) s += letter;
  return s === '' ? '-' : s;
}

export function ep(e: Endpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${host}:${e.port}${e.service !== undefined ? `(${e.service})` : ''}`;
}

/** `L3 10.0.0.1:5 > 10.0.0.2:80 SA seq=1 ack=2 len=0` (line numbers 1-based like an editor). */
export function dumpSegment(s: Segment): string {
  const lines = s.endLine === s.line ? `L${s.line + 1}` : `L${s.line + 1}-${s.endLine + 1}`;
  return `${lines} ${ep(s.src)} > ${ep(s.dst)} ${flagLetters(s.flags)} seq=${s.seq ?? '-'} ack=${s.ack ?? '-'} len=${s.len}`;
}

/** Segment dumps, then one `E<line>:<start>-<end> <severity> <message>` per diagnostic. */
export function dump(r: ParseResult): string[] {
  return [
    ...r.segments.map(dumpSegment),
    ...r.diagnostics.map(
      (d) => `E${d.line + 1}:${d.startChar ?? '?'}-${d.endChar ?? '?'} ${d.severity} ${d.message}`,
    ),
  ];
}

/** The records of `lines`, each read with the context the one before leaves (as the language server reads them). */
export function recordsOf(lines: readonly string[], spans: boolean): LineRecord[] {
  const records: LineRecord[] = [];
  let ctx = INITIAL_CONTEXT;
  lines.forEach((line, i) => {
    const r = readLine(line, i, ctx, 0, line.length, spans);
    records.push(r);
    ctx = nextContext(ctx, r);
  });
  return records;
}

export function parseLines(lines: readonly string[]): ParseResult {
  return parseTrace(lines.join('\n'));
}

export function time(s: Segment | undefined): string {
  return s === undefined || s.time === null ? '-' : s.time.toFixed(6);
}
