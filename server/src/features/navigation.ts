// Navigation between segments: definition (ACK → acknowledged segment,
// retransmission → original, FIN's ACK → FIN), references (the connection's
// segments) and document highlights.
import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type Location,
  type Position,
} from 'vscode-languageserver/node';
import type { Segment, SegmentAnalysis } from '../analysis';
import { segmentLocation, segmentRange } from '../convert';
import { fieldsOf } from './fields';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';

interface SegmentAt {
  readonly segment: Segment;
  readonly analysis: SegmentAnalysis | undefined;
}

export function segmentAt(a: DocumentAnalysis, pos: Position): SegmentAt | undefined {
  if (pos.line < 0 || pos.line >= a.index.lineCount) return undefined;
  const index = a.index.segmentAt(pos.line);
  const segment = index >= 0 ? a.result.segments[index] : undefined;
  return segment ? { segment, analysis: segmentAnalysisAt(a.result, index) } : undefined;
}

export function definitionAt(a: DocumentAnalysis, pos: Position): Location | null {
  const at = segmentAt(a, pos);
  if (!at?.analysis) return null;
  const { acknowledges, original } = at.analysis;
  const field = fieldsOf(a, at.segment).find(
    (f) => f.line === pos.line && f.start <= pos.character && pos.character < f.end,
  );
  let target: number | undefined;
  if (field?.kind === 'ack') target = acknowledges ?? original;
  else if (field?.kind === 'seq') target = original ?? acknowledges;
  else target = original ?? acknowledges;
  const segment = target !== undefined ? a.result.segments[target] : undefined;
  return segment ? segmentLocation(a.uri, segment, a.lineText) : null;
}

function connectionSegments(a: DocumentAnalysis, pos: Position): Segment[] {
  const at = segmentAt(a, pos);
  const connection = at?.analysis ? a.index.connection(at.analysis.connection) : undefined;
  if (!connection) return [];
  const result: Segment[] = [];
  for (const i of connection.segments) {
    const s = a.result.segments[i];
    if (s) result.push(s);
  }
  return result;
}

export function referencesAt(a: DocumentAnalysis, pos: Position): Location[] {
  return connectionSegments(a, pos).map((s) => segmentLocation(a.uri, s, a.lineText));
}

export function highlightsAt(a: DocumentAnalysis, pos: Position): DocumentHighlight[] {
  return connectionSegments(a, pos).map((s) => ({
    range: segmentRange(s, a.lineText),
    kind: DocumentHighlightKind.Text,
  }));
}
