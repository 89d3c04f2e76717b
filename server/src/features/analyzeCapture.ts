// A whole capture analysed once from disk (its rendering is too large for the
// editor, or the user asked): its segments decoded straight from the capture
// (the same as the parse of its rendering) and analysed in time slices, so the server
// keeps answering, its findings converted to diagnostics of the capture's own
// URI, and nothing kept afterwards. An open document would hold the lines, the
// per-line parse state and the analysis: 3.2 GB for a 1M-packet capture, next
// to the server's 4 GB heap limit.
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { analyzeInSteps, type ParseResult } from '../analysis';
import type { Settings } from '../config';
import { effectiveSeverity, toDiagnostic } from '../convert';
import { analysisOptions } from '../documents/analysisCache';
import { chunkedFor, SLICE_MS, yieldToEventLoop } from '../documents/scheduling';
import type { TraceStatus } from '../protocol';

export interface WholeCapture {
  readonly uri: string;
  /** The capture's `tcpdump -n` rendering (the findings' ranges end where its lines do). */
  readonly text: string;
  /** The parse of the rendering, capture problems included, made in steps (parseCaptureDirectSteps). */
  readonly parse: Generator<void, ParseResult>;
  readonly settings: Settings;
  readonly relatedInformation: boolean;
}

export interface WholeCaptureAnalysis {
  readonly diagnostics: Diagnostic[];
  /** Counts for the status bar; `version` counts the analyses of this server. */
  readonly status: TraceStatus;
}

let analyses = 0;

export async function analyseWholeCapture(c: WholeCapture): Promise<WholeCaptureAnalysis> {
  const parsed = await inSlices(c.parse);
  const result = await inSlices(analyzeInSteps(parsed, analysisOptions(c.settings), 1024));
  const lineText = lineReader(c.text);
  const disabled = new Set(parsed.disabledCodes);
  const diagnostics: Diagnostic[] = [];
  if (c.settings.diagnostics.enable) {
    await chunkedFor(result.diagnostics.length, (i) => {
      const f = result.diagnostics[i]!;
      if (disabled.has(f.code)) return;
      const severity = effectiveSeverity(f, c.settings);
      if (severity) diagnostics.push(toDiagnostic(f, severity, c.uri, lineText, c.relatedInformation));
    });
  }
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === DiagnosticSeverity.Error) errors++;
    else if (d.severity === DiagnosticSeverity.Warning) warnings++;
  }
  return {
    diagnostics,
    status: {
      uri: c.uri,
      version: ++analyses,
      connections: result.connections.length,
      segments: result.segments.length,
      errors,
      warnings,
      notes: diagnostics.length - errors - warnings,
      fromDisk: true,
    },
  };
}

/** Runs steps to their end, yielding to the event loop between time slices. */
async function inSlices<T>(steps: Generator<void, T>): Promise<T> {
  let sliceStart = performance.now();
  let step = steps.next();
  while (step.done !== true) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    step = steps.next();
  }
  return step.value;
}

/** Line `n` of `text` (without its '\n'), from an index of line starts built once. */
function lineReader(text: string): (line: number) => string {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (line) => {
    const start = starts[line];
    if (start === undefined) return '';
    const next = starts[line + 1];
    return text.slice(start, next === undefined ? text.length : next - 1);
  };
}
