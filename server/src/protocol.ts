// Every custom message between the client and the server, declared once.
// The client imports this file; the webview imports only its types.
import { RequestType } from 'vscode-languageserver-protocol';

export namespace ServerInfoRequest {
  export const method = 'tcptrace/serverInfo';
  export const type = new RequestType<void, { version: string }, void>(method);
}
