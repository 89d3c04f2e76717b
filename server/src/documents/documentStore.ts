// The open documents, kept as line arrays (see lineStore.ts) and updated by
// incremental sync. The server keeps nothing else about a document: every
// analysis is rebuilt from this text and the settings.
import { LineStore, type DocumentText, type LineChange, type LineEdit } from './lineStore';

export interface OpenDocument {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  readonly lines: LineStore;
  /** Read from disk on request (files too large for the editor to sync), not opened by the client. */
  readonly fromDisk: boolean;
  /** Line changes since the analysis last read the text (consumed by the incremental parse). */
  pending: LineChange[];
  /** The text was replaced as a whole (opened): parse everything. */
  reparseAll: boolean;
}

type Listener = (uri: string) => void;

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly changeListeners: Listener[] = [];
  private readonly closeListeners: Listener[] = [];

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  open(uri: string, languageId: string, version: number, text: DocumentText, fromDisk = false): void {
    this.docs.set(uri, {
      uri,
      languageId,
      version,
      lines: new LineStore(text),
      fromDisk,
      pending: [],
      reparseAll: true,
    });
    this.fire(this.changeListeners, uri);
  }

  change(uri: string, version: number, edits: readonly LineEdit[]): LineChange[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const changes = edits.map((e) => doc.lines.apply(e));
    doc.pending.push(...changes);
    doc.version = version;
    this.fire(this.changeListeners, uri);
    return changes;
  }

  close(uri: string): void {
    if (this.docs.delete(uri)) this.fire(this.closeListeners, uri);
  }

  onDidChange(listener: Listener): void {
    this.changeListeners.push(listener);
  }

  onDidClose(listener: Listener): void {
    this.closeListeners.push(listener);
  }

  private fire(listeners: readonly Listener[], uri: string): void {
    for (const l of listeners) l(uri);
  }
}
