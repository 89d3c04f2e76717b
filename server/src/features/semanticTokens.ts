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
  const first = a.index.firstSegmentFrom(Math.max(0, startLine));
  const last = a.index.lastSegmentUpTo(Math.min(endLine, a.index.lineCount - 1));
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
