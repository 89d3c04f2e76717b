// A whole capture analysed once from disk (its rendering is too large for the
// editor, or the user asked): parsed and analysed in time slices, so the server
// keeps answering, its findings converted to diagnostics of the capture's own
// URI, and nothing kept afterwards. An open document would hold the lines, the
// per-line parse state and the analysis: 3.2 GB for a 1M-packet capture, next
// to the server's 4 GB heap limit.
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { analyzeInSteps, TraceParser, type Finding, type ParseResult } from '../analysis';
import { problemFinding, type CaptureProblem } from '../analysis/pcap';
import type { Settings } from '../config';
import { effectiveSeverity, toDiagnostic } from '../convert';
import { analysisOptions } from '../documents/analysisCache';
import { chunkedFor, SLICE_MS, yieldToEventLoop } from '../documents/scheduling';
import type { TraceStatus } from '../protocol';

/** Text handed to the parser at a time (it keeps no reference to it). */
const PIECE_CHARS = 256 * 1024;

export interface WholeCapture {
  readonly uri: string;
  /** The capture's `tcpdump -n` rendering. */
  readonly text: string;
  readonly problems: readonly CaptureProblem[];
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
  const parsed = await parseInSlices(c.text);
  const findings: Finding[] = [
    ...parsed.diagnostics,
    ...c.problems.map((p) => problemFinding(p, parsed.lineCount)),
  ];
  const steps = analyzeInSteps({ ...parsed, diagnostics: findings }, analysisOptions(c.settings), 1024);
  let sliceStart = performance.now();
  let step = steps.next();
  while (step.done !== true) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    step = steps.next();
  }
  const result = step.value;
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

async function parseInSlices(text: string): Promise<ParseResult> {
  const parser = new TraceParser({ spans: false });
  let sliceStart = performance.now();
  for (let at = 0; at < text.length; at += PIECE_CHARS) {
    parser.push(text.slice(at, at + PIECE_CHARS));
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return parser.finish();
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
