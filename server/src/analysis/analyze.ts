// Runs the analysis passes over parsed segments.
import type { AnalysisOptions, AnalysisResult, ParseResult } from './model';
import { parseTrace } from './parse';

export function analyzeParsed(parsed: ParseResult, options: AnalysisOptions = {}): AnalysisResult {
  return {
    format: parsed.format,
    lineCount: parsed.lineCount,
    segments: parsed.segments,
    perSegment: [],
    connections: [],
    diagnostics: [...parsed.diagnostics],
    vantage: options.vantage ?? 'unknown',
  };
}

export function analyzeTrace(text: string, options: AnalysisOptions = {}): AnalysisResult {
  return analyzeParsed(parseTrace(text), options);
}
