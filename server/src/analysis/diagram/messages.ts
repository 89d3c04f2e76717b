// Every message between the extension and the diagram webview, declared once:
// one discriminated union per direction. Pure types. The file lives beside the
// diagram model because both the client and the webview projects reference
// the server project (and nothing else); the webview imports it with
// `import type` only.
import type { DiagramView } from './model';
import type { DiagramWire } from './wire';

/** The state the webview persists with setState and the serializer restores. */
export interface DiagramPanelState {
  readonly uri: string;
  readonly view: DiagramView;
  readonly scrollTop: number;
  /** Selected arrow as a segment index (stable across edits that keep the trace). */
  readonly selectedSegment: number | null;
}

/** Read by the webview from the `data-initial` attribute of its root element. */
export interface DiagramInitialData {
  readonly state: DiagramPanelState | null;
}

export type ExtensionToWebview =
  | { readonly type: 'model'; readonly wire: DiagramWire }
  | { readonly type: 'highlight'; readonly line: number }
  | { readonly type: 'showConnection'; readonly connection: number | 'all' }
  | {
      readonly type: 'navigate';
      readonly to: 'nextSegment' | 'previousSegment' | 'nextFinding' | 'previousFinding';
    }
  | { readonly type: 'error'; readonly message: string };

export type WebviewToExtension =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly line: number; readonly endLine: number }
  | { readonly type: 'stateChanged'; readonly state: DiagramPanelState }
  /** Sent after a model is drawn (tests and benchmarks wait on it). */
  | { readonly type: 'rendered'; readonly version: number; readonly rows: number; readonly elements: number };
