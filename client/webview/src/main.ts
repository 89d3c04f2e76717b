// Diagram webview entry (browser). Reads its initial state from the root's
// data-initial attribute, injects the stylesheet with the page's nonce and
// starts the app; everything else arrives as messages.
import type { DiagramInitialData, ExtensionToWebview } from '../../../server/src/analysis/diagram/messages';
import { DiagramApp } from './app';
import { STYLES } from './styles';
import { vscodeApi } from './vscodeApi';

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const script = document.currentScript as HTMLScriptElement | null;
  const style = document.createElement('style');
  style.nonce = script?.nonce ?? '';
  style.textContent = STYLES;
  document.head.appendChild(style);

  const api = vscodeApi();
  let initial: DiagramInitialData = { state: null };
  try {
    initial = JSON.parse(root.dataset.initial ?? '{}') as DiagramInitialData;
  } catch {
    // A malformed attribute only loses the restored state.
  }
  const state = api.getState() ?? initial.state ?? null;
  const app = new DiagramApp(root, api, state?.uri ?? root.dataset.uri ?? '', state);
  window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => app.handle(event.data));
  api.postMessage({ type: 'ready' });
}

start();
