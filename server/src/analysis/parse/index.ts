// Trace text → segments, in two phases the language server can run separately:
// (a) readLine(): one line → LineRecord, given a small LineContext;
// (b) normalize(): all records → Segment[] (absolute numbers, times).
// parseTrace() is (a) over every line, then (b). It never throws.
import type { ParseResult, Segment } from '../model';
import { INITIAL_CONTEXT } from './records';
import { nextContext, readLine } from './lines';
import { Normalizer } from './normalize';
import { detachedSlice } from './scan';

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
  /**
   * Takes each segment as soon as it is made (a streaming analysis); the segments
   * are then not kept: ParseResult.segments is empty.
   */
  readonly onSegment?: (segment: Segment) => void;
}

/**
 * (a) over every line, streamed into (b): the text is scanned by index (no
 * split into line strings) and records are not kept, so they die young.
 */
export function parseTrace(text: string, options: ParseOptions = {}): ParseResult {
  const parser = new TraceParser(options, text.length);
  parser.push(text);
  return parser.finish();
}

/**
 * parseTrace() over a text that arrives in pieces (a big file read in chunks,
 * so that the whole text never has to be in memory at once). A line may
 * straddle two pieces. push() every piece in order, then finish(); the result
 * is the same as parseTrace() of the pieces joined.
 */
export class TraceParser {
  private readonly normalizer: Normalizer;
  private readonly withSpans: boolean;
  private readonly onProgress: ParseOptions['onProgress'];
  private ctx = INITIAL_CONTEXT;
  private line = 0;
  /** The unfinished last line of the pieces so far. */
  private carry = '';
  /** Characters of the pieces before the current one (for progress). */
  private offset = 0;

  /** `total`: the length of the whole text, when known, for onProgress. */
  constructor(
    options: ParseOptions = {},
    private readonly total = 0,
  ) {
    this.withSpans = options.spans !== false;
    this.normalizer = new Normalizer(null, options.onSegment ?? null);
    this.onProgress = options.onProgress;
  }

  push(piece: string): void {
    let start = 0;
    if (this.carry !== '') {
      const nl = piece.indexOf('\n');
      if (nl < 0) {
        this.carry += piece;
        this.offset += piece.length;
        return;
      }
      const line = this.carry + piece.slice(0, nl);
      this.carry = '';
      this.read(line, 0, line.length);
      start = nl + 1;
    }
    for (;;) {
      const end = piece.indexOf('\n', start);
      if (end < 0) break;
      this.read(piece, start, end);
      if ((this.line & 0xffff) === 0 && this.onProgress !== undefined)
        this.onProgress(this.offset + end, this.total);
      start = end + 1;
    }
    // A copy: a slice would keep the whole piece alive until the next one.
    if (start < piece.length) this.carry = detachedSlice(piece, start, piece.length);
    this.offset += piece.length;
  }

  finish(): ParseResult {
    // The text after the last line break is a line too (empty when the text ends with one).
    this.read(this.carry, 0, this.carry.length);
    this.carry = '';
    const result = this.normalizer.finish();
    return {
      format: result.format,
      lineCount: this.line,
      segments: result.segments,
      diagnostics: result.diagnostics,
      disabledCodes: result.disabledCodes,
    };
  }

  private read(text: string, start: number, end: number): void {
    const r = readLine(text, this.line, this.ctx, start, end, this.withSpans);
    this.normalizer.push(r, this.line);
    this.ctx = nextContext(this.ctx, r);
    this.line++;
  }
}
