// Folding: packets that span several lines (`-v`, hex dumps) and runs of
// consecutive segments of one connection (when the trace has several).
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';

/** A run must span at least this many lines to be worth folding. */
const MIN_RUN_LINES = 3;

export function foldingRangesFor(a: DocumentAnalysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const segments = a.result.segments;
  for (const s of segments) {
    if (s.endLine > s.line) ranges.push({ startLine: s.line, endLine: s.endLine });
  }
  if (a.result.connections.length < 2) return ranges;
  let runStart = -1;
  let runEnd = -1;
  let runConnection = -1;
  const flush = (): void => {
    if (runStart >= 0 && runEnd - runStart + 1 >= MIN_RUN_LINES) {
      ranges.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Region });
    }
  };
  for (const s of segments) {
    const connection = segmentAnalysisAt(a.result, s.index)?.connection ?? -1;
    if (connection !== runConnection || connection < 0) {
      flush();
      runStart = s.line;
      runConnection = connection;
    }
    runEnd = Math.max(s.line, s.endLine);
  }
  flush();
  return ranges.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}
