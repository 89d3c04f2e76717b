// The frame, end to end in a real VS Code: activation, language ids,
// diagnostics from the language server, and bad input that must not crash it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  LANGUAGE_ID,
  diagnosticCode,
  languageServerPids,
  openInEditor,
  ownDiagnostics,
  serverBarrier,
  waitFor,
  waitForDiagnostics,
  workspaceFile,
  writeWorkspaceFile,
} from './helpers';

// test/e2e/workspace/bad-line.tcptrace: line 5 (0-based 4) is a mangled packet.
const BAD_LINE = 4;

function parseErrorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return ownDiagnostics(uri).filter((d) => diagnosticCode(d) === 'parse-error');
}

describe('extension', () => {
  it('activates when a .tcptrace file is opened and sets the tcptrace language', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const doc = await openInEditor(workspaceFile('ping-pong.tcptrace'));
    assert.equal(doc.languageId, LANGUAGE_ID);
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
  });

  it('gives .tcpdump files the tcptrace language too', async () => {
    const doc = await openInEditor(workspaceFile('ping-pong.tcpdump'));
    assert.equal(doc.languageId, LANGUAGE_ID);
  });

  it('shows a parse error from the language server on the unreadable line', async () => {
    const uri = workspaceFile('bad-line.tcptrace');
    await openInEditor(uri);
    await waitForDiagnostics(uri, () => parseErrorsOf(uri).length > 0);
    const errors = parseErrorsOf(uri);
    assert.deepEqual(
      errors.map((d) => d.range.start.line),
      [BAD_LINE],
      'exactly the mangled line is reported as unreadable',
    );
    assert.equal(errors[0].severity, vscode.DiagnosticSeverity.Error);
    assert.ok(errors[0].message.length > 0);
  });

  it('reports no parse error on a real tcpdump trace', async () => {
    const uris = [workspaceFile('ping-pong.tcptrace'), workspaceFile('ping-pong.tcpdump')];
    for (const uri of uris) await openInEditor(uri);
    await serverBarrier();
    for (const uri of uris) assert.deepEqual(parseErrorsOf(uri), [], `parse errors in ${uri.path}`);
  });

  it('updates diagnostics as the user edits: fixing the line clears its error', async () => {
    const uri = writeWorkspaceFile(
      'edit-me.tcptrace',
      fs.readFileSync(workspaceFile('bad-line.tcptrace').fsPath, 'utf8'),
    );
    const doc = await openInEditor(uri);
    await waitForDiagnostics(uri, () => parseErrorsOf(uri).length > 0);
    const fixed = fs.readFileSync(workspaceFile('ping-pong.tcptrace').fsPath, 'utf8').split('\n')[
      BAD_LINE + 1
    ];
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(BAD_LINE).range, fixed);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(uri, () => parseErrorsOf(uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('registers every command its manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const manifest = extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      'contributed commands without a handler',
    );
  });

  it('contributes its settings with their defaults', () => {
    const inspected = vscode.workspace.getConfiguration('tcptrace').inspect<string>('trace.server');
    assert.equal(inspected?.defaultValue, 'off');
  });

  it('comments a line with # (language configuration)', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: LANGUAGE_ID,
      content:
        '08:13:18.482184 IP 127.0.0.1.54498 > 127.0.0.1.47123: Flags [S], seq 1, win 65495, length 0\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.match(doc.lineAt(0).text, /^# 08:13:18\.482184 IP/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  describe('bad input never crashes the language server', () => {
    let serverPidsBefore: number[] | undefined;

    before(async () => {
      // Make sure the server is up and note which process it is.
      await serverBarrier();
      serverPidsBefore = languageServerPids();
      if (serverPidsBefore !== undefined)
        assert.equal(
          serverPidsBefore.length,
          1,
          'exactly one language server runs under this extension host',
        );
    });

    afterEach(async () => {
      // Diagnostics for a following normal file still arrive...
      await serverBarrier();
      // ...from the same server process: it was not restarted after a crash.
      if (serverPidsBefore !== undefined) assert.deepEqual(languageServerPids(), serverPidsBefore);
    });

    it('answers on an empty file', async () => {
      const uri = writeWorkspaceFile('empty.tcptrace', '');
      const doc = await openInEditor(uri);
      assert.equal(doc.languageId, LANGUAGE_ID);
      await serverBarrier();
      assert.deepEqual(parseErrorsOf(uri), []);
    });

    it('answers on a binary file (a pcap saved as .tcptrace)', async () => {
      // VS Code refuses to open files with NUL bytes as text, so the binary
      // content reaches the server the way it can: as an unsaved document.
      const bytes = fs.readFileSync(workspaceFile('ping-pong.pcap').fsPath);
      const doc = await vscode.workspace.openTextDocument({
        language: LANGUAGE_ID,
        content: bytes.toString('latin1'),
      });
      await vscode.window.showTextDocument(doc);
      await serverBarrier();
      for (const d of ownDiagnostics(doc.uri)) assert.ok(d.range.start.line < doc.lineCount);
    });

    it('answers on a file with a 1 MB line', async () => {
      const packet =
        '08:13:18.482184 IP 127.0.0.1.54498 > 127.0.0.1.47123: Flags [S], seq 501287960, win 65495, options [';
      const line = packet + 'nop,'.repeat((1024 * 1024 - packet.length) / 4) + 'eol], length 0';
      const uri = writeWorkspaceFile('long-line.tcptrace', `${line}\n${line.slice(0, 4096)}\n`);
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.ok(doc.lineAt(0).text.length >= 1024 * 1024);
      await vscode.window.showTextDocument(doc);
      await serverBarrier(45_000);
      for (const d of ownDiagnostics(uri)) assert.ok(d.range.start.line < doc.lineCount);
    });
  });
});
