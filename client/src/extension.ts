// Extension entry: starts the language client. Only the client knows `vscode`.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { registerCaptureSupport } from './capture';
import { registerDiagram } from './diagram';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

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
    documentSelector: [{ language: 'tcptrace' }],
  };
  client = new LanguageClient('tcptrace', 'TCP Trace Inspector', serverOptions, clientOptions);
  await client.start();
  registerDiagram(context, client);
  registerCaptureSupport(context, client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
