// Lookup tables over one analysis, built once per document version so that
// hovers and inlay hints for a viewport cost O(lines in the viewport).
import type { AnalysisResult, Connection, Finding, SegmentAnalysis } from '../analysis';

export interface AnalysisIndex {
  /** For each line, the index of the segment covering it, or -1. */
  readonly lineToSegment: Int32Array;
  /** Findings by first line. */
  readonly findingsByLine: ReadonlyMap<number, readonly Finding[]>;
  /** Connection ids whose lines interleave with another connection's. */
  readonly interleaved: ReadonlySet<number>;
  /** Per connection id: the lines of its segments, in order. */
  readonly connectionById: ReadonlyMap<number, Connection>;
}

export function buildIndex(result: AnalysisResult, lineCount: number): AnalysisIndex {
  const lineToSegment = new Int32Array(Math.max(lineCount, result.lineCount)).fill(-1);
  for (const s of result.segments) {
    const last = Math.min(Math.max(s.endLine, s.line), lineToSegment.length - 1);
    for (let l = s.line; l <= last; l++) lineToSegment[l] = s.index;
  }
  const findingsByLine = new Map<number, Finding[]>();
  for (const f of result.diagnostics) {
    const list = findingsByLine.get(f.line);
    if (list) list.push(f);
    else findingsByLine.set(f.line, [f]);
  }
  const connectionById = new Map<number, Connection>();
  for (const c of result.connections) connectionById.set(c.id, c);
  return {
    lineToSegment,
    findingsByLine,
    interleaved: interleavedConnections(result.connections),
    connectionById,
  };
}

/** Two connections interleave when their line spans overlap. */
function interleavedConnections(connections: readonly Connection[]): Set<number> {
  const byStart = [...connections].sort((a, b) => a.firstLine - b.firstLine);
  const result = new Set<number>();
  let open: Connection | undefined;
  for (const c of byStart) {
    if (open && c.firstLine <= open.lastLine) {
      result.add(open.id);
      result.add(c.id);
    }
    if (!open || c.lastLine > open.lastLine) open = c;
  }
  return result;
}

export function segmentAnalysisAt(result: AnalysisResult, segment: number): SegmentAnalysis | undefined {
  const a = result.perSegment[segment];
  return a && a.segment === segment ? a : result.perSegment.find((p) => p.segment === segment);
}
