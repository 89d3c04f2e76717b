// One diagram panel, following one trace document: asks the server for the
// model at the document's version (debounced on edits, stale answers dropped),
// relays the editor's cursor to the webview and the webview's clicks to the
// editor.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DiagramRequest, type DiagramParams, type DiagramResult } from '../../../server/src/protocol';
import type { DiagramModel } from '../../../server/src/analysis/diagram/model';
import { decodeDiagramModel, type DiagramWire } from '../../../server/src/analysis/diagram/wire';
import type {
  DiagramPanelState,
  ExtensionToWebview,
  WebviewToExtension,
} from '../../../server/src/analysis/diagram/messages';
import { diagramHtml, newNonce } from './html';

export const DIAGRAM_VIEW_TYPE = 'tcptrace.diagram';
const REFRESH_DEBOUNCE_MS = 250;

export interface RenderedInfo {
  readonly version: number;
  readonly rows: number;
  readonly elements: number;
}

export class DiagramPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private wire: DiagramWire | null = null;
  /** Decoded on first use (exports, connection ids), not on every refresh. */
  private decoded: DiagramModel | null = null;
  private state: DiagramPanelState | null;
  private requestSeq = 0;
  private inFlight: vscode.CancellationTokenSource | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private readonly queue: ExtensionToWebview[] = [];
  /** A connection id / segment index asked for before the model arrived. */
  private pendingConnectionId: number | undefined;
  private pendingSegment: number | undefined;
  private readonly rendered = new vscode.EventEmitter<RenderedInfo>();
  readonly onDidRender = this.rendered.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  lastRendered: RenderedInfo | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly documentUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly extensionUri: vscode.Uri,
    restored: DiagramPanelState | null,
  ) {
    this.state = restored;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
    panel.title = `Diagram: ${basename(documentUri)}`;
    this.render();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: WebviewToExtension) => this.receive(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === documentUri.toString() && e.contentChanges.length > 0)
          this.scheduleRefresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() !== documentUri.toString()) return;
        this.post({ type: 'highlight', line: e.selections[0]!.active.line });
      }),
    );
  }

  /** Sets the page with a fresh nonce; the webview restores its state from setState/data-initial. */
  private render(): void {
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    this.ready = false;
    webview.html = diagramHtml({
      scriptUri: script.toString(),
      cspSource: webview.cspSource,
      nonce: newNonce(),
      initial: { state: this.state },
      uri: this.documentUri.toString(),
    });
  }

  get currentModel(): DiagramModel | null {
    if (!this.decoded && this.wire) this.decoded = decodeDiagramModel(this.wire);
    return this.decoded;
  }

  get currentState(): DiagramPanelState | null {
    return this.state;
  }

  /** Shows the connection with the analysis id `id` (a code lens passes it). */
  showConnection(id: number | 'all'): void {
    if (id === 'all') {
      this.post({ type: 'showConnection', connection: 'all' });
      return;
    }
    const index = this.wire?.connections.findIndex((c) => c.id === id) ?? -1;
    if (index >= 0) this.post({ type: 'showConnection', connection: index });
    else this.pendingConnectionId = id;
  }

  /** Highlights the arrow of segment `index` (as the editor cursor would). */
  showSegment(index: number): void {
    const model = this.currentModel;
    if (!model) {
      this.pendingSegment = index;
      return;
    }
    const arrow = model.arrows.find((a) => a.segment === index);
    if (arrow) this.post({ type: 'highlight', line: arrow.line });
  }

  navigate(to: Extract<ExtensionToWebview, { type: 'navigate' }>['to']): void {
    this.post({ type: 'navigate', to });
  }

  /** Handles a message as if the webview had sent it (the webview and the e2e test hook use this). */
  receive(message: WebviewToExtension): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const m of this.queue.splice(0)) void this.panel.webview.postMessage(m);
        if (this.wire) void this.panel.webview.postMessage({ type: 'model', wire: this.wire });
        void this.refresh();
        break;
      case 'reveal':
        void this.reveal(message.line, message.endLine);
        break;
      case 'stateChanged':
        this.state = message.state;
        break;
      case 'rendered':
        this.lastRendered = { version: message.version, rows: message.rows, elements: message.elements };
        this.rendered.fire(this.lastRendered);
        break;
    }
  }

  private post(message: ExtensionToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Asks the server for the model at the document's current version. */
  async refresh(): Promise<void> {
    this.inFlight?.cancel();
    const source = (this.inFlight = new vscode.CancellationTokenSource());
    const seq = ++this.requestSeq;
    const document = vscode.workspace.textDocuments.find(
      (d) => d.uri.toString() === this.documentUri.toString(),
    );
    const params: DiagramParams = { uri: this.documentUri.toString(), version: document?.version };
    let result: DiagramResult;
    try {
      result = await this.client.sendRequest<DiagramResult>(DiagramRequest.method, params, source.token);
    } catch (error) {
      if (source.token.isCancellationRequested) return;
      this.post({ type: 'error', message: `The diagram could not be computed: ${String(error)}` });
      return;
    }
    // A newer request was started, or the document changed meanwhile: drop this answer.
    if (seq !== this.requestSeq || source.token.isCancellationRequested) return;
    if (!result) {
      this.post({ type: 'error', message: 'The document is not open in the language server.' });
      return;
    }
    const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.documentUri.toString());
    if (now && result.version < now.version) return;
    this.wire = result;
    this.decoded = null;
    this.post({ type: 'model', wire: result });
    if (this.pendingConnectionId !== undefined) {
      const id = this.pendingConnectionId;
      this.pendingConnectionId = undefined;
      this.showConnection(id);
    }
    if (this.pendingSegment !== undefined) {
      const index = this.pendingSegment;
      this.pendingSegment = undefined;
      this.showSegment(index);
    }
  }

  /** Selects the packet's lines in the editor of the document (opening it if needed). */
  private async reveal(line: number, endLine: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.documentUri);
    const last = Math.min(endLine, document.lineCount - 1);
    const range = new vscode.Range(line, 0, last, document.lineAt(last).text.length);
    const visible = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === this.documentUri.toString(),
    );
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Selection(range.start, range.end),
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private isDisposed = false;

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.inFlight?.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
    this.rendered.dispose();
  }
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
