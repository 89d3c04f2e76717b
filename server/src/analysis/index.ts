// Public entry of the pure analysis core: text in, plain data out.
export * from './model';
export * from './seq';
export { parseTrace, TraceParser } from './parse';
export { analyzeInSteps, analyzeParsed, analyzeTrace } from './analyze';
export { SegmentAnalyses } from './segmentAnalyses';
export { StreamAnalyzer, type StreamedAnalysis, type StreamOptions, type ParseFacts } from './stream';
export { COUNTED_SEVERITIES, severityIndex, type FindingCounts } from './countedFindings';
