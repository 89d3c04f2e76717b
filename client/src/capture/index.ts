// Capture files (pcap, pcapng) in the editor: one click in the Explorer (the
// custom editor) or "Open Capture as Trace" shows the capture as a read-only
// `tcpdump -n` rendering with every language feature. The language server reads
// and renders the file; see documents.ts.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CaptureDocuments } from './documents';
import { CAPTURE_EDITOR_VIEW_TYPE, CaptureEditorProvider, openRendering } from './editor';
import { CAPTURE_SECTION } from './settings';
import { CAPTURE_EXTENSIONS, CAPTURE_SCHEME } from './uris';

export const OPEN_CAPTURE_COMMAND = 'tcptrace.openCapture';

export function registerCaptureSupport(context: vscode.ExtensionContext, client: LanguageClient): void {
  const documents = new CaptureDocuments(client);
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(CAPTURE_SCHEME, documents),
    vscode.window.registerCustomEditorProvider(CAPTURE_EDITOR_VIEW_TYPE, new CaptureEditorProvider(), {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(CAPTURE_SECTION)) documents.refreshAll();
    }),
    // Returns the rendering's URI (for scripts and tests); undefined when cancelled.
    vscode.commands.registerCommand(OPEN_CAPTURE_COMMAND, async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : (activeCapture() ?? (await pickCapture()));
      if (!target) return undefined;
      try {
        const editor = await openRendering(target, { preview: false });
        return editor.document.uri.toString();
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        return undefined;
      }
    }),
  );
}

/** The capture of the active custom editor tab (e.g. the error page of a file that failed to render). */
function activeCapture(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === CAPTURE_EDITOR_VIEW_TYPE
    ? input.uri
    : undefined;
}

async function pickCapture(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'Packet captures': [...CAPTURE_EXTENSIONS], 'All files': ['*'] },
    title: 'Open a capture as a TCP trace',
  });
  return picked?.[0];
}
