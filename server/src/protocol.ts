// Every custom message between the client and the server, declared once.
// The client imports this file; the webview imports only its types.
import { RequestType } from 'vscode-languageserver-protocol';

export namespace ServerInfoRequest {
  export const method = 'tcptrace/serverInfo';
  export const type = new RequestType<void, { version: string }, void>(method);
}

// --- sequence diagram (diagram) ----------------------------------------------

/** Ask for the diagram model of an open document. */
export interface DiagramParams {
  readonly uri: string;
  /** The version the client has; the server answers with the version it analysed. */
  readonly version?: number;
}

/** null when the document is not open (the panel then shows a message). */
export type DiagramResult = import('./analysis/diagram/model').DiagramModel | null;

export namespace DiagramRequest {
  export const method = 'tcptrace/diagram';
  export const type = new RequestType<DiagramParams, DiagramResult, void>(method);
}
