// VS Code does not synchronise documents over 50 MB to extensions: the editor
// shows the file but no language feature ever sees it. Detect that case and
// offer to analyse the file from disk (the server reads it).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  AnalyzeFileRequest,
  type AnalyzeFileParams,
  type CaptureRenderSettings,
  type TraceStatus,
} from '../../server/src/protocol';
import { captureSettings } from './capture/settings';
import { isTraceFileName } from './statusBar';

/** VS Code's limit for syncing a document to extensions. */
export const SYNC_LIMIT_BYTES = 50 * 1024 * 1024;

export const ANALYZE_FROM_DISK_COMMAND = 'tcptrace.analyzeFromDisk';

export function registerLargeFileSupport(context: vscode.ExtensionContext, client: LanguageClient): void {
  const offered = new Set<string>();
  const check = (): void => {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file') return;
    if (!isTraceFileName(input.uri.path) || offered.has(input.uri.toString())) return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === input.uri.toString())) return;
    void offer(client, input.uri, offered);
  };
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(check),
    vscode.window.tabGroups.onDidChangeTabGroups(check),
    // Returns the counts (for scripts and tests), undefined when cancelled or failed.
    vscode.commands.registerCommand(ANALYZE_FROM_DISK_COMMAND, async (uri?: vscode.Uri) => {
      const target = uri ?? (await pickTrace());
      // Captures are told by their magic number, whatever their name: always say how to render one.
      return target ? analyzeFromDisk(client, target, captureSettings(target)) : undefined;
    }),
  );
  check();
}

async function offer(client: LanguageClient, uri: vscode.Uri, offered: Set<string>): Promise<void> {
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    return;
  }
  // Small files the editor has not synced yet are just still opening.
  if (size <= SYNC_LIMIT_BYTES || offered.has(uri.toString())) return;
  offered.add(uri.toString());
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const mb = (size / (1024 * 1024)).toFixed(0);
  const choice = await vscode.window.showInformationMessage(
    `${name} is ${mb} MB. VS Code does not pass files over 50 MB to extensions, so inline states, hovers and diagnostics ` +
      'are not available in this editor. Analyse the file from disk? The findings appear in the Problems panel.',
    'Analyse from disk',
  );
  if (choice) await analyzeFromDisk(client, uri);
}

/** Analyses a trace or capture file from disk; `capture` says how to render a capture. */
export async function analyzeFromDisk(
  client: LanguageClient,
  uri: vscode.Uri,
  capture?: CaptureRenderSettings,
): Promise<TraceStatus | undefined> {
  const params: AnalyzeFileParams = { uri: uri.toString(), capture };
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Analysing ${name} from disk…` },
    () => client.sendRequest(AnalyzeFileRequest.type, params),
  );
  if (!result.ok) {
    void vscode.window.showErrorMessage(result.message);
    return undefined;
  }
  const s = result.status;
  void vscode.window.showInformationMessage(
    `Analysed ${name}: ${s.segments} segments in ${s.connections} connections: ${s.errors} errors, ${s.warnings} warnings, ${s.notes} notes (see the Problems panel).`,
  );
  return s;
}

async function pickTrace(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'TCP traces and captures': ['tcptrace', 'tcpdump', 'pcap', 'pcapng', 'cap'] },
    title: 'Analyse a trace file from disk',
  });
  return picked?.[0];
}
