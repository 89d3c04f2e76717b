// Settings per document, asked from the client with workspace/configuration
// (scoped to the document's URI) and cached until the configuration changes.
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../config';

export class SettingsStore {
  private readonly perUri = new Map<string, Promise<Settings>>();
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: Settings = DEFAULT_SETTINGS;

  /** Whether the client answers workspace/configuration; known after `initialize`. */
  canPull = false;

  constructor(private readonly connection: Connection) {}

  get(uri: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let settings = this.perUri.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'tcptrace' })
        .then(readSettings, () => DEFAULT_SETTINGS);
      this.perUri.set(uri, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: forget the cache; `pushed` is the `settings` payload (may be null). */
  changed(pushed: unknown): void {
    this.perUri.clear();
    const section =
      typeof pushed === 'object' && pushed !== null ? (pushed as { tcptrace?: unknown }).tcptrace : undefined;
    if (section !== undefined) this.pushed = readSettings(section);
  }

  forget(uri: string): void {
    this.perUri.delete(uri);
  }
}
