// Language features end to end in a real VS Code, on the real loopback capture
// test/e2e/workspace/ping-pong.tcptrace (SYN, SYN-ACK, ACK, ping, ack, pong,
// ack, FIN from the server, FIN from the client, last ACK; lines 2–11).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  diagnosticCode,
  openInEditor,
  writeWorkspaceFile,
  waitFor,
  waitForDiagnostics,
  workspaceFile,
} from './helpers';
import type { TraceStatus } from '../../../server/src/protocol';

const SYN_LINE = 2;
const LAST_LINE = 11;

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function hintLabel(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

/** Polls a provider command until it returns something acceptable (the first analysis may still be running). */
function until<T>(what: string, run: () => Thenable<T>, accept: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  let pending = false;
  return waitFor(what, () => {
    if (last !== undefined && accept(last)) return last;
    if (!pending) {
      pending = true;
      void Promise.resolve(run()).then((v) => {
        last = v;
        pending = false;
      });
    }
    return undefined;
  });
}

describe('language features', () => {
  let doc: vscode.TextDocument;
  before(async () => {
    doc = await openInEditor(workspaceFile('ping-pong.tcptrace'));
  });

  it('hover on the SYN explains the sender state with its RFC 9293 name', async () => {
    const hovers = await until(
      'a hover on the SYN line',
      () =>
        vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          new vscode.Position(SYN_LINE, 3),
        ),
      (h) => h.length > 0,
    );
    const text = hoverText(hovers);
    assert.match(text, /SYN-SENT/);
    assert.match(text, /RFC 9293/);
  });

  it('hover on a flag letter says what the flag is', async () => {
    const column = doc.lineAt(SYN_LINE).text.indexOf('[S]') + 1;
    const hovers = await until(
      'a hover on the S flag',
      () =>
        vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          new vscode.Position(SYN_LINE, column),
        ),
      (h) => h.length > 0,
    );
    assert.match(hoverText(hovers), /SYN.*synchronize/s);
  });

  it('inlay hints show the states at the end of each segment line', async () => {
    const range = new vscode.Range(0, 0, LAST_LINE + 1, 0);
    const hints = await until(
      'inlay hints',
      () =>
        vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range),
      (h) => h.length === 10,
    );
    const syn = hints.find((h) => h.position.line === SYN_LINE);
    assert.ok(syn, 'no hint on the SYN line');
    assert.match(hintLabel(syn), /^SYN_SENT → /);
    assert.equal(syn.position.character, doc.lineAt(SYN_LINE).text.length);
  });

  it('a code lens summarises the connection above its first line', async () => {
    const lenses = await until(
      'code lenses',
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri),
      (l) => l.length > 0,
    );
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.startsWith('127.0.0.1:54498 ⇄ 127.0.0.1:47123') && t.includes('10 segments')),
      JSON.stringify(titles),
    );
    assert.ok(titles.includes('Show diagram'));
    assert.ok(titles.includes('Select connection'));
    assert.ok(lenses.every((l) => l.range.start.line === SYN_LINE));
  });

  it('the outline has the connection with handshake, data transfer and teardown', async () => {
    const symbols = await until(
      'document symbols',
      () =>
        vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
          'vscode.executeDocumentSymbolProvider',
          doc.uri,
        ),
      (s) => s.length > 0,
    );
    assert.equal(symbols.length, 1);
    assert.match(symbols[0]!.name, /127\.0\.0\.1:54498/);
    assert.deepEqual(
      symbols[0]!.children.map((c) => c.name),
      ['Handshake', 'Data transfer', 'Teardown'],
    );
    const segments = symbols[0]!.children.reduce((n, c) => n + c.children.length, 0);
    assert.equal(segments, 10);
  });

  it('diagnostics link to the documentation of their code', async () => {
    // ping-pong with the ack number of packet 5 replaced by a letter.
    const text = doc.getText().replace('Flags [.], ack 6, win 64', 'Flags [.], ack x, win 64');
    const uri = writeWorkspaceFile('lsp-parse-error.tcptrace', text);
    await openInEditor(uri);
    const diagnostics = await waitForDiagnostics(uri, (ds) =>
      ds.some((d) => diagnosticCode(d) === 'parse-error'),
    );
    const d = diagnostics.find((x) => diagnosticCode(x) === 'parse-error')!;
    assert.equal(d.source, 'tcptrace');
    assert.equal(d.range.start.line, 6);
    assert.ok(typeof d.code === 'object', 'the code carries a documentation link');
    assert.match(d.code.target.toString(), /docs\/diagnostics\.md#parse-error$/);
  });
});

describe('analyse from disk', () => {
  it('analyses a trace the editor has not opened and shows its findings in the Problems panel', async () => {
    // What the large-file path does (files over 50 MB are never synced to extensions), on a small file.
    const text = fs
      .readFileSync(workspaceFile('ping-pong.tcptrace').fsPath, 'utf8')
      .replace('ack 1, win 64', 'ack x, win 64');
    const uri = writeWorkspaceFile('lsp-from-disk.tcptrace', text);
    const status = await vscode.commands.executeCommand<TraceStatus | undefined>(
      'tcptrace.analyzeFromDisk',
      uri,
    );
    assert.ok(status, 'no status returned');
    assert.equal(status.fromDisk, true);
    assert.equal(status.errors, 1);
    const diagnostics = await waitForDiagnostics(uri, (ds) =>
      ds.some((d) => diagnosticCode(d) === 'parse-error'),
    );
    // The line as written (earlier tests may have edited and saved the workspace's ping-pong.tcptrace).
    const badLine = text.split('\n').findIndex((l) => l.includes('ack x, win 64'));
    assert.ok(badLine > 0, 'the garbled line is in the file');
    assert.equal(diagnostics.find((d) => diagnosticCode(d) === 'parse-error')?.range.start.line, badLine);
  });
});
