// Per-document analysis, cached by (uri, version). A newer version abandons the
// work on an older one at its next yield point; every caller asking while the
// work is under way shares one computation. After an edit, only the connections
// of the changed segments are analysed again (analysis/incremental.ts; when lines
// were inserted or deleted, analysis/incrementalWindow.ts), starting from the
// last completed analysis.
import type { AnalysisOptions, AnalysisResult } from '../analysis';
import { analyzeInSteps } from '../analysis/analyze';
import { reanalyseInSteps, reanalyseWindowInSteps, type Analysed } from '../analysis/incremental';
import type { LineContext, LineRecord } from '../analysis/parse';
import type { AnalysedDocument, AnalysisProvider } from '../features/analysisProvider';
import type { Settings } from '../config';
import { buildIndex, type AnalysisIndex } from './analysisIndex';
import type { DocumentStore, OpenDocument } from './documentStore';
import type { ContextRuns } from './contextRuns';
import type { LineList } from './lineList';
import { IncrementalParse } from './incrementalParse';
import { SLICE_MS, yieldToEventLoop } from './scheduling';

export interface DocumentAnalysis extends AnalysedDocument {
  readonly index: AnalysisIndex;
  readonly settings: Settings;
  readonly lineCount: number;
  /** The parser's context before `line` (to re-read one line with its FieldSpans). */
  contextBefore(line: number): LineContext;
  /** Codes the document disables with `# tcptrace-disable code` comments. */
  readonly disabledCodes: ReadonlySet<string>;
}

/** What AnalysisCache.at() answers for a version a newer one replaced. */
export const SUPERSEDED = Symbol('superseded');

/**
 * The last completed analysis of a document: where the next edit's incremental
 * analysis starts. A completed incremental analysis writes its version into the
 * base's arrays (analysis/incremental.ts): the version made from the base then
 * shows the newer one's segments and analyses. Nothing reads it any more —
 * requests ask for the document's current version (at()), and the work for an
 * older one stops at its next yield (request.ts, diagnostics.ts).
 */
