// Editor commands that belong to the language features (small factories).
import * as vscode from 'vscode';

export const SELECT_CONNECTION_COMMAND = 'tcptrace.selectConnection';

/**
 * Selects every segment of the connection that has a segment on `line`, using
 * the server's references (all segments of the connection).
 */
export function registerSelectConnection(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SELECT_CONNECTION_COMMAND, async (uri?: string, line?: number) => {
      const editor = vscode.window.activeTextEditor;
      const target = uri ? vscode.Uri.parse(uri) : editor?.document.uri;
      const at = line ?? editor?.selection.active.line;
      if (!target || at === undefined) return;
      const locations = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeReferenceProvider',
        target,
        new vscode.Position(at, 0),
      );
      if (!locations || locations.length === 0) return;
      const shown = await vscode.window.showTextDocument(target);
      shown.selections = locations.map((l) => new vscode.Selection(l.range.start, l.range.end));
      shown.revealRange(locations[0]!.range);
    }),
  );
}
