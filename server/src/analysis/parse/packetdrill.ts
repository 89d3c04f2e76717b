// packetdrill script lines (formats doc §3): `+0 < S 0:0(0) win 32792 <mss 1000,...>`.
// `<` is a segment the script injects (remote → local), `>` one the stack sends.
import type { Endpoint, FieldSpan } from '../model';
import { readDrillBody } from './drillBody';
import { endpointOf } from './endpoints';
import { Numbering, TimeKind, type DrillTimeRecord, type LineRecord, type PacketRecord } from './records';
import {
  DOT,
  SPACE,
  digitsEnd,
  digitsValue,
  findChar,
  isDigit,
  skipSpaces,
  startsAt,
  tokenEnd,
} from './scan';

/** packetdrill's defaults when a script does not name the endpoints (its --local_ip/--remote_ip). */
export const DRILL_REMOTE_HOST = '192.0.2.1';
export const DRILL_REMOTE_PORT = 8080;
export const DRILL_LOCAL_HOST = '192.168.0.1';
export const DRILL_LOCAL_PORT = 40000;

const NO_FIELDS: readonly FieldSpan[] = Object.freeze([]) as readonly FieldSpan[];

let numberEnd = 0;
/** `12`, `.1`, `0.250` at p → seconds, or -1. */
function seconds(text: string, p: number, end: number): number {
  const iEnd = digitsEnd(text, p, end);
  let v = iEnd > p ? digitsValue(text, p, iEnd) : 0;
  let q = iEnd;
  if (q < end && text.charCodeAt(q) === DOT) {
    const fEnd = digitsEnd(text, q + 1, end);
    if (fEnd === q + 1 && iEnd === p) return -1;
    if (fEnd > q + 1) v += Number(text.slice(q, fEnd));
    q = fEnd;
  } else if (iEnd === p) return -1;
  numberEnd = q;
  return v;
}

interface DrillTime {
  kind: TimeKind;
  value: number;
  next: number;
}

/** time_spec: `+N`, `N`, `*`, `N~N`, `+N~+N` (the lower bound is used). */
function readTimeSpec(text: string, p: number, end: number): DrillTime | null {
  if (p >= end) return null;
  if (text.charCodeAt(p) === 42) return { kind: TimeKind.DrillAny, value: 0, next: p + 1 };
  const rel = text.charCodeAt(p) === 43;
  const v = seconds(text, rel ? p + 1 : p, end);
  if (v < 0) return null;
  let q = numberEnd;
  if (q < end && text.charCodeAt(q) === 126) {
    // upper bound of a range: skip it
    q++;
    if (q < end && text.charCodeAt(q) === 43) q++;
    if (seconds(text, q, end) < 0) return null;
    q = numberEnd;
  }
  if (q < end && text.charCodeAt(q) !== SPACE && text.charCodeAt(q) !== 9) return null;
  return { kind: rel ? TimeKind.DrillRelative : TimeKind.DrillAbsolute, value: v, next: q };
}

export function readDrillLine(
  text: string,
  start: number,
  end: number,
  line: number,
  spans: FieldSpan[] | null,
): LineRecord | null {
  let p = skipSpaces(text, start, end);
  const timeStart = p;
  const t = readTimeSpec(text, p, end);
  if (t === null) return null;
  p = skipSpaces(text, t.next, end);
  const c = text.charCodeAt(p);
  if ((c !== 60 && c !== 62) || (p + 1 < end && text.charCodeAt(p + 1) !== SPACE)) {
    // A system call or shell command still moves the script clock.
    const wEnd = tokenEnd(text, p, end);
    const paren = findChar(text, 40, p, wEnd);
    if (
      c === 96 ||
      startsAt(text, p, end, '%{') ||
      (paren > p && /^[A-Za-z_]\w*$/.test(text.slice(p, paren)))
    ) {
      const r: DrillTimeRecord = { kind: 'drill-time', timeKind: t.kind, timeValue: t.value };
      return r;
    }
    return null;
  }
  if (spans !== null) spans.push({ kind: 'time', line, start: timeStart, end: t.next });
  const inbound = c === 60;
  p = skipSpaces(text, p + 1, end);
  let srcHost = inbound ? DRILL_REMOTE_HOST : DRILL_LOCAL_HOST;
  let dstHost = inbound ? DRILL_LOCAL_HOST : DRILL_REMOTE_HOST;
  let srcPort = inbound ? DRILL_REMOTE_PORT : DRILL_LOCAL_PORT;
  let dstPort = inbound ? DRILL_LOCAL_PORT : DRILL_REMOTE_PORT;
  let ecn: 'ECT(0)' | 'ECT(1)' | 'CE' | undefined;
  // encapsulation `ipv4 A > B:` and IP info `(ect0)` / `[ce]` / `(tos 0x2)`.
  for (;;) {
    if (startsAt(text, p, end, 'ipv4 ') || startsAt(text, p, end, 'ipv6 ')) {
      const aS = skipSpaces(text, p + 5, end);
      const aE = tokenEnd(text, aS, end);
      const bS = skipSpaces(text, aE, end) + 1;
      const b = skipSpaces(text, bS, end);
      const bE = tokenEnd(text, b, end);
      if (text.charCodeAt(bE - 1) === 58 && text.charCodeAt(bS - 1) === 62) {
        srcHost = text.slice(aS, aE);
        dstHost = text.slice(b, bE - 1);
      }
      p = skipSpaces(text, bE, end);
      continue;
    }
    const ch = text.charCodeAt(p);
    if (ch === 40 || ch === 91) {
      const close = findChar(text, ch === 40 ? 41 : 93, p, end);
      if (close < 0) break;
      const info = text.slice(p + 1, close);
      if (/\bce\b/.test(info)) ecn = 'CE';
      else if (/\bect0\b/.test(info)) ecn = 'ECT(0)';
      else if (/\bect1\b/.test(info)) ecn = 'ECT(1)';
      p = skipSpaces(text, close + 1, end);
      continue;
    }
    break;
  }
  // Optional `sport > dport`.
  const sE = digitsEnd(text, p, end);
  if (sE > p && startsAt(text, sE, end, ' > ') && isDigit(text.charCodeAt(sE + 3))) {
    const dE = digitsEnd(text, sE + 3, end);
    srcPort = digitsValue(text, p, sE);
    dstPort = digitsValue(text, sE + 3, dE);
    if (spans !== null) {
      spans.push({ kind: 'src-port', line, start: p, end: sE });
      spans.push({ kind: 'dst-port', line, start: sE + 3, end: dE });
    }
    p = skipSpaces(text, dE, end);
  }
  const body = readDrillBody(text, p, end, line, spans, false);
  if (body.kind === 'error') return body;
  const src: Endpoint = endpointOf(srcHost, srcPort);
  const dst: Endpoint = endpointOf(dstHost, dstPort);
  const r: { -readonly [K in keyof PacketRecord]: PacketRecord[K] } = {
    kind: 'packet',
    line,
    endLine: line,
    format: 'packetdrill',
    numbering: Numbering.Packetdrill,
    timeKind: t.kind,
    timeValue: t.value,
    src,
    dst,
    flags: body.flags,
    flagsKnown: true,
    printedSeq: body.seq,
    printedAck: body.ack,
    len: body.len,
    win: body.win,
    urg: body.urg,
    options: body.options,
    truncated: body.truncated,
    badChecksum: null,
    fields: spans === null ? NO_FIELDS : spans,
  };
  if (ecn !== undefined) r.ip = { ecn };
  return r;
}
