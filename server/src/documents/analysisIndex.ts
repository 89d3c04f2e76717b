// Look-ups over one analysis for hovers, inlay hints and navigation, in
// O(log n) per line without tables per line: the segments are in line order
// with disjoint line spans, and the findings are sorted by line (the core's
// results are made so), so both are searched in place. An edit's new version
// then costs no table (a line table was 1.4 MB per version after edits that
// moved lines), and the arrays the incremental analysis updates in place are
// always searched as they are now. Only the interleaving of connections is
// worked out once per index, on first use (a byte per connection).
import type { AnalysisResult, Connection, Finding, Segment, SegmentAnalysis } from '../analysis';

export interface AnalysisIndex {
  /** Lines the look-ups cover (the document's, or the analysis' if it has more). */
  readonly lineCount: number;
  /** The index of the segment covering `line`, or -1. */
  segmentAt(line: number): number;
  /** The first segment whose lines reach `line` or later (the segment count if none). */
  firstSegmentFrom(line: number): number;
  /** The last segment starting at `line` or earlier (-1 if none). */
  lastSegmentUpTo(line: number): number;
  /** The findings that start on `line`, in the analysis' order. */
  findingsOn(line: number): readonly Finding[];
  /** Whether the connection's lines interleave with another connection's. */
  interleaved(id: number): boolean;
  /** The connection with this id. */
  connection(id: number): Connection | undefined;
}

export function buildIndex(result: AnalysisResult, lineCount: number): AnalysisIndex {
  return new SearchIndex(result, Math.max(lineCount, result.lineCount));
}

const NONE: readonly Finding[] = [];

class SearchIndex implements AnalysisIndex {
  /** Per connection id: 1 when it interleaves with another; made on first use. */
  private interleaving: Uint8Array | undefined;

  constructor(
    private readonly result: AnalysisResult,
    readonly lineCount: number,
  ) {}

  segmentAt(line: number): number {
    if (!(line >= 0 && line < this.lineCount)) return -1;
    const k = this.lastSegmentUpTo(line);
    return k >= 0 && lastLineOf(this.result.segments[k]!, this.lineCount) >= line ? k : -1;
  }

  firstSegmentFrom(line: number): number {
    const segs = this.result.segments;
    // Disjoint ascending spans: their last lines ascend too.
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lastLineOf(segs[mid]!, this.lineCount) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lastSegmentUpTo(line: number): number {
    const segs = this.result.segments;
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segs[mid]!.line <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  findingsOn(line: number): readonly Finding[] {
    const findings = this.result.diagnostics;
    let lo = 0;
    let hi = findings.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (findings[mid]!.line < line) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < findings.length && findings[end]!.line === line) end++;
    return end === lo ? NONE : findings.slice(lo, end);
  }

  interleaved(id: number): boolean {
    this.interleaving ??= interleavedConnections(this.result.connections);
    return this.interleaving[id] === 1;
  }

  connection(id: number): Connection | undefined {
    const connections = this.result.connections;
    const c = connections[id];
    // Ids are the connections' places in the list; look further only if a result is made otherwise.
    return c?.id === id ? c : connections.find((x) => x.id === id);
  }
}

/** The last line a segment covers, within the document. */
function lastLineOf(s: Segment, lineCount: number): number {
  return Math.min(Math.max(s.endLine, s.line), lineCount - 1);
}

/** Two connections interleave when their line spans overlap. */
function interleavedConnections(connections: readonly Connection[]): Uint8Array {
  let size = 0;
  for (const c of connections) size = Math.max(size, c.id + 1);
  const flags = new Uint8Array(size);
  let byStart = connections;
  for (let k = 1; k < connections.length; k++) {
    // In order of their first segments, so of their first lines; sort only if not.
    if (connections[k]!.firstLine < connections[k - 1]!.firstLine) {
      byStart = [...connections].sort((a, b) => a.firstLine - b.firstLine);
      break;
    }
  }
  let open: Connection | undefined;
  for (const c of byStart) {
    if (open && c.firstLine <= open.lastLine) {
      flags[open.id] = 1;
      flags[c.id] = 1;
    }
    if (!open || c.lastLine > open.lastLine) open = c;
  }
  return flags;
}

export function segmentAnalysisAt(result: AnalysisResult, segment: number): SegmentAnalysis | undefined {
  return result.perSegment.get(segment);
}
