// Code actions: the quick fix for a SYN-ACK with a wrong ack (when the right
// value is certain), "Show in diagram", and disabling a code for the file with
// a `# tcptrace-disable code` comment (honoured by the parser).
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Segment } from '../analysis';
import { DIAGNOSTIC_SOURCE } from '../convert';
import { fieldsOf } from './fields';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { SHOW_DIAGRAM_COMMAND } from './codeLens';
import { segmentAt } from './navigation';

export function codeActionsFor(
  a: DocumentAnalysis,
  range: Range,
  diagnostics: readonly Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
  for (const d of ours) {
    if (d.code === 'handshake-bad-ack') {
      const fix = badAckFix(a, d);
      if (fix) actions.push(fix);
    }
  }
  const seen = new Set<string>();
  for (const d of ours) {
    const code = d.code as string;
    if (seen.has(code)) continue;
    seen.add(code);
    actions.push({
      title: `Disable ${code} for this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: {
        changes: {
          [a.uri]: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              newText: `# tcptrace-disable ${code}\n`,
            },
          ],
        },
      },
    });
  }
  const at = segmentAt(a, range.start);
  if (at?.analysis) {
    actions.push({
      title: 'Show in diagram',
      kind: CodeActionKind.Empty,
      command: {
        title: 'Show in diagram',
        command: SHOW_DIAGRAM_COMMAND,
        arguments: [a.uri, at.analysis.connection, at.segment.index],
      },
    });
  }
  return actions;
}

/**
 * A SYN-ACK must acknowledge the client's ISN + 1. The fix is certain only when
 * the connection has exactly one client ISN and the line prints the ack as a
 * plain number we can map between printed and absolute form.
 */
function badAckFix(a: DocumentAnalysis, d: Diagnostic): CodeAction | undefined {
  const at = segmentAt(a, d.range.start);
  if (!at?.analysis || at.analysis.direction !== 's2c') return undefined;
  const s: Segment = at.segment;
  const connection = a.index.connection(at.analysis.connection);
  if (!connection || connection.clientIsn === null || s.ack === null || s.printedAck === null)
    return undefined;
  const expected = (connection.clientIsn + 1) >>> 0;
  const printedOffset = (s.ack - s.printedAck) >>> 0;
  const printedExpected = (expected - printedOffset) >>> 0;
  const field = fieldsOf(a, s).find((f) => f.kind === 'ack');
  if (!field) return undefined;
  const text = a.lineText(field.line).slice(field.start, field.end);
  const digits = /(\d+)(?!.*\d)/.exec(text);
  if (!digits || Number(digits[1]) !== s.printedAck) return undefined;
  const start = field.start + digits.index;
  return {
    title: `Set ack to ISN+1 (${printedExpected})`,
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    diagnostics: [d],
    edit: {
      changes: {
        [a.uri]: [
          {
            range: {
              start: { line: field.line, character: start },
              end: { line: field.line, character: start + digits[1]!.length },
            },
            newText: String(printedExpected),
          },
        ],
      },
    },
  };
}
