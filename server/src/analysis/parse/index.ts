// Trace text → segments, in two phases the language server can run separately:
// (a) readLine(): one line → LineRecord, given a small LineContext;
// (b) normalize(): all records → Segment[] (absolute numbers, times).
// parseTrace() is (a) over every line, then (b). It never throws.
import type { ParseResult } from '../model';
import { INITIAL_CONTEXT } from './records';
import { nextContext, readLine } from './lines';
import { Normalizer } from './normalize';

export { readLine, nextContext } from './lines';
export { normalize, Normalizer, type Normalized } from './normalize';
export {
  INITIAL_CONTEXT,
  contextOf,
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
  /** Called about every 65536 lines with the offset reached (for progress bars). */
  readonly onProgress?: (offset: number, total: number) => void;
}

/**
 * (a) over every line, streamed into (b): the text is scanned by index (no
 * split into line strings) and records are not kept, so they die young.
 */
export function parseTrace(text: string, options: ParseOptions = {}): ParseResult {
  const withSpans = options.spans !== false;
  const normalizer = new Normalizer();
  let ctx = INITIAL_CONTEXT;
  let start = 0;
  let line = 0;
  const n = text.length;
  for (;;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const r = readLine(text, line, ctx, start, end, withSpans);
    normalizer.push(r, line);
    ctx = nextContext(ctx, r);
    line++;
    if ((line & 0xffff) === 0 && options.onProgress !== undefined) options.onProgress(end, n);
    if (end >= n) break;
    start = end + 1;
  }
  const result = normalizer.finish();
  return {
    format: result.format,
    lineCount: line,
    segments: result.segments,
    diagnostics: result.diagnostics,
    disabledCodes: result.disabledCodes,
  };
}
