// Building findings: one place that knows default severities and how a finding
// points at a segment and at the segments related to it.
import type { DiagnosticCode, Finding, RelatedLocation, Segment, Severity } from './model';
import type { Sink } from './track';

/** Default severity of every code (docs/diagnostics.md repeats them). */
export const SEVERITY: Readonly<Record<DiagnosticCode, Severity>> = {
  'parse-error': 'error',
  'capture-damaged': 'error',
  'handshake-bad-ack': 'error',
  'handshake-incomplete': 'warning',
  'connection-refused': 'warning',
  'syn-retransmission': 'warning',
  'synack-without-syn': 'information',
  'syn-isn-changed': 'warning',
  'data-before-established': 'warning',
  'simultaneous-open': 'information',
  'syn-flood': 'error',
  'fin-bad-ack': 'error',
  'data-after-fin': 'error',
  'connection-reset': 'warning',
  'data-after-reset': 'warning',
  retransmission: 'information',
  'fast-retransmission': 'information',
  'spurious-retransmission': 'information',
  'out-of-order': 'warning',
  'lost-segment': 'warning',
  'acked-unseen': 'warning',
  'duplicate-ack': 'information',
  'zero-window': 'warning',
  'zero-window-probe': 'information',
  'zero-window-probe-ack': 'information',
  'window-full': 'warning',
  'window-update': 'hint',
  'keep-alive': 'information',
  'keep-alive-ack': 'information',
  'port-reuse': 'information',
  'challenge-ack': 'information',
  'unusual-flags': 'warning',
};

/** 1-based line as people read it. */
export function lineOf(seg: Segment): number {
  return seg.line + 1;
}

export function related(seg: Pick<Segment, 'line' | 'index'>, message: string): RelatedLocation {
  return { line: seg.line, segment: seg.index, message };
}

/** related() from a segment's line and index alone. */
export function relatedAt(line: number, segment: number, message: string): RelatedLocation {
  return { line, segment, message };
}

/** The related locations of a finding that has none: one array for all of them. */
const NO_RELATED: readonly RelatedLocation[] = Object.freeze([]);

/**
 * The message as one flat string. A message built by concatenation is a tree of
 * pieces (a rope) that takes about three times the room of its characters, and
 * findings are kept until the end of the analysis. Reading a character makes V8
 * flatten the rope in place (the garbage collector then drops the tree); the
 * result is used so that the read is not optimised away.
 */
function flat(message: string): string {
  return message.charCodeAt(0) >= 0 ? message : message;
}

export function addFinding(
  sink: Sink,
  code: DiagnosticCode,
  seg: Pick<Segment, 'line' | 'endLine' | 'index'>,
  connection: number,
  message: string,
  rel: readonly RelatedLocation[] = [],
  details?: Readonly<Record<string, number | string | boolean>>,
  severity: Severity = SEVERITY[code],
): void {
  if (sink.disabled.has(code)) return;
  if (sink.counted !== null) {
    sink.counted.add(code, severity, seg.index, connection);
    return;
  }
  // Without its text a finding is kept in the same shape, for those who only count findings.
  const text = sink.keepFindingText;
  // One literal and `details` set after it rather than a spread, which builds the object
  // the slow way every time (the key order, and so the JSON, stays the same).
  const f: { -readonly [K in keyof Finding]: Finding[K] } = {
    code,
    severity,
    message: text ? flat(message) : '',
    line: seg.line,
    endLine: seg.endLine,
    segment: seg.index,
    connection,
    related: text && rel.length > 0 ? rel : NO_RELATED,
  };
  if (details !== undefined && text) f.details = details;
  sink.findings.push(f);
}

/** How many findings `sink` took (withdrawn ones too): the number the next one gets. */
export function findingCount(sink: Sink): number {
  return sink.counted === null ? sink.findings.length : sink.counted.length;
}

/** The code of finding number `k` of `sink`. */
export function findingCode(sink: Sink, k: number): DiagnosticCode {
  return sink.counted === null ? sink.findings[k].code : sink.counted.codeAt(k);
}

/** The segment of finding number `k` of `sink` (undefined: none). */
export function findingSegment(sink: Sink, k: number): number | undefined {
  return sink.counted === null ? sink.findings[k].segment : sink.counted.segmentAt(k);
}
