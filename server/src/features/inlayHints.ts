// Inline states: at the end of each segment's first line, the sender's and the
// receiver's states the segment implies. Only for the requested lines.
import type { InlayHint } from 'vscode-languageserver/node';
import type { StateInference } from '../analysis';
import { inlayHint } from '../convert';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';
import { COMPACT_STATE, rfcStateName } from './explain';

export function inlayHintsFor(a: DocumentAnalysis, startLine: number, endLine: number): InlayHint[] {
  const { states, compact, connectionNames } = a.settings.inlayHints;
  if (states === 'off') return [];
  const hints: InlayHint[] = [];
  const last = Math.min(endLine, a.index.lineCount - 1);
  for (let line = Math.max(0, startLine); line <= last; line++) {
    const index = a.index.segmentAt(line);
    if (index < 0) continue;
    const segment = a.result.segments[index];
    const analysis = segment && segment.line === line ? segmentAnalysisAt(a.result, index) : undefined;
    if (!analysis) continue;
    const showName =
      connectionNames === 'always' ||
      (connectionNames === 'auto' && a.index.interleaved(analysis.connection));
    const prefix = showName ? `${connectionName(analysis.connection)} ` : '';
    const sender = stateLabel(analysis.sender, compact);
    const label =
      states === 'both' ? `${prefix}${sender} → ${stateLabel(analysis.receiver, compact)}` : prefix + sender;
    const tooltip = [
      `**sender** ${stateTooltip(analysis.sender)}`,
      ...(states === 'both' ? [`**receiver** ${stateTooltip(analysis.receiver)}`] : []),
    ].join('\n\n');
    hints.push(inlayHint(line, a.lineText(line).length, label, tooltip));
  }
  return hints;
}

/** The short name of a connection in hints and outlines: `#1`, `#2`, ... */
export function connectionName(id: number): string {
  return `#${id + 1}`;
}

/** `ESTABLISHED`, `ESTABLISHED?` when assumed, `?` when unknown; compact: `EST`. */
export function stateLabel(s: StateInference, compact: boolean): string {
  if (s.state === null) return '?';
  const name = compact ? COMPACT_STATE[s.state] : s.state;
  return s.confidence === 'assumed' ? `${name}?` : name;
}

function stateTooltip(s: StateInference): string {
  if (s.state === null) return `state unknown — ${s.reason}`;
  return `${rfcStateName(s.state)} (${s.confidence}) — ${s.reason}`;
}
