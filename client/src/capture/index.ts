// Opens pcap/pcapng captures as read-only tcpdump-style trace documents (filled in by the capture work).
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerCaptureSupport(_context: vscode.ExtensionContext, _client: LanguageClient): void {
  // The capture document provider, custom editor and commands are registered here.
}
