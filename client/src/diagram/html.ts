// The diagram page: a strict Content-Security-Policy with a fresh nonce per
// render, the bundle loaded by nonce, the initial state in a data- attribute
// (HTML-escaped; never spliced into script). No `vscode` import, so tests can
// serve the very same page in Chromium.
import { randomBytes } from 'node:crypto';
import type { DiagramInitialData } from '../../../server/src/analysis/diagram/messages';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function escapeHtmlAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface DiagramPageOptions {
  readonly scriptUri: string;
  readonly cspSource: string;
  readonly nonce: string;
  readonly initial: DiagramInitialData;
  readonly uri: string;
}

export function diagramHtml(o: DiagramPageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtmlAttribute(contentSecurityPolicy(o.nonce, o.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Sequence diagram</title>
</head>
<body>
<div id="app" data-uri="${escapeHtmlAttribute(o.uri)}" data-initial="${escapeHtmlAttribute(JSON.stringify(o.initial))}"></div>
<script nonce="${escapeHtmlAttribute(o.nonce)}" src="${escapeHtmlAttribute(o.scriptUri)}"></script>
</body>
</html>
`;
}
