// Per-document analysis, cached by (uri, version). A newer version abandons the
// work on an older one at its next yield point; every caller asking while the
// work is under way shares one computation.
import { analyzeParsed, type AnalysisOptions, type AnalysisResult, type ParseResult } from '../analysis';
import { INITIAL_CONTEXT, type LineContext } from '../analysis/parse';
import type { AnalysedDocument, AnalysisProvider } from '../features/analysisProvider';
import type { Settings } from '../config';
import { buildIndex, type AnalysisIndex } from './analysisIndex';
import type { DocumentStore, OpenDocument } from './documentStore';
import { IncrementalParse } from './incrementalParse';
import { yieldToEventLoop } from './scheduling';

export interface DocumentAnalysis extends AnalysedDocument {
  readonly index: AnalysisIndex;
  readonly settings: Settings;
  readonly lineCount: number;
  /** The parser's context before `line` (to re-read one line with its FieldSpans). */
  contextBefore(line: number): LineContext;
  /** Codes the document disables with `# tcptrace-disable code` comments. */
  readonly disabledCodes: ReadonlySet<string>;
}

interface Entry {
  readonly version: number;
  readonly promise: Promise<DocumentAnalysis | undefined>;
  value?: DocumentAnalysis;
}

export class AnalysisCache implements AnalysisProvider {
  private readonly entries = new Map<string, Entry>();
  /** Per-line parse state, reused across versions. */
  private readonly parsers = new Map<string, IncrementalParse>();

  constructor(
    private readonly documents: DocumentStore,
    private readonly settingsFor: (uri: string) => Promise<Settings>,
  ) {
    documents.onDidClose((uri) => {
      this.entries.delete(uri);
      this.parsers.delete(uri);
    });
  }

  /** The analysis of the document's current version (computed on demand). */
  get(uri: string): Promise<DocumentAnalysis | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return Promise.resolve(undefined);
    const entry = this.entries.get(uri);
    if (entry && entry.version === doc.version) return entry.promise;
    const fresh: Entry = { version: doc.version, promise: this.compute(doc) };
    this.entries.set(uri, fresh);
    void fresh.promise.then((value) => {
      if (value && value.version === fresh.version) fresh.value = value;
    });
    return fresh.promise;
  }

  /** The cached analysis if it is already computed for the current version. */
  peek(uri: string): DocumentAnalysis | undefined {
    const doc = this.documents.get(uri);
    const entry = this.entries.get(uri);
    return doc && entry?.version === doc.version ? entry.value : undefined;
  }

  /** Every computed analysis (workspace symbols). */
  computed(): DocumentAnalysis[] {
    const result: DocumentAnalysis[] = [];
    for (const e of this.entries.values()) if (e.value) result.push(e.value);
    return result;
  }

  /** Forget everything (settings changed). */
  clear(): void {
    this.entries.clear();
  }

  private async compute(doc: OpenDocument): Promise<DocumentAnalysis | undefined> {
    // Let edits that are already queued arrive before starting on a big document.
    await yieldToEventLoop();
    // At every yield point: if a newer version arrived, hand over to its analysis.
    const version = doc.version;
    const stale = (): boolean => doc.version !== version || this.documents.get(doc.uri) !== doc;
    if (stale()) return this.get(doc.uri);
    const settings = await this.settingsFor(doc.uri);
    if (stale()) return this.get(doc.uri);
    const lines = doc.lines.snapshot();
    const { parsed, contexts } = this.parse(doc, lines);
    await yieldToEventLoop();
    if (stale()) return this.get(doc.uri);
    const result: AnalysisResult = analyzeParsed(parsed, analysisOptions(settings));
    await yieldToEventLoop();
    if (stale()) return this.get(doc.uri);
    return new AnalysedVersion(
      doc.uri,
      version,
      result,
      settings,
      lines,
      contexts,
      new Set(parsed.disabledCodes),
    );
  }

  /** Must run in the same turn as the snapshot: the pending changes lead exactly to `lines`. */
  private parse(
    doc: OpenDocument,
    lines: readonly string[],
  ): { parsed: ParseResult; contexts: readonly LineContext[] } {
    let parser = this.parsers.get(doc.uri);
    if (!parser || doc.reparseAll) {
      parser = new IncrementalParse();
      parser.reset(lines);
      this.parsers.set(doc.uri, parser);
    } else {
      parser.update(lines, doc.pending);
    }
    doc.pending = [];
    doc.reparseAll = false;
    return { parsed: parser.result(), contexts: parser.contextsSnapshot() };
  }
}

/** One analysed version. The lookup index is built on first use: publishing diagnostics does not need it. */
class AnalysedVersion implements DocumentAnalysis {
  private built: AnalysisIndex | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly result: AnalysisResult,
    readonly settings: Settings,
    private readonly lines: readonly string[],
    private readonly contexts: readonly LineContext[],
    readonly disabledCodes: ReadonlySet<string>,
  ) {}

  get index(): AnalysisIndex {
    this.built ??= buildIndex(this.result, this.lines.length);
    return this.built;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  // Arrow properties: features pass `a.lineText` around as a plain function.
  readonly lineText = (line: number): string => this.lines[line] ?? '';

  readonly contextBefore = (line: number): LineContext =>
    line > 0 ? (this.contexts[line - 1] ?? INITIAL_CONTEXT) : INITIAL_CONTEXT;
}

function analysisOptions(settings: Settings): AnalysisOptions {
  return settings.analysis.vantage === 'auto' ? {} : { vantage: settings.analysis.vantage };
}
