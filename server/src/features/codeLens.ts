// Code lenses above each connection's first line: a summary, "Show diagram"
// and "Select connection".
import type { CodeLens } from 'vscode-languageserver/node';
import type { Connection, Endpoint } from '../analysis';
import { linesRange } from '../convert';
import type { DocumentAnalysis } from '../documents/analysisCache';

export const SHOW_DIAGRAM_COMMAND = 'tcptrace.showDiagram';
export const SELECT_CONNECTION_COMMAND = 'tcptrace.selectConnection';

export function codeLensesFor(a: DocumentAnalysis): CodeLens[] {
  if (!a.settings.codeLens.enable) return [];
  const lenses: CodeLens[] = [];
  for (const c of a.result.connections) {
    const range = linesRange(c.firstLine, c.firstLine, a.lineText);
    lenses.push({ range, command: { title: connectionSummary(c), command: '' } });
    lenses.push({
      range,
      command: { title: 'Show diagram', command: SHOW_DIAGRAM_COMMAND, arguments: [a.uri, c.id] },
    });
    lenses.push({
      range,
      command: {
        title: 'Select connection',
        command: SELECT_CONNECTION_COMMAND,
        arguments: [a.uri, c.firstLine],
      },
    });
  }
  return lenses;
}

/** `10.0.0.1:5555 ⇄ 10.0.0.2:80 · SF · 14 segments · handshake 0.3 ms` */
export function connectionSummary(c: Connection): string {
  const parts = [
    `${endpointText(c.client)} ⇄ ${endpointText(c.server)}`,
    c.zeekState,
    plural(c.segments.length, 'segment'),
  ];
  if (c.handshakeRtt !== null) parts.push(`handshake ${formatMs(c.handshakeRtt)}`);
  return parts.join(' · ');
}

export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatMs(seconds: number): string {
  const ms = seconds * 1000;
  const digits = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 1 : 3;
  return `${Number(ms.toFixed(digits))} ms`;
}
