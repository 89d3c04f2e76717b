// The default editor of *.pcap, *.pcapng and *.cap (one click in the Explorer):
// it opens the capture's rendering as a text editor in its place and closes
// itself. When the file cannot be rendered (not a capture, unreadable), it
// stays and says why. It never reads the file: the language server does.
import * as vscode from 'vscode';
import { baseName, renderingUri } from './uris';

export const CAPTURE_EDITOR_VIEW_TYPE = 'tcptrace.capture';

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = baseName(document.uri);
    panel.webview.options = { enableScripts: false };
    panel.webview.html = page(name, `Rendering ${name} as tcpdump -n text…`);
    const preview = captureTab(document.uri)?.isPreview ?? false;
    try {
      await openRendering(document.uri, { viewColumn: panel.viewColumn, preview });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      panel.webview.html = page(
        name,
        `${name} cannot be shown as a TCP trace. ${message}`,
        'To see its bytes, open it with another editor: Open With… in its context menu in the Explorer.',
      );
      return;
    }
    panel.dispose();
  }
}

/** Opens (or reveals) the rendering of a capture file in a text editor. */
export async function openRendering(
  captureFile: vscode.Uri,
  options: vscode.TextDocumentShowOptions = {},
): Promise<vscode.TextEditor> {
  if (captureFile.scheme !== 'file') {
    throw new Error(
      `Only capture files on disk can be rendered; this one is on '${captureFile.scheme}:'. Copy it to a local folder first.`,
    );
  }
  const document = await vscode.workspace.openTextDocument(renderingUri(captureFile));
  return vscode.window.showTextDocument(document, options);
}

function captureTab(uri: vscode.Uri): vscode.Tab | undefined {
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (
        tab.input instanceof vscode.TabInputCustom &&
        tab.input.viewType === CAPTURE_EDITOR_VIEW_TYPE &&
        tab.input.uri.toString() === uri.toString()
      )
        return tab;
  return undefined;
}

/** A static page (no scripts, nothing loaded): the file name and what is happening. */
function page(title: string, ...paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none';">
<title>${escapeHtml(title)}</title>
</head>
<body>
<h3>${escapeHtml(title)}</h3>
${body}
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
