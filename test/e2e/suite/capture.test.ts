// Capture files in a real VS Code, opened the way the Explorer opens them
// (`vscode.open`, which picks the default editor of *.pcap): the capture's
// tcpdump rendering replaces the custom editor, with the language
// server's diagnostics, inlay hints, outline and diagram; a damaged copy shows
// what comes before the damage and a located problem; the settings re-render.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixturesDir } from '../../support/paths';
import { diagnosticCode, waitFor, waitForDiagnostics, writeWorkspaceFile } from './helpers';

const SCHEME = 'tcptrace-capture';
const FIXTURE = path.join(fixturesDir, 'captures', 'loss-sack');
/** `TZ=UTC tcpdump -n -r capture.pcap`, committed with the fixture. */
const EXPECTED = fs.readFileSync(path.join(FIXTURE, 'tcpdump-n.tcptrace'), 'utf8');
const PACKETS = EXPECTED.split('\n').length - 1;

/** Opens a file as a double click in the Explorer does; resolves with the rendering's editor. */
async function openLikeExplorer(file: vscode.Uri): Promise<vscode.TextEditor> {
  await vscode.commands.executeCommand('vscode.open', file);
  const rendering = `${file.path}.tcptrace`;
  return waitFor(`the rendering of ${path.basename(file.path)} in the active editor`, () => {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.uri.scheme === SCHEME && editor.document.uri.path === rendering
      ? editor
      : undefined;
  });
}

/** The byte offset where the first `records` records of a pcap end (24-byte file header, 16-byte record headers). */
function recordEnd(pcap: Buffer, records: number): number {
  let at = 24;
  for (let i = 0; i < records; i++) at += 16 + pcap.readUInt32LE(at + 8);
  return at;
}

function customEditorTabs(file: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === file.toString());
}

/** Resolves once `check` accepts the document's text, re-checking on every change, until the deadline. */
function waitForText(doc: vscode.TextDocument, check: (text: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve();
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && check(doc.getText())) done();
    });
    const timer = setTimeout(
      () =>
        done(
          new Error(
            `timed out waiting for the text of ${doc.uri.toString()}; first line: ${doc.lineAt(0).text}`,
          ),
        ),
      30_000,
    );
    if (check(doc.getText())) done();
  });
}

describe('capture files', () => {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('tcptrace.capture');

  before(async () => {
    await config().update('timeZone', 'UTC', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('timeZone', undefined, vscode.ConfigurationTarget.Global);
    await config().update('showDate', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a .pcap from the Explorer as its read-only tcpdump -n rendering with every feature', async () => {
    const file = writeWorkspaceFile('loss-sack.pcap', fs.readFileSync(path.join(FIXTURE, 'capture.pcap')));
    const editor = await openLikeExplorer(file);
    const doc = editor.document;
    assert.equal(doc.languageId, 'tcptrace');
    assert.equal(doc.getText(), EXPECTED);
    assert.deepEqual(customEditorTabs(file), [], 'the custom editor made way for the rendering');

    const diagnostics = await waitForDiagnostics(doc.uri, (ds) =>
      ds.some((d) => diagnosticCode(d) === 'retransmission'),
    );
    assert.ok(diagnostics.every((d) => d.range.start.line < PACKETS));

    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      doc.uri,
      new vscode.Range(0, 0, doc.lineCount, 0),
    );
    assert.equal(hints.length, PACKETS, 'one state hint per packet');

    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      doc.uri,
    );
    assert.equal(symbols.length, 1, 'one connection in the outline');

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
    );
    assert.ok(lenses.length > 0, 'connection code lenses');

    const diagramOf = await vscode.commands.executeCommand<string>('tcptrace.showDiagram');
    assert.equal(diagramOf, doc.uri.toString(), 'the diagram follows the rendering');
  });

  it('shows what comes before the damage of a cut capture and locates it by byte offset', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURE, 'capture.pcap'));
    // The 11th record starts where the 10th ends.
    const at = recordEnd(bytes, 10);
    const file = writeWorkspaceFile('cut.pcap', bytes.subarray(0, at + 30));
    const editor = await openLikeExplorer(file);
    assert.equal(editor.document.getText(), EXPECTED.split('\n').slice(0, 10).join('\n') + '\n');
    const diagnostics = await waitForDiagnostics(editor.document.uri, (ds) =>
      ds.some((d) => diagnosticCode(d) === 'capture-damaged'),
    );
    const damage = diagnostics.find((d) => diagnosticCode(d) === 'capture-damaged')!;
    assert.equal(damage.range.start.line, 9, 'on the last packet shown');
    assert.equal(damage.severity, vscode.DiagnosticSeverity.Error);
    assert.match(
      damage.message,
      new RegExp(`cut\\.pcap is damaged at byte ${at.toLocaleString('en-US')}\\b`),
    );
  });

  it('follows the capture file as it grows (a capture still being written)', async () => {
    const whole = fs.readFileSync(path.join(FIXTURE, 'capture.pcap'));
    const file = writeWorkspaceFile('growing.pcap', whole.subarray(0, recordEnd(whole, 5)));
    const editor = await openLikeExplorer(file);
    assert.equal(editor.document.getText(), EXPECTED.split('\n').slice(0, 5).join('\n') + '\n');
    fs.writeFileSync(file.fsPath, whole);
    await waitForText(editor.document, (text) => text === EXPECTED);
  });

  it('renders open captures again when tcptrace.capture.showDate changes', async () => {
    const editor = await openLikeExplorer(
      writeWorkspaceFile('dated.pcap', fs.readFileSync(path.join(FIXTURE, 'capture.pcap'))),
    );
    assert.equal(editor.document.getText(), EXPECTED);
    await config().update('showDate', true, vscode.ConfigurationTarget.Global);
    // tcpdump -tttt: the capture's date before each time of day.
    await waitForText(editor.document, (text) => text.startsWith(`2026-11-24 ${EXPECTED.slice(0, 15)}`));
    assert.equal(editor.document.lineCount, PACKETS + 1);
  });
});
