// Every custom message between the client and the server, declared once.
// The client imports this file; the webview imports only its types.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export namespace ServerInfoRequest {
  export const method = 'tcptrace/serverInfo';
  export const type = new RequestType<void, { version: string }, void>(method);
}

// --- language server (lsp) ---------------------------------------------------

/** Counts for the status bar, sent after each analysis of a document. */
export interface TraceStatus {
  readonly uri: string;
  readonly version: number;
  readonly connections: number;
  readonly segments: number;
  readonly errors: number;
  readonly warnings: number;
  /** Information and hint findings. */
  readonly notes: number;
  /** Analysed from disk because the editor does not sync files this large. */
  readonly fromDisk: boolean;
}

export namespace TraceStatusNotification {
  export const method = 'tcptrace/status';
  export const type = new NotificationType<TraceStatus>(method);
}

/** Analyse a trace file from disk (files over the editor's 50 MB sync limit). */
export interface AnalyzeFileParams {
  readonly uri: string;
}

export type AnalyzeFileResult =
  { readonly ok: true; readonly status: TraceStatus } | { readonly ok: false; readonly message: string };

export namespace AnalyzeFileRequest {
  export const method = 'tcptrace/analyzeFile';
  export const type = new RequestType<AnalyzeFileParams, AnalyzeFileResult, void>(method);
}

// --- sequence diagram (diagram) ----------------------------------------------

/** Ask for the diagram model of an open document. */
export interface DiagramParams {
  readonly uri: string;
  /** The version the client has; the server answers with the version it analysed. */
  readonly version?: number;
}

/** The model in its columnar wire form; null when the document is not open. */
export type DiagramResult = import('./analysis/diagram/wire').DiagramWire | null;

export namespace DiagramRequest {
  export const method = 'tcptrace/diagram';
  export const type = new RequestType<DiagramParams, DiagramResult, void>(method);
}
