// Phase (a): one line → one LineRecord, from the line and a small context.
import type { FieldSpan } from '../model';
import { readDrillLine } from './packetdrill';
import {
  CONTINUATION,
  SKIP,
  contextOf,
  type DirectiveRecord,
  type LineContext,
  type LineRecord,
} from './records';
import { SPACE, TAB, detachedSlice, digitsEnd, skipSpaces, startsAt } from './scan';
import { readTcpdumpLine } from './tcpdump';
import { readTsharkLine } from './tshark';

const DIRECTIVE = 'tcptrace-disable';

/**
 * Reads line `lineNo` of `text`, which spans [start, end) (without the line
 * break). With `withSpans` false the records carry no FieldSpans (faster, for
 * callers that never hover).
 */
export function readLine(
  text: string,
  lineNo: number,
  ctx: LineContext,
  start = 0,
  end: number = text.length,
  withSpans = true,
): LineRecord {
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  const first = skipSpaces(text, start, end);
  if (first >= end) return SKIP;
  const c = text.charCodeAt(first);
  if (c === 35) return comment(text, lineNo, first, end, start);
  if (c === 47 && text.charCodeAt(first + 1) === 47) return SKIP; // packetdrill `//` comment
  if (text.charCodeAt(start) === TAB) {
    // -x/-X hex lines and -v application text: part of the packet above.
    return ctx.inPacket ? CONTINUATION : SKIP;
  }
  const spans: FieldSpan[] | null = withSpans ? [] : null;
  let r = readTcpdumpLine(text, start, end, lineNo, ctx, spans);
  if (r === null) {
    if (isBanner(text, first, end)) return SKIP;
    if (spans !== null) spans.length = 0;
    r = readTsharkLine(text, start, end, lineNo, spans);
  }
  if (r === null) {
    if (spans !== null) spans.length = 0;
    r = readDrillLine(text, start, end, lineNo, spans);
  }
  if (r === null) return ctx.inPacket ? CONTINUATION : SKIP;
  return start === 0 ? r : toLineOffsets(r, spans, start);
}

type MutableSpan = { -readonly [K in keyof FieldSpan]: FieldSpan[K] };

/** The readers work with offsets into `text`; records carry characters within the line. */
function toLineOffsets(r: LineRecord, spans: FieldSpan[] | null, start: number): LineRecord {
  if (spans !== null) {
    for (const s of spans as MutableSpan[]) {
      s.start -= start;
      s.end -= start;
    }
  }
  if (r.kind === 'error') return { ...r, start: r.start - start, end: r.end - start };
  return r;
}

/** The context for the line after one that gave `record`. */
export function nextContext(ctx: LineContext, record: LineRecord): LineContext {
  let tsMode = ctx.tsMode;
  let afterIpHeader = false;
  let inPacket = ctx.inPacket;
  switch (record.kind) {
    case 'packet':
      if (record.learnedTsMode !== undefined) tsMode = record.learnedTsMode;
      inPacket = true;
      break;
    case 'ip-header':
      if (record.learnedTsMode !== undefined) tsMode = record.learnedTsMode;
      afterIpHeader = true;
      inPacket = false;
      break;
    case 'skip':
      if (record.endsPacket) inPacket = false;
      break;
    case 'error':
      inPacket = false;
      break;
    default:
      break;
  }
  if (tsMode === ctx.tsMode && afterIpHeader === ctx.afterIpHeader && inPacket === ctx.inPacket) return ctx;
  return contextOf(tsMode, afterIpHeader, inPacket);
}

/** `# ...` comment; `# tcptrace-disable a, b` lists codes to disable. */
function comment(text: string, lineNo: number, hash: number, end: number, lineStart: number): LineRecord {
  const p = skipSpaces(text, hash + 1, end);
  if (!startsAt(text, p, end, DIRECTIVE)) return SKIP;
  let q = p + DIRECTIVE.length;
  if (q < end && text.charCodeAt(q) !== SPACE && text.charCodeAt(q) !== TAB && text.charCodeAt(q) !== 58)
    return SKIP;
  if (q < end && text.charCodeAt(q) === 58) q++;
  const codes: { code: string; start: number; end: number }[] = [];
  while (q < end) {
    q = skipSpaces(text, q, end);
    let e = q;
    while (e < end) {
      const ch = text.charCodeAt(e);
      if (ch === 44 || ch === SPACE || ch === TAB) break;
      e++;
    }
    if (e > q) codes.push({ code: detachedSlice(text, q, e), start: q - lineStart, end: e - lineStart });
    q = e;
    while (
      q < end &&
      (text.charCodeAt(q) === 44 || text.charCodeAt(q) === SPACE || text.charCodeAt(q) === TAB)
    )
      q++;
  }
  const r: DirectiveRecord = { kind: 'directive', line: lineNo, codes };
  return r;
}

/** stderr lines of tcpdump/tshark that get pasted along with the packets. */
function isBanner(text: string, p: number, end: number): boolean {
  const line = text.slice(p, Math.min(end, p + 40));
  if (
    line.startsWith('reading from file') ||
    line.startsWith('listening on') ||
    line.startsWith('tcpdump: ') ||
    line.startsWith('Running as user') ||
    line.startsWith('Capturing on') ||
    line.startsWith('tshark: ')
  )
    return true;
  const d = digitsEnd(text, p, end);
  if (d === p) return false;
  const rest = text.slice(d, end);
  return (
    rest === ' packets captured' ||
    rest === ' packet captured' ||
    rest === ' packets received by filter' ||
    rest === ' packet received by filter' ||
    rest === ' packets dropped by kernel' ||
    rest === ' packet dropped by kernel' ||
    rest === ' packets dropped by interface' ||
    rest === ' packets dropped' ||
    rest === ' packet dropped'
  );
}
