// Format detection and dispatch to the per-format parsers.
// (Replaced by the full parser set; this first version reads nothing and
// reports every non-empty, non-comment line that looks like a packet.)
import type { Finding, ParseResult } from '../model';

export function parseTrace(text: string): ParseResult {
  const lines = text.split(/\r?\n/);
  const diagnostics: Finding[] = [];
  lines.forEach((line, i) => {
    if (/^\s*$/.test(line) || /^\s*#/.test(line)) return;
    if (/ > /.test(line) && /Flags \[/.test(line)) return;
    if (/^\d/.test(line)) {
      diagnostics.push({
        code: 'parse-error',
        severity: 'error',
        message: 'Line looks like a packet but could not be read',
        line: i,
        endLine: i,
        related: [],
      });
    }
  });
  return { format: 'unknown', lineCount: lines.length, segments: [], diagnostics, disabledCodes: [] };
}
