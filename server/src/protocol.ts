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
  /** How to render the file when it is a capture (pcap/pcapng) rather than text. */
  readonly capture?: CaptureRenderSettings;
}

export type AnalyzeFileResult =
  { readonly ok: true; readonly status: TraceStatus } | { readonly ok: false; readonly message: string };

export namespace AnalyzeFileRequest {
  export const method = 'tcptrace/analyzeFile';
  export const type = new RequestType<AnalyzeFileParams, AnalyzeFileResult, void>(method);
}

// --- capture files (capture) --------------------------------------------------

/** The user's capture settings, sent with each request (so a change applies to the very next rendering). */
export interface CaptureRenderSettings {
  /** IANA time zone (e.g. `UTC`, `Europe/Berlin`); undefined = the server's local zone, as tcpdump without `TZ`. */
  readonly timeZone?: string;
  /** tcpdump `-tttt`: the date before the time of day. */
  readonly withDate?: boolean;
}

/** Render a capture file on disk as `tcpdump -n` text. The server reads the file; the client never loads it. */
export interface RenderCaptureParams extends CaptureRenderSettings {
  /** A `file:` URI. */
  readonly uri: string;
  /** Longest text to answer with whole (UTF-16 units); a longer rendering is cut after a whole line. */
  readonly maxChars?: number;
  /** How much of a rendering longer than `maxChars` to answer with (default: `maxChars`). */
  readonly cutChars?: number;
}

/** A problem of the capture file (see analysis/pcap/types.ts), as sent to the client. */
export interface CaptureProblemInfo {
  readonly offset: number;
  readonly packet?: number;
  /** Lines of the rendering before the problem. */
  readonly line?: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface RenderedCapture {
  /** The first `shownLines` lines of the rendering, each '\n'-terminated (all of it unless `truncated`). */
  readonly text: string;
  readonly container: 'pcap' | 'pcapng';
  /** Records read, of any protocol. */
  readonly packets: number;
  /** TCP packets rendered (lines of the whole rendering). */
  readonly tcpPackets: number;
  /** Records not rendered (not TCP, fragments, unsupported link types). */
  readonly skipped: number;
  readonly problems: readonly CaptureProblemInfo[];
  /** The whole rendering did not fit in `maxChars`. */
  readonly truncated: boolean;
  readonly shownLines: number;
  /** Length of the whole rendering (UTF-16 units = bytes: it is ASCII). */
  readonly totalChars: number;
  /** Size of the capture file in bytes. */
  readonly fileBytes: number;
}

export type RenderCaptureResult =
  { readonly ok: true; readonly capture: RenderedCapture } | { readonly ok: false; readonly message: string };

export namespace RenderCaptureRequest {
  export const method = 'tcptrace/renderCapture';
  export const type = new RequestType<RenderCaptureParams, RenderCaptureResult, void>(method);
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
