// Registers the sequence-diagram panel, its serializer and its commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DiagramPanelState, WebviewToExtension } from '../../../server/src/analysis/diagram/messages';
import { DiagramRequest, type DiagramParams, type DiagramResult } from '../../../server/src/protocol';
import { decodeDiagramModel } from '../../../server/src/analysis/diagram/wire';
import { mermaidMarkdown, mermaidOf, openUntitled, svgOf } from './exports';
import { DIAGRAM_VIEW_TYPE, DiagramPanel, type RenderedInfo } from './panel';

export const COMMANDS = {
  show: 'tcptrace.showDiagram',
  exportSvg: 'tcptrace.exportDiagramSvg',
  exportMermaid: 'tcptrace.exportDiagramMermaid',
  nextSegment: 'tcptrace.diagram.nextSegment',
  previousSegment: 'tcptrace.diagram.previousSegment',
  nextFinding: 'tcptrace.diagram.nextFinding',
  /** Test hooks (not contributed to the palette): feed a webview message, read the last render. */
  testReceive: 'tcptrace.diagram.test.receive',
  testRendered: 'tcptrace.diagram.test.rendered',
} as const;

const panels = new Map<string, DiagramPanel>();
let lastActive: DiagramPanel | undefined;

function isTrace(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document?.languageId === 'tcptrace';
}

interface ShowArgs {
  uri?: vscode.Uri;
  connection?: number;
  segment?: number;
}

/**
 * The showDiagram arguments: none (active editor), or a document (Uri from the
 * editor title menu, string from the code lens), then a connection id, then a
 * segment index (the language server's code action passes one to highlight).
 */
function parseShowArgs(args: readonly unknown[]): ShowArgs {
  const out: ShowArgs = {};
  for (const arg of args) {
    if (arg instanceof vscode.Uri) out.uri = arg;
    else if (typeof arg === 'string') out.uri = vscode.Uri.parse(arg);
    else if (typeof arg === 'number' && Number.isInteger(arg)) {
      if (out.connection === undefined) out.connection = arg;
      else out.segment = arg;
    }
  }
  return out;
}

function targetUri(explicit?: vscode.Uri): vscode.Uri | undefined {
  if (explicit) return explicit;
  const editor = vscode.window.activeTextEditor;
  if (isTrace(editor?.document)) return editor.document.uri;
  return lastActive?.documentUri;
}

export function registerDiagram(context: vscode.ExtensionContext, client: LanguageClient): void {
  const track = (panel: DiagramPanel): DiagramPanel => {
    panels.set(panel.documentUri.toString(), panel);
    lastActive = panel;
    panel.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) lastActive = panel;
    });
    panel.onDidDispose(() => {
      panels.delete(panel.documentUri.toString());
      if (lastActive === panel) lastActive = undefined;
    });
    return panel;
  };

  const open = async (uri: vscode.Uri, connection?: number, segment?: number): Promise<DiagramPanel> => {
    let panel = panels.get(uri.toString());
    if (panel) panel.panel.reveal(vscode.ViewColumn.Beside, true);
    else {
      // The server analyses only open documents.
      await vscode.workspace.openTextDocument(uri);
      const webviewPanel = vscode.window.createWebviewPanel(
        DIAGRAM_VIEW_TYPE,
        'Sequence diagram',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: false },
      );
      panel = track(new DiagramPanel(webviewPanel, uri, client, context.extensionUri, null));
    }
    if (connection !== undefined) panel.showConnection(connection);
    if (segment !== undefined) panel.showSegment(segment);
    return panel;
  };

  const panelFor = (uri?: vscode.Uri): DiagramPanel | undefined => {
    const target = targetUri(uri);
    return (target && panels.get(target.toString())) ?? lastActive;
  };

  /** The model of the document: the panel's, or a fresh one from the server. */
  const modelFor = async (uri: vscode.Uri) => {
    const fromPanel = panels.get(uri.toString())?.currentModel;
    if (fromPanel) return fromPanel;
    const document = await vscode.workspace.openTextDocument(uri);
    const params: DiagramParams = { uri: uri.toString(), version: document.version };
    const wire = await client.sendRequest<DiagramResult>(DiagramRequest.method, params);
    return wire ? decodeDiagramModel(wire) : null;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.show, async (...args: unknown[]) => {
      const { uri, connection, segment } = parseShowArgs(args);
      const target = targetUri(uri);
      if (!target) {
        void vscode.window.showInformationMessage(
          'Open a TCP trace (.tcptrace) to show its sequence diagram.',
        );
        return undefined;
      }
      const panel = await open(target, connection, segment);
      return panel.documentUri.toString();
    }),
    vscode.commands.registerCommand(COMMANDS.exportSvg, async (...args: unknown[]) => {
      const { uri, connection } = parseShowArgs(args);
      const target = targetUri(uri);
      const model = target && (await modelFor(target));
      if (!target || !model) {
        void vscode.window.showInformationMessage('Open a TCP trace to export its sequence diagram.');
        return undefined;
      }
      const svg = svgOf(model, panels.get(target.toString())?.currentState?.view ?? null, connection);
      await openUntitled('xml', svg);
      return svg;
    }),
    vscode.commands.registerCommand(COMMANDS.exportMermaid, async (...args: unknown[]) => {
      const { uri } = parseShowArgs(args);
      const target = targetUri(uri);
      const model = target && (await modelFor(target));
      if (!target || !model) {
        void vscode.window.showInformationMessage('Open a TCP trace to export its sequence diagram.');
        return undefined;
      }
      const editor = vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.toString() === target.toString(),
      );
      // Non-empty selections, as inclusive line ranges (a selection ending at column 0 stops on the line before).
      const selections = (editor?.selections ?? [])
        .filter((sel) => !sel.isEmpty)
        .map((sel) => ({
          start: sel.start.line,
          end: sel.end.line - (sel.end.character === 0 && sel.end.line > sel.start.line ? 1 : 0),
        }));
      const parts = mermaidOf(model, panels.get(target.toString())?.currentState?.view ?? null, selections);
      await openUntitled(
        'markdown',
        mermaidMarkdown(parts, `Sequence diagram of ${target.path.split('/').pop() ?? ''}`),
      );
      return parts;
    }),
    vscode.commands.registerCommand(COMMANDS.nextSegment, () => panelFor()?.navigate('nextSegment')),
    vscode.commands.registerCommand(COMMANDS.previousSegment, () => panelFor()?.navigate('previousSegment')),
    vscode.commands.registerCommand(COMMANDS.nextFinding, () => panelFor()?.navigate('nextFinding')),
    vscode.commands.registerCommand(COMMANDS.testReceive, (uri: string, message: WebviewToExtension) =>
      panels.get(uri)?.receive(message),
    ),
    vscode.commands.registerCommand(
      COMMANDS.testRendered,
      (uri: string): RenderedInfo | undefined => panels.get(uri)?.lastRendered,
    ),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const saved = isPanelState(state) ? state : null;
        if (!saved) {
          webviewPanel.dispose();
          return;
        }
        const uri = vscode.Uri.parse(saved.uri);
        try {
          await vscode.workspace.openTextDocument(uri);
        } catch {
          webviewPanel.dispose();
          return;
        }
        track(new DiagramPanel(webviewPanel, uri, client, context.extensionUri, saved));
      },
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
  );
}

function isPanelState(value: unknown): value is DiagramPanelState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DiagramPanelState>;
  return (
    typeof v.uri === 'string' &&
    typeof v.view === 'object' &&
    v.view !== null &&
    typeof v.scrollTop === 'number'
  );
}
