// Publishes the findings of each document version as diagnostics, plus the
// counts for the client's status bar. Work for an outdated version stops at
// the next yield point. An incremental analysis keeps the Finding objects of
// the connections an edit did not touch, so their Diagnostics are kept too
// (per document, while the settings stay) and only new findings are converted.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { effectiveSeverity, toDiagnostic } from '../convert';
import type { AnalysisCache, DocumentAnalysis } from '../documents/analysisCache';
import type { DocumentStore } from '../documents/documentStore';
import { chunkedFor } from '../documents/scheduling';
import { TraceStatusNotification, type TraceStatus } from '../protocol';
import type { Finding } from '../analysis';

export interface DiagnosticsOptions {
  /** The client shows `relatedInformation`. */
  readonly relatedInformation: boolean;
}

/** A converted finding and the texts of the lines its ranges were measured on. */
interface Converted {
  readonly diagnostic: Diagnostic | undefined;
  readonly lines: readonly string[];
}

interface Conversions {
  readonly settings: DocumentAnalysis['settings'];
  readonly related: boolean;
  readonly byFinding: WeakMap<Finding, Converted>;
}

export class DiagnosticsPublisher {
  private readonly conversions = new Map<string, Conversions>();
  private readonly pending = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly cache: AnalysisCache,
    private readonly options: () => DiagnosticsOptions,
  ) {
    documents.onDidChange((uri) => this.schedule(uri));
    documents.onDidClose((uri) => {
      this.conversions.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });
  }

  /** Coalesces bursts of changes: one analysis per document per turn of the event loop. */
  schedule(uri: string): void {
    this.pending.add(uri);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const uris = [...this.pending];
      this.pending.clear();
      for (const u of uris) {
        // The core never throws on user input; if it does anyway, say so instead of taking the server down.
        this.publish(u).catch((error: unknown) => {
          const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
          this.connection.console.error(`tcptrace: analysis of ${u} failed: ${detail}`);
        });
      }
    });
  }

  scheduleAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri);
  }

  /** Publishes the diagnostics of the current version; undefined when a newer version superseded it. */
  async publish(uri: string): Promise<TraceStatus | undefined> {
    const analysis = await this.cache.get(uri);
    const doc = this.documents.get(uri);
    if (!analysis || !doc || doc.version !== analysis.version) return undefined;
    const diagnostics = await this.convert(analysis, () => doc.version === analysis.version);
    if (!diagnostics || doc.version !== analysis.version) return undefined;
    const status = traceStatus(analysis, diagnostics, doc.fromDisk);
    await this.connection.sendDiagnostics({
      uri,
      version: doc.fromDisk ? undefined : analysis.version,
      diagnostics,
    });
    await this.connection.sendNotification(TraceStatusNotification.method, status);
    return status;
  }

  private async convert(a: DocumentAnalysis, current: () => boolean): Promise<Diagnostic[] | undefined> {
    const out: Diagnostic[] = [];
    if (!a.settings.diagnostics.enable) return out;
    const related = this.options().relatedInformation;
    let known = this.conversions.get(a.uri);
    if (known?.settings !== a.settings || known.related !== related) {
      known = { settings: a.settings, related, byFinding: new WeakMap() };
      this.conversions.set(a.uri, known);
    }
    const byFinding = known.byFinding;
    const findings = a.result.diagnostics;
    const disabled = a.disabledCodes;
    const finished = await chunkedFor(
      findings.length,
      (i) => {
        const f = findings[i]!;
        if (disabled.has(f.code)) return;
        let c = byFinding.get(f);
        if (c === undefined || !sameLines(c.lines, f, a.lineText)) {
          const severity = effectiveSeverity(f, a.settings);
          const diagnostic = severity ? toDiagnostic(f, severity, a.uri, a.lineText, related) : undefined;
          c = { diagnostic, lines: linesOf(f, a.lineText) };
          byFinding.set(f, c);
        }
        if (c.diagnostic) out.push(c.diagnostic);
      },
      current,
    );
    return finished ? out : undefined;
  }
}

/** The texts of the lines a finding's ranges are measured on (indent, line length). */
function linesOf(f: Finding, lineText: (line: number) => string): string[] {
  const lines = [lineText(f.line), lineText(f.endLine)];
  for (const r of f.related) lines.push(lineText(r.line));
  return lines;
}

/** Those lines are unchanged (unchanged lines keep their string object: mostly a pointer test). */
function sameLines(lines: readonly string[], f: Finding, lineText: (line: number) => string): boolean {
  if (lines[0] !== lineText(f.line) || lines[1] !== lineText(f.endLine)) return false;
  for (let k = 0; k < f.related.length; k++) if (lines[k + 2] !== lineText(f.related[k]!.line)) return false;
  return true;
}

export function traceStatus(
  a: DocumentAnalysis,
  shown: readonly Diagnostic[],
  fromDisk: boolean,
): TraceStatus {
  let errors = 0;
  let warnings = 0;
  for (const d of shown) {
    if (d.severity === DiagnosticSeverity.Error) errors++;
    else if (d.severity === DiagnosticSeverity.Warning) warnings++;
  }
  return {
    uri: a.uri,
    version: a.version,
    connections: a.result.connections.length,
    segments: a.result.segments.length,
    errors,
    warnings,
    notes: shown.length - errors - warnings,
    fromDisk,
  };
}
