// Registers the sequence-diagram panel and its commands (filled in by the diagram work).
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerDiagram(_context: vscode.ExtensionContext, _client: LanguageClient): void {
  // The diagram panel, its serializer and its commands are registered here.
}
