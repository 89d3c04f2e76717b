// Semantic tokens for what the grammar cannot know: which connection a
// segment's endpoints belong to (one of eight colours) and which segments are
// retransmissions.
import {
  SemanticTokensBuilder,
  type SemanticTokens,
  type SemanticTokensLegend,
} from 'vscode-languageserver/node';
import type { DiagnosticCode } from '../analysis';
import { fieldsOf } from './fields';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';
import { chunkedFor } from '../documents/scheduling';

/** Token types `tcpConnection0` … `tcpConnection7`, declared in package.json with fallback scopes. */
const CONNECTION_COLOURS = 8;
export const LEGEND: SemanticTokensLegend = {
  tokenTypes: [
    ...Array.from({ length: CONNECTION_COLOURS }, (_, i) => `tcpConnection${i}`),
    'tcpRetransmission',
  ],
  tokenModifiers: ['retransmission'],
};
const RETRANSMISSION_TYPE = CONNECTION_COLOURS;
const RETRANSMISSION_MODIFIER = 1;

const RETRANSMISSIONS: ReadonlySet<DiagnosticCode> = new Set([
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'syn-retransmission',
]);

const ENDPOINT_FIELDS = new Set(['src-host', 'src-port', 'dst-host', 'dst-port']);

export async function semanticTokensFor(
  a: DocumentAnalysis,
  startLine: number,
  endLine: number,
  wanted: () => boolean,
): Promise<SemanticTokens | undefined> {
  const { connections: colour, retransmissions: mark } = a.settings.semanticHighlighting;
  const builder = new SemanticTokensBuilder();
  if (!colour && !mark) return builder.build();
  const segments = a.result.segments;
  const first = firstSegmentAtOrAfter(a, startLine);
  const last = lastSegmentAtOrBefore(a, endLine);
  const done = await chunkedFor(
    Math.max(0, last - first + 1),
    (k) => {
      const s = segments[first + k]!;
      if (s.line < startLine || s.line > endLine) return;
      const sa = segmentAnalysisAt(a.result, s.index);
      if (!sa) return;
      const retransmitted = sa.analysis.some((c) => RETRANSMISSIONS.has(c));
      const fields = [...fieldsOf(a, s)].sort((x, y) => x.line - y.line || x.start - y.start);
      for (const f of fields) {
        if (colour && ENDPOINT_FIELDS.has(f.kind)) {
          builder.push(
            f.line,
            f.start,
            f.end - f.start,
            sa.connection % CONNECTION_COLOURS,
            retransmitted && mark ? RETRANSMISSION_MODIFIER : 0,
          );
        } else if (mark && retransmitted && (f.kind === 'seq' || f.kind === 'flags')) {
          builder.push(f.line, f.start, f.end - f.start, RETRANSMISSION_TYPE, RETRANSMISSION_MODIFIER);
        }
      }
    },
    wanted,
  );
  return done ? builder.build() : undefined;
}

function firstSegmentAtOrAfter(a: DocumentAnalysis, line: number): number {
  const map = a.index.lineToSegment;
  for (let l = Math.max(0, line); l < map.length; l++) if (map[l]! >= 0) return map[l]!;
  return a.result.segments.length;
}

function lastSegmentAtOrBefore(a: DocumentAnalysis, line: number): number {
  const map = a.index.lineToSegment;
  for (let l = Math.min(line, map.length - 1); l >= 0; l--) if (map[l]! >= 0) return map[l]!;
  return -1;
}
