// Status bar item: connections and findings of the active trace, from the
// server's tcptrace/status notification. A click opens the Problems panel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TraceStatusNotification, type TraceStatus } from '../../server/src/protocol';

export class TraceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'tcptrace.status',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly statuses = new Map<string, TraceStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(client: LanguageClient) {
    this.item.name = 'TCP Trace Inspector';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      client.onNotification(TraceStatusNotification.type, (status) => {
        this.statuses.set(status.uri, status);
        this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const status = this.statuses.get(doc.uri.toString());
        if (status && !status.fromDisk) this.statuses.delete(doc.uri.toString());
      }),
    );
    this.update();
  }

  /** The status shown now, for tests and commands. */
  current(): TraceStatus | undefined {
    const uri = activeTraceUri();
    return uri ? this.statuses.get(uri.toString()) : undefined;
  }

  private update(): void {
    const status = this.current();
    if (!status) {
      this.item.hide();
      return;
    }
    const connections = `${status.connections} connection${status.connections === 1 ? '' : 's'}`;
    this.item.text = `$(pulse) ${connections}  $(error) ${status.errors}  $(warning) ${status.warnings}  $(info) ${status.notes}`;
    this.item.tooltip = new vscode.MarkdownString(
      [
        `**TCP trace**${status.fromDisk ? ' (analysed from disk)' : ''}`,
        `${connections}, ${status.segments} segments`,
        `${status.errors} errors, ${status.warnings} warnings, ${status.notes} notes`,
        'Click to open the Problems panel.',
      ].join('\n\n'),
    );
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

/** The trace shown in the active editor tab (also a large file the editor does not sync). */
export function activeTraceUri(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'tcptrace') return editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText && isTraceFileName(input.uri.path)) return input.uri;
  return undefined;
}

export function isTraceFileName(path: string): boolean {
  return /\.(tcptrace|tcpdump)$/i.test(path);
}