interface Base extends Analysed {
  readonly options: AnalysisOptions;
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
  private readonly bases = new Map<string, Base>();
  /** The computation under way per document (they run one after another). */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly documents: DocumentStore,
    private readonly settingsFor: (uri: string) => Promise<Settings>,
  ) {
    documents.onDidClose((uri) => {
      this.entries.delete(uri);
      this.parsers.delete(uri);
      this.bases.delete(uri);
      this.running.delete(uri);
    });
  }

  /**
   * The analysis of the document's current version (computed on demand). When
   * a newer version arrives while it is computed, resolves with the newer one.
   */
  async get(uri: string): Promise<DocumentAnalysis | undefined> {
    for (;;) {
      const doc = this.documents.get(uri);
      if (!doc) return undefined;
      const value = await this.entryFor(doc).promise;
      if (value) return value;
      // Superseded by a newer version (or closed): go again.
    }
  }

  /**
   * The analysis of `version` of the document, for a request made at that
   * version: SUPERSEDED as soon as a newer version (or a close) makes it moot,
   * undefined when the document is not open.
   */
  async at(uri: string, version: number): Promise<DocumentAnalysis | undefined | typeof SUPERSEDED> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    if (doc.version !== version) return SUPERSEDED;
    return (await this.entryFor(doc).promise) ?? SUPERSEDED;
  }

  /** The version a request arriving now refers to. */
  versionOf(uri: string): number | undefined {
    return this.documents.get(uri)?.version;
  }

  /** The computation for the document's current version, started if need be. */
  private entryFor(doc: OpenDocument): Entry {
    const uri = doc.uri;
    const entry = this.entries.get(uri);
    if (entry && entry.version === doc.version) return entry;
    // One computation at a time per document: they share the incremental parse state.
    const previous = this.running.get(uri) ?? Promise.resolve();
    const version = doc.version;
    const promise = previous.then(() => this.compute(doc, version));
    const fresh: Entry = { version, promise };
    // The chain itself never rejects, so one failed analysis does not block the next version.
    const settled = promise.then(
      (value) => {
        if (value) fresh.value = value;
      },
      () => undefined,
    );
    this.running.set(uri, settled);
    this.entries.set(uri, fresh);
    return fresh;
  }

  /** The cached analysis if it is already computed for the current version. */
  peek(uri: string): DocumentAnalysis | undefined {
    const doc = this.documents.get(uri);
    const entry = this.entries.get(uri);
    return doc && entry?.version === doc.version ? entry.value : undefined;
  }

  /** Forget everything (settings changed). */
  clear(): void {
    this.entries.clear();
  }

  /** Analyses `version` of `doc`; undefined as soon as a newer version makes it stale. */
  private async compute(doc: OpenDocument, version: number): Promise<DocumentAnalysis | undefined> {
    const stale = (): boolean => doc.version !== version || this.documents.get(doc.uri) !== doc;
    // Let edits that are already queued arrive before starting on a big document.
    await yieldToEventLoop();
    if (stale()) return undefined;
    const settings = await this.settingsFor(doc.uri);
    if (stale()) return undefined;
    // Synchronously from here to the parser update: the pending changes lead exactly to this snapshot.
    const lines = doc.lines.snapshot();
    const pending = doc.pending;
    doc.pending = [];
    let parser = this.parsers.get(doc.uri);
    if (!parser || doc.reparseAll) {
      doc.reparseAll = false;
      parser = new IncrementalParse();
      this.parsers.set(doc.uri, parser);
      if (!(await parser.resetInSlices(lines, () => !stale()))) {
        // Half-read: start over with the newer version.
        this.parsers.delete(doc.uri);
        doc.reparseAll = true;
        return undefined;
      }
    } else {
      parser.update(lines, pending);
    }
    const contexts = parser.contextsSnapshot();
    const options = analysisOptions(settings);
    const wanted = (): boolean => !stale();
    let analysed: Analysed | undefined;
    const base = this.bases.get(doc.uri);
    if (base && sameOptions(base.options, options)) {
      const recordAt = (line: number): LineRecord | undefined => parser.recordAt(line);
      const changes = parser.changesSinceCommit();
      if (changes) {
        // Lines stayed where they were: the segment-by-segment path.
        const edit = { changes, lineCount: lines.length, recordAt };
        const outcome = await runInSlices(reanalyseInSteps(base, edit, options, 1024), wanted);
        if (outcome === STALE) return undefined;
        analysed = outcome;
      }
      const window = analysed ? undefined : parser.windowSinceCommit();
      if (window) {
        // Lines inserted or deleted, a segment moved to another 4-tuple, a packet line made or unmade.
        const edit = { ...window, lineCount: lines.length, recordAt };
        const outcome = await runInSlices(reanalyseWindowInSteps(base, edit, options, 1024), wanted);
        // A completed window analysis took over the base's objects: it becomes the base even if
        // a newer version arrived meanwhile (below), the records it was made from are committed.
        if (outcome === STALE) return undefined;
        analysed = outcome;
      }
    }
    if (!analysed) {
      const parsed = await parser.resultInSlices(wanted);
      if (!parsed || stale()) return undefined;
      const result = await runInSlices(analyzeInSteps(parsed, options, 1024), wanted);
      if (result === STALE || stale()) return undefined;
      analysed = { parsed, result };
    }
    const made = new AnalysedVersion(
      doc.uri,
      version,
      analysed.result,
      settings,
      lines,
      contexts,
      new Set(analysed.parsed.disabledCodes),
    );
    // The records read so far are what this analysis was made from: the next edit starts here.
    this.bases.set(doc.uri, { ...analysed, options });
    parser.commit();
    return stale() ? undefined : made;
  }
}

/** One analysed version. The lookup index is made on first use: publishing diagnostics does not need it. */
class AnalysedVersion implements DocumentAnalysis {
  private built: AnalysisIndex | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly result: AnalysisResult,
    readonly settings: Settings,
    private readonly lines: LineList,
    private readonly contexts: ContextRuns,
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
  readonly lineText = (line: number): string => this.lines.at(line) ?? '';

  readonly contextBefore = (line: number): LineContext => this.contexts.before(line);
}

const STALE = Symbol('stale');

/** Drives a stepwise computation of the core, yielding to the event loop every slice; STALE when no longer wanted. */
async function runInSlices<T>(
  steps: Generator<void, T, void>,
  wanted: () => boolean,
): Promise<T | typeof STALE> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      if (!wanted()) return STALE;
      sliceStart = performance.now();
    }
  }
}

/** Small flat records of numbers and strings: comparing their JSON is exact. */
function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function analysisOptions(settings: Settings): AnalysisOptions {
  const { vantage, synFlood } = settings.analysis;
  return {
    ...(vantage === 'auto' ? {} : { vantage }),
    synFloodMinHalfOpen: synFlood.minHalfOpen,
    synFloodMinSources: synFlood.minSources,
    synFloodWindowSeconds: synFlood.windowSeconds,
    synFloodMinHalfOpenShare: synFlood.minHalfOpenShare,
  };
}
