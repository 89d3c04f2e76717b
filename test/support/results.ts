// An analysis keeps its per-segment results in columns (analysis/segmentAnalyses.ts)
// whose state deepStrictEqual cannot see: what a test compares of a result is the
// SegmentAnalysis of every segment, made from them.
// Its segments are compared by their properties (segments.ts).
import type { AnalysisResult, SegmentAnalysis } from '../../server/src/analysis';
import { plainSegments } from './segments';

export type ComparableResult = Omit<AnalysisResult, 'perSegment' | 'segments'> & {
  segments: ReturnType<typeof plainSegments>;
  perSegment: (SegmentAnalysis | undefined)[];
};

/** The result with the SegmentAnalysis of each of its segments, undefined where it has none. */
export function comparable(result: AnalysisResult): ComparableResult {
  const list = result.perSegment;
  return {
    ...result,
    segments: plainSegments(result.segments),
    perSegment: Array.from({ length: list.length }, (_, i) => list.get(i)),
  };
}
