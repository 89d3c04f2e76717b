// The sequence diagram in a real VS Code: the command opens the panel beside
// the editor, the webview renders the server's model, an arrow "click" (the
// webview's reveal message, fed through the panel's test hook) selects the
// packet's line, and moving the cursor re-highlights without errors.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openInEditor, waitFor, workspaceFile } from './helpers';

interface RenderedInfo {
  readonly version: number;
  readonly rows: number;
  readonly elements: number;
}

function diagramTab(): vscode.Tab | undefined {
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('tcptrace.diagram'))
        return tab;
  return undefined;
}

describe('sequence diagram', () => {
  it('opens beside the editor, renders the trace and reveals a clicked arrow', async () => {
    const doc = await openInEditor(workspaceFile('ping-pong.tcptrace'));
    const uri = await vscode.commands.executeCommand<string>('tcptrace.showDiagram');
    assert.equal(uri, doc.uri.toString());
    const tab = await waitFor('the diagram panel', () => diagramTab(), 30_000);
    assert.notEqual(tab.group.viewColumn, vscode.window.activeTextEditor?.viewColumn);

    const info = await waitForRendered(uri, doc.version);
    assert.ok(info.rows > 0, `rows ${info.rows}`);
    assert.ok(info.elements <= 2000, `elements ${info.elements}`);

    // The SYN-ACK is the second packet: line 4 (0-based 3) of the file.
    await vscode.commands.executeCommand('tcptrace.diagram.test.receive', uri, {
      type: 'reveal',
      line: 3,
      endLine: 3,
    });
    const editor = await waitFor('the packet line to be selected', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === uri && e.selection.start.line === 3 ? e : undefined;
    });
    assert.equal(editor.selection.end.line, 3);
    assert.ok(editor.document.lineAt(3).text.includes('Flags [S.]'));
  });

  it('re-renders at the new version after an edit', async () => {
    const doc = await openInEditor(workspaceFile('ping-pong.tcptrace'));
    const uri = doc.uri.toString();
    await vscode.commands.executeCommand('tcptrace.showDiagram', uri);
    const before = await waitForRendered(uri, doc.version);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '# edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await waitForRendered(uri, doc.version);
    assert.ok(after.version > before.version);
    assert.equal(after.rows, before.rows);
    await vscode.commands.executeCommand('undo');
  });

  it('exports Mermaid text and SVG of the view', async () => {
    const doc = await openInEditor(workspaceFile('ping-pong.tcptrace'));
    const uri = doc.uri.toString();
    await vscode.commands.executeCommand('tcptrace.showDiagram', uri);
    await waitForRendered(uri, doc.version);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const parts = await vscode.commands.executeCommand<string[]>('tcptrace.exportDiagramMermaid', uri);
    assert.ok(parts && parts.length === 1 && parts[0]!.startsWith('sequenceDiagram\n'));
    assert.match(parts[0]!, /C0->>S0: SYN seq 0 len 0/);
    // A selection of the SYN and SYN-ACK lines (0-based 2 and 3) exports just those two.
    const again = await vscode.window.showTextDocument(doc, { preview: false });
    again.selection = new vscode.Selection(2, 0, 4, 0);
    const selected = await vscode.commands.executeCommand<string[]>('tcptrace.exportDiagramMermaid', uri);
    const messages = selected![0]!.split('\n').filter((l) => l.includes('->>'));
    assert.deepEqual(messages, ['    C0->>S0: SYN seq 0 len 0', '    S0->>C0: SYN ACK seq 0 ack 1 len 0']);
    const svg = await vscode.commands.executeCommand<string>('tcptrace.exportDiagramSvg', uri);
    assert.ok(svg?.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

async function waitForRendered(uri: string, version: number): Promise<RenderedInfo> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const info = await vscode.commands.executeCommand<RenderedInfo | undefined>(
      'tcptrace.diagram.test.rendered',
      uri,
    );
    if (info && info.version >= version) return info;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for the diagram of ${uri} at version ${version}; last ${JSON.stringify(info)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
