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
  const findingsByLine = findingsByFirstLine(result.diagnostics);
  const connectionById = new Map<number, Connection>();
  for (const c of result.connections) connectionById.set(c.id, c);
  return {
    lineToSegment,
    findingsByLine,
    interleaved: interleavedConnections(result.connections),
    connectionById,
  };
}

/**
 * The index of `result`, an incremental re-analysis of `previous` (same lines,
 * same segments on them): the line table is shared, the interleaving kept
 * when no connection's line span moved; the rest is rebuilt (O(findings +
 * connections), not O(lines)).
 */
export function deriveIndex(
  previous: AnalysisIndex,
  previousResult: AnalysisResult,
  result: AnalysisResult,
  lineCount: number,
): AnalysisIndex {
  if (
    lineCount !== previous.lineToSegment.length ||
    result.segments.length !== previousResult.segments.length ||
    result.connections.length !== previousResult.connections.length
  ) {
    return buildIndex(result, lineCount);
  }
  let spansMoved = false;
  const connectionById = new Map<number, Connection>();
  for (let k = 0; k < result.connections.length; k++) {
    const c = result.connections[k]!;
    const old = previousResult.connections[k]!;
    if (c !== old && (c.firstLine !== old.firstLine || c.lastLine !== old.lastLine)) spansMoved = true;
    connectionById.set(c.id, c);
  }
  return {
    lineToSegment: previous.lineToSegment,
    findingsByLine: findingsByFirstLine(result.diagnostics),
    interleaved: spansMoved ? interleavedConnections(result.connections) : previous.interleaved,
    connectionById,
  };
}

function findingsByFirstLine(findings: readonly Finding[]): Map<number, Finding[]> {
  const byLine = new Map<number, Finding[]>();
  for (const f of findings) {
    const list = byLine.get(f.line);
    if (list) list.push(f);
    else byLine.set(f.line, [f]);
  }
  return byLine;
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
