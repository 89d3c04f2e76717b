// Trace text → segments, in two phases the language server can run separately:
// (a) readLine(): one line → LineRecord, given a small LineContext;
// (b) normalize(): all records → Segment[] (absolute numbers, times).
// parseTrace() is (a) over every line, then (b). It never throws.
import type { ParseResult } from '../model';
import { INITIAL_CONTEXT, type LineContext, type LineRecord } from './records';
import { nextContext, readLine } from './lines';
import { normalize } from './normalize';

export { readLine, nextContext, contextOf } from './lines';
export { normalize, type Normalized } from './normalize';
export {
  INITIAL_CONTEXT,
  Numbering,
  TimeKind,
  TsMode,
  type LineContext,
  type LineRecord,
  type PacketRecord,
  type IpHeaderRecord,
  type ErrorRecord,
  type DirectiveRecord,
  type DrillTimeRecord,
} from './records';

export interface ParseOptions {
  /**
   * Record FieldSpans (hover targets) for every segment. Default true; the CLI
   * turns it off to save memory on large traces.
   */
  readonly spans?: boolean;
}

/** Phase (a) over the whole text, by index (no split into line strings). */
export function readAllLines(
  text: string,
  options: ParseOptions = {},
): { records: LineRecord[]; contexts?: LineContext[] } {
  const withSpans = options.spans !== false;
  const records: LineRecord[] = [];
  let ctx = INITIAL_CONTEXT;
  let start = 0;
  const n = text.length;
  for (;;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const r = readLine(text, records.length, ctx, start, end, withSpans);
    records.push(r);
    ctx = nextContext(ctx, r);
    if (end >= n) break;
    start = end + 1;
  }
  return { records };
}

export function parseTrace(text: string, options: ParseOptions = {}): ParseResult {
  const { records } = readAllLines(text, options);
  const n = normalize(records);
  return {
    format: n.format,
    lineCount: records.length,
    segments: n.segments,
    diagnostics: n.diagnostics,
    disabledCodes: n.disabledCodes,
  };
}
