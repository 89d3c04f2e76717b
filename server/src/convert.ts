// The only place where analysis data (0-based lines and UTF-16 characters,
// plain records) becomes LSP types and back. Features build plain values and
// call these functions.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  InlayHintKind,
  MarkupKind,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Hover,
  type InlayHint,
  type Location,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import type { DiagnosticCode, FieldSpan, Finding, Segment, Severity } from './analysis';
import type { SeverityOverride, Settings } from './config';

/** docs/diagnostics.md on the repository named in package.json (`repository.url`). */
export const DIAGNOSTICS_DOC_URL =
  'https://github.com/tcptrace-inspector/tcptrace-inspector/blob/main/docs/diagnostics.md';

export const DIAGNOSTIC_SOURCE = 'tcptrace';

/** Findings that describe something harmless or redundant: shown faded. */
const UNNECESSARY: ReadonlySet<DiagnosticCode> = new Set(['spurious-retransmission', 'data-after-reset']);

type LineText = (line: number) => string;

export function position(line: number, character: number): Position {
  return { line, character };
}

export function toPosition(p: Position): { line: number; character: number } {
  return { line: p.line, character: p.character };
}

/** From the first non-blank character of `line` to the end of `endLine`. */
export function linesRange(line: number, endLine: number, lineText: LineText): Range {
  const first = lineText(line);
  const indent = first.length - first.trimStart().length;
  return { start: position(line, indent), end: position(endLine, lineText(endLine).length) };
}

export function segmentRange(segment: Segment, lineText: LineText): Range {
  return linesRange(segment.line, Math.max(segment.line, segment.endLine), lineText);
}

export function fieldRange(span: FieldSpan): Range {
  return { start: position(span.line, span.start), end: position(span.line, span.end) };
}

export function segmentLocation(uri: string, segment: Segment, lineText: LineText): Location {
  return { uri, range: segmentRange(segment, lineText) };
}

export function findingRange(f: Finding, lineText: LineText): Range {
  if (f.startChar !== undefined && f.endChar !== undefined) {
    return { start: position(f.line, f.startChar), end: position(f.endLine, f.endChar) };
  }
  return linesRange(f.line, Math.max(f.line, f.endLine), lineText);
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

/** The severity a finding is shown with under `settings`, or undefined when it is hidden. */
export function effectiveSeverity(f: Finding, settings: Settings): Severity | undefined {
  const override: SeverityOverride | undefined = settings.diagnostics.severity[f.code];
  if (override === 'off') return undefined;
  if (override) return override;
  const isNote = f.severity === 'information' || f.severity === 'hint';
  if (isNote && !settings.diagnostics.analysisNotes && f.code !== 'parse-error') return undefined;
  return f.severity;
}

export function toDiagnostic(
  f: Finding,
  severity: Severity,
  uri: string,
  lineText: LineText,
  withRelated: boolean,
): Diagnostic {
  const diagnostic: Diagnostic = {
    range: findingRange(f, lineText),
    severity: toSeverity(severity),
    code: f.code,
    codeDescription: { href: `${DIAGNOSTICS_DOC_URL}#${f.code}` },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (UNNECESSARY.has(f.code)) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (withRelated && f.related.length > 0) {
    diagnostic.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri, range: linesRange(r.line, r.line, lineText) },
      message: r.message,
    }));
  }
  if (f.segment !== undefined || f.connection !== undefined) {
    diagnostic.data = { segment: f.segment, connection: f.connection };
  }
  return diagnostic;
}

export function inlayHint(line: number, character: number, label: string, tooltip: string): InlayHint {
  return {
    position: position(line, character),
    label,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    tooltip: { kind: MarkupKind.Markdown, value: tooltip },
  };
}

export function markdownHover(markdown: string, range?: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, ...(range ? { range } : {}) };
}

export function rangeContains(range: Range, p: Position): boolean {
  const afterStart =
    p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd =
    p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
