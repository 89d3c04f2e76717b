// Shared helpers for the extension-host suite: real API calls, waiting on
// events with deadlines (never a fixed sleep).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'tcptrace-inspector.tcptrace-inspector';
export const LANGUAGE_ID = 'tcptrace';

/** The workspace folder the runner opened (a temp copy of test/e2e/workspace/). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e suite needs a workspace folder; the runner opens one');
  return folder.uri.fsPath;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

/** Writes a file into the workspace and returns its URI. */
export function writeWorkspaceFile(name: string, content: string | Uint8Array): vscode.Uri {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

/** Resolves with `check()`'s value once it is defined, polling until `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Resolves with the diagnostics of `uri` once `accept` is true for them,
 * checking now and on every `onDidChangeDiagnostics` event, until the deadline.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve(vscode.languages.getDiagnostics(uri));
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key) && accept(vscode.languages.getDiagnostics(uri))) finish();
    });
    const timer = setTimeout(() => {
      const seen = vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line}: ${d.message}`);
      finish(
        new Error(
          `timed out after ${timeoutMs} ms waiting for diagnostics of ${uri.path}; have: ${JSON.stringify(seen)}`,
        ),
      );
    }, timeoutMs);
    if (accept(vscode.languages.getDiagnostics(uri))) finish();
  });
}

/** Diagnostics our language server published (source `tcptrace`). */
export function ownDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tcptrace');
}

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** Opens a document and shows it in an editor, as a user would. */
export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

let barrierCount = 0;

/**
 * Waits until the language server has handled everything sent before this
 * call: the server processes notifications in order, so once the diagnostics
 * of a fresh document with an unreadable line arrive, every earlier document
 * has been analysed (and the server is alive).
 */
export async function serverBarrier(timeoutMs = 30_000): Promise<void> {
  barrierCount += 1;
  const content = `# barrier ${barrierCount}\n08:00:00.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq barrier${barrierCount}, win 1, length 0\n`;
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => d.source === 'tcptrace'), timeoutMs);
}

/**
 * Pids of language-server processes started by this extension host (Linux:
 * read from /proc; undefined elsewhere). A changed pid means the server crashed
 * and the client restarted it.
 */
export function languageServerPids(): number[] | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(path.join('dist', 'server.js'))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids.sort((a, b) => a - b);
}
