// parseCapture: a capture as the analysis sees it — the ParseResult of its
// tcpdump rendering, so every segment's line is its line in the rendering —
// with the capture's problems as `capture-damaged` findings.
import { parseTrace, TraceParser, type ParseOptions } from '../parse';
import type { Finding, ParseResult } from '../model';
import { renderCapture, renderCaptureBytes, type RenderCaptureOptions } from './render';
import type { CaptureProblem, CaptureRendering } from './types';
import type { ByteWindow } from './window';

export interface CaptureParseOptions extends RenderCaptureOptions, ParseOptions {
  /**
   * With `onSegment` (parseCaptureDirect only): the segment handed over, and its
   * options, are valid during the call only — the decoder writes the next
   * packet's fields into the same objects (no Segment and no options object per
   * packet). For callers that copy what they keep (StreamAnalyzer in replay mode).
   */
  readonly transientSegments?: boolean;
}

export interface CaptureParse {
  readonly rendering: CaptureRendering;
  readonly parsed: ParseResult;
}

/** One problem as a finding on the last line rendered before it (line 0 when none was). */
export function problemFinding(p: CaptureProblem, lineCount: number): Finding {
  const line = Math.max(0, Math.min((p.line ?? lineCount) - 1, lineCount - 1));
  const where =
    p.packet === undefined ? `byte offset ${p.offset}` : `byte offset ${p.offset} (packet ${p.packet})`;
  return {
    code: 'capture-damaged',
    severity: p.severity,
    message: `Capture file: ${where}: ${p.message}.`,
    line,
    endLine: line,
    related: [],
    details: p.packet === undefined ? { offset: p.offset } : { offset: p.offset, packet: p.packet },
  };
}

/** The rendering and its parse (for callers that show the text too). */
export function parseCaptureWithText(
  bytes: Uint8Array | ByteWindow,
  options: CaptureParseOptions = {},
): CaptureParse {
  const rendering = renderCapture(bytes, options);
  const parsed = parseTrace(rendering.text, options);
  const lineCount = parsed.lineCount;
  const problems = rendering.problems.map((p) => problemFinding(p, lineCount));
  return {
    rendering,
    parsed: { ...parsed, format: 'tcpdump', diagnostics: [...parsed.diagnostics, ...problems] },
  };
}

/**
 * The ParseResult of a capture's tcpdump rendering (lines match the
 * rendering). The rendering is parsed in 1 MiB pieces as it is decoded, so
 * the whole text never exists as one string.
 */
export function parseCapture(bytes: Uint8Array, options: CaptureParseOptions = {}): ParseResult {
  const rendering = renderCaptureBytes(bytes, options);
  const text = rendering.bytes;
  const parser = new TraceParser(options);
  const decoder = new TextDecoder();
  const size = 1 << 20;
  for (let i = 0; i < text.length; i += size)
    parser.push(decoder.decode(text.subarray(i, i + size), { stream: i + size < text.length }));
  const parsed = parser.finish();
  const problems = rendering.problems.map((p) => problemFinding(p, parsed.lineCount));
  return { ...parsed, format: 'tcpdump', diagnostics: [...parsed.diagnostics, ...problems] };
}
