// Outline: one symbol per connection, children for handshake, data transfer
// and teardown, segments under them. Workspace symbols: connections of every
// open trace.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { Connection, Phase, Segment, SegmentAnalysis } from '../analysis';
import { linesRange, segmentRange } from '../convert';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';
import { chunkedFor } from '../documents/scheduling';
import { connectionSummary } from './codeLens';
import { flagsText } from './explain';
import { connectionName } from './inlayHints';

/** Outlines of huge connections list this many segments per phase. */
export const MAX_SEGMENT_SYMBOLS_PER_PHASE = 1000;

const GROUPS: readonly { readonly name: string; readonly phases: readonly Phase[] }[] = [
  { name: 'Handshake', phases: ['handshake'] },
  { name: 'Data transfer', phases: ['data'] },
  { name: 'Teardown', phases: ['teardown', 'reset'] },
];

export async function documentSymbolsFor(
  a: DocumentAnalysis,
  wanted: () => boolean,
): Promise<DocumentSymbol[] | undefined> {
  const result: DocumentSymbol[] = [];
  const connections = a.result.connections;
  const done = await chunkedFor(
    connections.length,
    (i) => result.push(connectionSymbol(a, connections[i]!)),
    wanted,
  );
  return done ? result : undefined;
}

function connectionSymbol(a: DocumentAnalysis, c: Connection): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  for (const group of GROUPS) {
    const members: { segment: Segment; analysis: SegmentAnalysis }[] = [];
    let total = 0;
    for (const i of c.segments) {
      const sa = segmentAnalysisAt(a.result, i);
      const segment = a.result.segments[i];
      if (!sa || !segment || !group.phases.includes(sa.phase)) continue;
      total++;
      if (members.length < MAX_SEGMENT_SYMBOLS_PER_PHASE) members.push({ segment, analysis: sa });
    }
    if (members.length === 0) continue;
    const first = members[0]!.segment;
    const last = members[members.length - 1]!.segment;
    const range = linesRange(first.line, Math.max(last.line, last.endLine), a.lineText);
    children.push({
      name: group.name,
      detail:
        total > members.length ? `${total} segments, first ${members.length} listed` : `${total} segments`,
      kind: SymbolKind.Namespace,
      range,
      selectionRange: segmentRange(first, a.lineText),
      children: members.map(({ segment, analysis }) => segmentSymbol(a, segment, analysis)),
    });
  }
  const firstSegment = a.result.segments[c.segments[0] ?? -1];
  const range = linesRange(c.firstLine, c.lastLine, a.lineText);
  return {
    name: connectionSymbolName(c),
    detail: `${c.outcome} · ${connectionSummary(c)}`,
    kind: SymbolKind.Module,
    range,
    selectionRange: firstSegment ? segmentRange(firstSegment, a.lineText) : range,
    children,
  };
}

function segmentSymbol(a: DocumentAnalysis, s: Segment, sa: SegmentAnalysis): DocumentSymbol {
  const arrow = sa.direction === 'c2s' ? '→' : '←';
  const seq = sa.relSeq ?? s.seq;
  const ack = s.ack !== null ? ` ack ${sa.relAck ?? s.ack}` : '';
  return {
    name: `${arrow} ${flagsText(s.flags)} seq ${seq ?? '?'}${ack} len ${s.len}`,
    detail: sa.role,
    kind: SymbolKind.Event,
    range: segmentRange(s, a.lineText),
    selectionRange: segmentRange(s, a.lineText),
  };
}

export function connectionSymbolName(c: Connection): string {
  return `${connectionName(c.id)} ${c.label} (${c.outcome})`;
}

export function workspaceSymbolsFor(
  analyses: readonly DocumentAnalysis[],
  query: string,
): SymbolInformation[] {
  const needle = query.trim().toLowerCase();
  const result: SymbolInformation[] = [];
  for (const a of analyses) {
    for (const c of a.result.connections) {
      const name = connectionSymbolName(c);
      if (needle && !name.toLowerCase().includes(needle) && !c.zeekState.toLowerCase().includes(needle))
        continue;
      result.push({
        name,
        kind: SymbolKind.Module,
        location: { uri: a.uri, range: linesRange(c.firstLine, c.firstLine, a.lineText) },
        containerName: a.uri.slice(a.uri.lastIndexOf('/') + 1),
      });
    }
  }
  return result;
}
