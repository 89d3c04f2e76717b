// Extension entry: starts the language client. Only the client knows `vscode`.
// Cleanups that live as long as the extension go to context.subscriptions.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCaptureSupport } from './capture';
import { registerSelectConnection } from './commands';
import { registerDiagram } from './diagram';
import { registerLargeFileSupport } from './largeFiles';
import { TraceStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Every scheme: files, untitled documents and the read-only `tcptrace-capture:` renderings of captures.
    documentSelector: [{ language: 'tcptrace' }],
  };
  // The id `tcptrace` makes the client honour the `tcptrace.trace.server` setting.
  client = new LanguageClient('tcptrace', 'TCP Trace Inspector', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(new TraceStatusBar(client));
  registerSelectConnection(context);
  registerLargeFileSupport(context, client);
  registerDiagram(context, client);
  registerCaptureSupport(context, client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
