// The read-only `tcptrace-capture:` documents: their text is the language
// server's rendering of the capture file on disk. Damage, a rendering cut to
// fit the editor and captures without TCP become diagnostics on the rendering
// (and a notification once); a cut capture is also analysed whole from disk.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  RenderCaptureRequest,
  type RenderCaptureParams,
  type RenderCaptureResult,
  type RenderedCapture,
} from '../../../server/src/protocol';
import { analyzeFromDisk, SYNC_LIMIT_BYTES } from '../largeFiles';
import { captureNotices, type CaptureNotice } from './notices';
import { captureSettings } from './settings';
import { baseName, CAPTURE_SCHEME, captureFileOf } from './uris';

/**
 * How much of a rendering over the sync limit to show: VS Code's large-file limit (20 MB), above which it
 * stops colouring a document. The rest is analysed from disk anyway, and the editor opens much sooner
 * (1M-packet capture, code-server on a loaded machine: 61 s to show the first 50 MB).
 */
const CUT_CHARS = 20 * 1024 * 1024;

const SEVERITY: Record<CaptureNotice['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export class CaptureDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('tcptrace-capture');
  /** Per rendering: the notifications already shown (once per session, not on every re-render). */
  private readonly notified = new Map<string, Set<string>>();
  /** Capture files (cut renderings) already analysed whole from disk. */
  private readonly analysedWhole = new Set<string>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === CAPTURE_SCHEME) this.forget(doc.uri);
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const file = captureFileOf(uri);
    if (!file) throw new Error(`${uri.toString()} is not the rendering of a capture file.`);
    const settings = captureSettings(file);
    const params: RenderCaptureParams = {
      uri: file.toString(),
      ...settings,
      maxChars: SYNC_LIMIT_BYTES,
      cutChars: CUT_CHARS,
    };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Rendering ${baseName(file)}` },
      () => this.client.sendRequest<RenderCaptureResult>(RenderCaptureRequest.method, params, token),
    );
    if (!result.ok) {
      this.diagnostics.delete(uri);
      throw new Error(result.message);
    }
    this.watch(uri, file);
    this.report(uri, file, result.capture);
    if (result.capture.truncated && !this.analysedWhole.has(file.toString())) {
      this.analysedWhole.add(file.toString());
      void analyzeFromDisk(this.client, file, settings);
    }
    return result.capture.text;
  }

  /** Renders again (settings changed); VS Code asks for the new content of open documents only. */
  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments)
      if (doc.uri.scheme === CAPTURE_SCHEME) this.changed.fire(doc.uri);
  }

  private report(uri: vscode.Uri, file: vscode.Uri, capture: RenderedCapture): void {
    const notices = captureNotices(baseName(file), capture);
    this.diagnostics.set(
      uri,
      notices.map((n) => {
        const d = new vscode.Diagnostic(
          new vscode.Range(n.line, 0, n.line, Number.MAX_SAFE_INTEGER),
          n.message,
          SEVERITY[n.severity],
        );
        d.source = 'tcptrace';
        d.code = n.code;
        return d;
      }),
    );
    let said = this.notified.get(uri.toString());
    if (!said) this.notified.set(uri.toString(), (said = new Set()));
    for (const n of notices) {
      if (!n.notify || said.has(n.message)) continue;
      said.add(n.message);
      if (n.severity === 'information') void vscode.window.showInformationMessage(n.message);
      else void vscode.window.showWarningMessage(n.message);
    }
  }

  /** A capture still being written (tcpdump -w) or replaced: render it again. */
  private watch(uri: vscode.Uri, file: vscode.Uri): void {
    const key = uri.toString();
    if (this.watchers.has(key)) return;
    const folder = file.with({ path: file.path.slice(0, file.path.lastIndexOf('/')) || '/' });
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, baseName(file)),
      false,
      false,
      true,
    );
    const again = (): void => {
      this.analysedWhole.delete(file.toString());
      this.changed.fire(uri);
    };
    watcher.onDidChange(again);
    watcher.onDidCreate(again);
    this.watchers.set(key, watcher);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.diagnostics.delete(uri);
    this.notified.delete(key);
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
