// Types for server.mjs (used by the TypeScript e2e runner).
/** Installs Node 24 and code-server on first use (idempotent); how to run code-server. */
export declare function ensureCodeServer(): { node: string; entry: string };
export declare const defaultSettings: Record<string, unknown>;
export declare const chromiumArgs: string[];
export declare const chromiumPath: string;
export declare function findFreePort(): Promise<number>;
export declare function installExtension(
  vsix: string,
  extensionsDir: string,
  userDataDir: string,
): Promise<string>;

/** A payload for the workbench URL: a list of [key, value] pairs. */
export type WorkbenchPayload = [string, string][];

export interface CodeServer {
  port: number;
  origin: string;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  log(): string;
  exited: Promise<void>;
  stop(): Promise<void>;
  remoteUri(fsPath: string): string;
  workbenchUrl(folder: string, payload?: WorkbenchPayload): string;
}

export declare function startCodeServer(options: {
  stateDir: string;
  extensionsDir?: string;
  settings?: Record<string, unknown>;
  output?: 'pipe' | 'inherit';
  startupTimeoutMs?: number;
  env?: Record<string, string>;
  offline?: boolean;
  testDriver?: boolean;
  /** A fixed port instead of a free one. */
  port?: number;
}): Promise<CodeServer>;
