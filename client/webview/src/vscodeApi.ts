// The typed handle on the webview host: messages out, state in and out.
import type { DiagramPanelState, WebviewToExtension } from '../../../server/src/analysis/diagram/messages';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): DiagramPanelState | undefined;
  setState(state: DiagramPanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type { VsCodeApi };

let api: VsCodeApi | undefined;

/** acquireVsCodeApi may be called only once per page. */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
