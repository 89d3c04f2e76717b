// A small LSP client for protocol tests: starts `node dist/server.js --stdio`,
// speaks JSON-RPC like an editor (incremental sync, workspace/configuration),
// and waits on server messages with deadlines (never fixed sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  Position,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { distDir } from '../support/paths';
import type { TraceStatus } from '../../server/src/protocol';

export const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, symbol: {}, inlayHint: { refreshSupport: false } },
  textDocument: {
    synchronization: {},
    hover: { contentFormat: ['markdown', 'plaintext'] },
    inlayHint: {},
    codeLens: {},
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    definition: {},
    references: {},
    documentHighlight: {},
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', ''] } } },
    foldingRange: { lineFoldingOnly: true },
    semanticTokens: {
      requests: { full: true, range: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
  },
};

const DEADLINE_MS = 20_000;

export interface CursorText {
  readonly text: string;
  readonly position: Position;
}

/** Removes the `$0` marker and returns its position. */
export function withCursor(marked: string): CursorText {
  const at = marked.indexOf('$0');
  if (at < 0) throw new Error('no $0 cursor marker in the test input');
  const before = marked.slice(0, at);
  const lines = before.split('\n');
  return {
    text: before + marked.slice(at + 2),
    position: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
  };
}

export class LspClient {
  /** The `tcptrace` settings section returned to workspace/configuration. */
  settings: Record<string, unknown> = {};
  /**
   * While set, answers to workspace/configuration wait for it: the server's analysis
   * waits for its settings, so a test can line up messages behind an analysis under way.
   */
  configurationGate: Promise<void> | undefined;
  /** Every publishDiagnostics, in arrival order. */
  readonly publishHistory: PublishDiagnosticsParams[] = [];
  readonly stderr: string[] = [];
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly statuses = new Map<string, TraceStatus>();
  private readonly waiters: (() => void)[] = [];
  private nextDoc = 0;
  private exited = false;

  private constructor(
    process: ChildProcess,
    readonly rpc: MessageConnection,
  ) {
    process.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    process.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.publishHistory.push(p);
      this.wake();
    });
    rpc.onNotification('tcptrace/status', (s: TraceStatus) => {
      this.statuses.set(s.uri, s);
      this.wake();
    });
    rpc.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      await this.configurationGate;
      return p.items.map((item) => (item.section === 'tcptrace' ? this.settings : null));
    });
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onNotification('window/logMessage', () => undefined);
  }

  static async start(capabilities: ClientCapabilities = CAPABILITIES): Promise<LspClient> {
    const child = spawn(process.execPath, [path.join(distDir, 'server.js'), '--stdio'], { stdio: 'pipe' });
    const rpc = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspClient(child, rpc);
    rpc.listen();
    client.initializeResult = await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
    });
    await rpc.sendNotification('initialized', {});
    return client;
  }

  initializeResult: unknown;

  get alive(): boolean {
    return !this.exited;
  }

  /** Opens a document (version 1) and returns its URI. */
  async open(text: string, name = `doc${this.nextDoc++}.tcptrace`): Promise<string> {
    return this.openUri(`file:///test/${name}`, text);
  }

  /** Opens a document (version 1) under any URI, e.g. a `tcptrace-capture:` rendering. */
  async openUri(uri: string, text: string): Promise<string> {
    await this.rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'tcptrace', version: 1, text },
    });
    return uri;
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async close(uri: string): Promise<void> {
    await this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async configurationChanged(): Promise<void> {
    await this.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    return (
      token ? this.rpc.sendRequest(method, params, token) : this.rpc.sendRequest(method, params)
    ) as Promise<R>;
  }

  /** The diagnostics published for `uri` at `version` or later. */
  async diagnostics(uri: string, version = 1): Promise<Diagnostic[]> {
    const p = await this.waitFor(`diagnostics of ${uri} v${version}`, () => {
      const got = this.published.get(uri);
      return got && (got.version === undefined || got.version >= version) ? got : undefined;
    });
    return p.diagnostics;
  }

  /** The status notification for `uri` at `version` or later. */
  status(uri: string, version = 1): Promise<TraceStatus> {
    return this.waitFor(`status of ${uri} v${version}`, () => {
      const s = this.statuses.get(uri);
      return s && s.version >= version ? s : undefined;
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      await this.rpc.sendRequest('shutdown');
      await this.rpc.sendNotification('exit');
      await this.waitFor('server exit', () => (this.exited ? true : undefined));
    }
    this.rpc.dispose();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private waitFor<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}; stderr: ${this.stderr.join('')}`),
        );
      }, DEADLINE_MS);
      const attempt = (): void => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else if (this.exited && what !== 'server exit') {
          clearTimeout(timer);
          reject(new Error(`server exited while waiting for ${what}; stderr: ${this.stderr.join('')}`));
        } else this.waiters.push(attempt);
      };
      attempt();
    });
  }
}
