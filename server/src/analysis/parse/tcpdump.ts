// One tcpdump text line → LineRecord (formats doc §1). A hand-written scanner:
// the common `-n` line is read in one left-to-right pass with charCodeAt.
import type { Endpoint, FieldKind, FieldSpan, TcpOptions } from '../model';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG, AE } from '../model';
import { endpointAt, endpointProblem, endpointProblemAt } from './endpoints';
import {
  newPacketRecord,
  NO_FIELDS,
  Numbering,
  SKIP_PACKET,
  TimeKind,
  TsMode,
  type ErrorRecord,
  type LineContext,
  type LineRecord,
  type PacketRecord,
} from './records';
import {
  COLON,
  SPACE,
  detach,
  detachedSlice,
  findChar,
  digitsEnd,
  digitsValue,
  isDigit,
  isHexDigit,
  skipSpaces,
  startsAt,
  tokenEnd,
  UINT32_MAX,
} from './scan';
import { EMPTY_OPTIONS, optionListEnd, readOptionList } from './tcpdumpOptions';
import { readTcpdumpTime } from './timestamp';
import { readDrillBody } from './drillBody';

type IpInfo = { ttl?: number; ecn?: 'ECT(0)' | 'ECT(1)' | 'CE'; id?: number };

/** Per-line scratch state, reset by readTcpdumpLine (no allocation per line). */
const st = {
  line: 0,
  spans: null as FieldSpan[] | null,
  /** Timestamp layout to report on this record (Unknown: nothing to learn). */
  learn: TsMode.Unknown as TsMode,
  timeKind: TimeKind.None as TimeKind,
  timeValue: 0,
  src: null as Endpoint | null,
  dst: null as Endpoint | null,
  ip: undefined as IpInfo | undefined,
};

function span(kind: FieldKind, start: number, end: number): void {
  if (st.spans !== null) st.spans.push({ kind, line: st.line, start, end });
}

function error(start: number, end: number, message: string): ErrorRecord {
  return { kind: 'error', line: st.line, start, end: Math.max(end, start + 1), message };
}

/** Flag letters in tcpdump's fixed order (formats doc §1.2.1); `e` is AccECN's AE; -1 for others. */
export function flagBit(c: number): number {
  switch (c) {
    case 70:
      return FIN; // F
    case 83:
      return SYN; // S
    case 82:
      return RST; // R
    case 80:
      return PSH; // P
    case 46:
      return ACK; // .
    case 85:
      return URG; // U
    case 69:
      return ECE; // E
    case 87:
      return CWR; // W
    case 101:
      return AE; // e
    default:
      return -1;
  }
}

/** Is [p, p+17) a MAC address `xx:xx:xx:xx:xx:xx`? */
function isMac(text: string, p: number, end: number): boolean {
  if (p + 17 > end) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(p + i);
    if (i % 3 === 2 ? c !== COLON : !isHexDigit(c)) return false;
  }
  return true;
}

/** The `(tos ..., ttl N, id N, ...)` / `(class ..., hlim N, ...)` IP header; null when it is not TCP. */
function readIpHeader(text: string, p: number, close: number): IpInfo | null {
  const inner = text.slice(p, close);
  const proto = inner.indexOf('proto ');
  if (proto >= 0 && !inner.startsWith('TCP', proto + 6)) return null;
  const next = inner.indexOf('next-header ');
  if (next >= 0 && !inner.startsWith('TCP', next + 12)) return null;
  const ip: IpInfo = {};
  const ttlAt = inner.indexOf('ttl ');
  const hlimAt = inner.indexOf('hlim ');
  const t = ttlAt >= 0 ? ttlAt + 4 : hlimAt >= 0 ? hlimAt + 5 : -1;
  if (t >= 0) {
    const e = digitsEnd(inner, t, inner.length);
    if (e > t) ip.ttl = digitsValue(inner, t, e);
  }
  const idAt = inner.indexOf(', id ');
  if (idAt >= 0) {
    const e = digitsEnd(inner, idAt + 5, inner.length);
    if (e > idAt + 5) ip.id = digitsValue(inner, idAt + 5, e);
  }
  if (inner.includes(',CE')) ip.ecn = 'CE';
  else if (inner.includes(',ECT(0)')) ip.ecn = 'ECT(0)';
  else if (inner.includes(',ECT(1)')) ip.ecn = 'ECT(1)';
  else if (inner.startsWith('class 0x')) {
    // IPv6 traffic class: the low two bits are the ECN field.
    const e = inner.indexOf(',');
    const cls = parseInt(inner.slice(8, e < 0 ? inner.length : e), 16);
    const ecn = cls & 3;
    if (ecn === 1) ip.ecn = 'ECT(1)';
    else if (ecn === 2) ip.ecn = 'ECT(0)';
    else if (ecn === 3) ip.ecn = 'CE';
  }
  return ip;
}

/** Matching `)` for the `(` at open, counting nested pairs (`proto TCP (6)`); -1 if none. */
function closingParen(text: string, open: number, end: number): number {
  let depth = 0;
  for (let p = open; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return p;
  }
  return -1;
}

/**
 * Reads a tcpdump line in [start, end). Returns null when the line is not a
 * tcpdump packet line at all (the caller tries the other formats), an
 * ErrorRecord when it is one but a field cannot be read.
 */
export function readTcpdumpLine(
  text: string,
  start: number,
  end: number,
  lineNo: number,
  ctx: LineContext,
  spans: FieldSpan[] | null,
): LineRecord | null {
  st.line = lineNo;
  st.spans = spans;
  st.learn = TsMode.Unknown;
  let p = start;
  let timeKind = TimeKind.None;
  let timeValue = 0;
  let ip: IpInfo | undefined;

  if (ctx.afterIpHeader && p < end && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === 9)) {
    // Second line of the IPv4 -v form: `    a.b > c.d: Flags ...`.
    p = skipSpaces(text, p, end);
    return readSegment(text, p, end, lineNo, timeKind, timeValue, undefined, start, false);
  }

  // `-#` packet number: `%5u  `.
  const lead = skipSpaces(text, p, end);
  const nEnd = digitsEnd(text, lead, end);
  if (nEnd > lead && startsAt(text, nEnd, end, '  ')) {
    span('number', lead, nEnd);
    p = nEnd + 2;
  }

  const t = readTcpdumpTime(text, p, end);
  if (t.ok) {
    if (t.mode !== TsMode.Unknown && ctx.tsMode !== TsMode.Unknown && t.mode !== ctx.tsMode) return null;
    span('time', p, t.next - 1);
    timeKind = t.kind;
    timeValue = t.value;
    p = t.next;
  } else {
    if (ctx.tsMode !== TsMode.Unknown && ctx.tsMode !== TsMode.None) return null;
    p = skipSpaces(text, p, end);
  }
  const timed = t.ok;
  st.learn = ctx.tsMode === TsMode.Unknown ? (timed ? t.mode : TsMode.None) : TsMode.Unknown;

  // Link layer and the IP word.
  let v6 = false;
  if (startsAt(text, p, end, 'IP ')) {
    p += 3;
  } else if (startsAt(text, p, end, 'IP6 ')) {
    p += 4;
    v6 = true;
  } else if (startsAt(text, p, end, 'ip: ') || startsAt(text, p, end, 'ip6: ')) {
    // -e on a raw-IP link (TUN devices): `ip: ` / `ip6: ` instead of a MAC header.
    v6 = text.charCodeAt(p + 2) === 54;
    p += v6 ? 5 : 4;
  } else {
    const tokEnd = tokenEnd(text, p, end);
    if (tokEnd === p) return null;
    const rest = isMac(text, p, end) || timed ? text.slice(p, end) : '';
    const eth = rest.indexOf('ethertype ');
    if (eth >= 0) {
      // -e: `MAC > MAC, [vlan...] ethertype IPv4 (0x0800), length N: ` and no IP word.
      const v4At = rest.indexOf('ethertype IPv4 (0x0800), ');
      const v6At = rest.indexOf('ethertype IPv6 (0x86dd), ');
      const rel = v4At >= 0 ? v4At : v6At;
      if (rel < 0) return SKIP_PACKET;
      v6 = rel === v6At;
      const at = p + rel;
      // `ethertype IPv4 (0x0800), length N: ` — after a VLAN tag without the length.
      p = at + 25;
      if (startsAt(text, p, end, 'length ')) {
        const lenEnd = digitsEnd(text, p + 7, end);
        if (lenEnd === p + 7 || !startsAt(text, lenEnd, end, ': ')) return SKIP_PACKET;
        p = lenEnd + 2;
      }
    } else {
      // -i any (Linux cooked v2): `IFNAME In  IP ...` even without -e.
      const dir = skipSpaces(text, tokEnd, end);
      const dirEnd = tokenEnd(text, dir, end);
      const word = text.slice(dir, dirEnd);
      if (dirEnd > dir && (word === 'In' || word === 'Out' || word === 'B' || word === 'M' || word === 'P')) {
        const q = skipSpaces(text, dirEnd, end);
        if (startsAt(text, q, end, 'IP ')) p = q + 3;
        else if (startsAt(text, q, end, 'IP6 ')) {
          p = q + 4;
          v6 = true;
        } else return SKIP_PACKET;
      } else if (timed && startsAt(text, tokEnd, end, ' > ')) {
        // tcpdump 3.7 and older print no `IP ` word: `TIME a.b > c.d: S 1:1(0) ...`.
        return readSegment(text, p, end, lineNo, timeKind, timeValue, undefined, start, timed);
      } else if (timed) {
        // A timestamped line of another protocol (ARP, ...).
        return SKIP_PACKET;
      } else return null;
    }
  }

  // `IP truncated-ip - 20 bytes missing! a.b > c.d: ...`: the IP packet was cut short.
  let ipTruncated = false;
  if (startsAt(text, p, end, 'truncated-ip - ')) {
    const bang = findChar(text, 33, p, end);
    if (bang < 0) return SKIP_PACKET;
    p = skipSpaces(text, bang + 1, end);
    ipTruncated = true;
  }

  // -v IP header in parentheses.
  if (p < end && text.charCodeAt(p) === 40) {
    const close = closingParen(text, p, end);
    if (close < 0) return timed ? SKIP_PACKET : null;
    const info = readIpHeader(text, p + 1, close);
    if (info === null) return SKIP_PACKET;
    const after = skipSpaces(text, close + 1, end);
    if (after >= end) {
      return {
        kind: 'ip-header',
        line: lineNo,
        timeKind,
        timeValue,
        ip: info,
        fields: spans === null ? NO_FIELDS : spans,
        ...(st.learn !== TsMode.Unknown ? { learnedTsMode: st.learn } : {}),
      };
    }
    ip = info;
    p = after;
  }
  void v6;
  const seg = readSegment(text, p, end, lineNo, timeKind, timeValue, ip, start, timed);
  return ipTruncated && seg !== null && seg.kind === 'packet' ? { ...seg, truncated: true } : seg;
}

/** `src > dst: body` from p. */
function readSegment(
  text: string,
  p: number,
  end: number,
  lineNo: number,
  timeKind: TimeKind,
  timeValue: number,
  ip: IpInfo | undefined,
  _lineStart: number,
  timed: boolean,
): LineRecord | null {
  const srcEnd = tokenEnd(text, p, end);
  if (!startsAt(text, srcEnd, end, ' > ')) return timed ? SKIP_PACKET : null;
  const dstStart = srcEnd + 3;
  const dstTokEnd = tokenEnd(text, dstStart, end);
  if (dstTokEnd <= dstStart + 1 || text.charCodeAt(dstTokEnd - 1) !== COLON)
    return timed ? SKIP_PACKET : null;
  const dstEnd = dstTokEnd - 1;
  let b = dstTokEnd; // at the space after `:`
  // What kind of body? TCP: `Flags [`, `tcp N` (-q), `[|tcp]`, or the old format.
  let quiet = false;
  let oldFormat = false;
  let truncatedEarly = false;
  if (startsAt(text, b, end, ' Flags [')) {
    b += 8;
  } else if (startsAt(text, b, end, ' tcp ') && isDigit(text.charCodeAt(b + 5))) {
    quiet = true;
    b += 5;
  } else if (
    startsAt(text, skipSpaces(text, b, end), end, '[|tcp]') ||
    startsAt(text, skipSpaces(text, b, end), end, '[remaining caplen')
  ) {
    truncatedEarly = true;
  } else if (isOldFormatBody(text, b + 1, end)) {
    oldFormat = true;
    b += 1;
  } else {
    return SKIP_PACKET;
  }

  const src = endpointAt(text, p, srcEnd);
  if (src === null) return addrError(text, p, srcEnd);
  const dst = endpointAt(text, dstStart, dstEnd);
  if (dst === null) return addrError(text, dstStart, dstEnd);
  addrSpans(text, p, srcEnd, 'src-host', 'src-port');
  addrSpans(text, dstStart, dstEnd, 'dst-host', 'dst-port');

  st.timeKind = timeKind;
  st.timeValue = timeValue;
  st.src = src;
  st.dst = dst;
  st.ip = ip;
  if (truncatedEarly) return packet(0, false, null, null, 0, null, null, EMPTY_OPTIONS, true, null);
  if (quiet) {
    const e = digitsEnd(text, b, end);
    span('length', b, e);
    const rest = tail(text, e, end);
    const cut = rest === TRUNCATED;
    return packet(0, false, null, null, digitsValue(text, b, e), null, null, EMPTY_OPTIONS, cut, null, rest);
  }
  if (oldFormat) {
    const body = readDrillBody(text, b, end, lineNo, st.spans, true);
    if (body.kind === 'error') return body;
    return packet(
      body.flags,
      true,
      body.seq,
      body.ack,
      body.len,
      body.win,
      body.urg,
      body.options,
      body.truncated,
      null,
      body.appText,
      Numbering.Tcpdump,
    );
  }

  // Flags [...]
  const fClose = findChar(text, 93, b, end);
  if (fClose < 0) return error(b, end, 'flags: missing "]"');
  let flags = 0;
  if (!(fClose - b === 4 && startsAt(text, b, end, 'none'))) {
    for (let i = b; i < fClose; i++) {
      const bit = flagBit(text.charCodeAt(i));
      if (bit < 0) return error(i, i + 1, `flags: unknown flag letter '${text[i]}'`);
      flags |= bit;
    }
  }
  span('flags', b - 7, fClose + 1);
  p = fClose + 1;

  let seq: number | null = null;
  let ack: number | null = null;
  let len = -1;
  let win: number | null = null;
  let urg: number | null = null;
  let options: TcpOptions = EMPTY_OPTIONS;
  let badChecksum: boolean | null = null;
  let truncated = false;
  let appText: string | undefined;
  let seqEndPrinted = -1;

  // `, key value` fields until `, length N`.
  while (p < end) {
    if (text.charCodeAt(p) === SPACE && startsAt(text, p, end, ' [|')) {
      truncated = true;
      appText = undefined;
      break;
    }
    if (text.charCodeAt(p) !== 44 || text.charCodeAt(p + 1) !== SPACE) {
      return error(p, tokenEnd(text, p, end), 'expected ", " and a field after the flags');
    }
    p += 2;
    const c = text.charCodeAt(p);
    if (c === 115 && startsAt(text, p, end, 'seq ')) {
      const v = num(text, p + 4, end);
      if (v < 0) return error(p + 4, valueEnd(text, p + 4, end), 'seq: not a 32-bit number');
      seq = v;
      let q = numEnd;
      if (q < end && text.charCodeAt(q) === COLON) {
        const v2 = num(text, q + 1, end);
        if (v2 < 0)
          return error(q + 1, valueEnd(text, q + 1, end), 'seq: end of range is not a 32-bit number');
        seqEndPrinted = v2;
        q = numEnd;
      }
      span('seq', p, q);
      p = q;
    } else if (c === 97 && startsAt(text, p, end, 'ack ')) {
      const v = num(text, p + 4, end);
      if (v < 0) return error(p + 4, valueEnd(text, p + 4, end), 'ack: not a 32-bit number');
      ack = v;
      span('ack', p, numEnd);
      p = numEnd;
    } else if (c === 119 && startsAt(text, p, end, 'win ')) {
      const v = num(text, p + 4, end);
      if (v < 0) return error(p + 4, valueEnd(text, p + 4, end), 'win: not a number');
      win = v;
      span('win', p, numEnd);
      p = numEnd;
    } else if (c === 111 && startsAt(text, p, end, 'options [')) {
      options = readOptionList(text, p + 9, end);
      const close = optionListEnd;
      if (close < 0) {
        // Options cut off by the snap length (`options [mss 1460,sackOK, [|tcp]`).
        span('options', p, end);
        truncated = true;
        break;
      }
      span('options', p, close + 1);
      p = close + 1;
    } else if (c === 108 && startsAt(text, p, end, 'length ')) {
      const v = num(text, p + 7, end);
      if (v < 0) return error(p + 7, valueEnd(text, p + 7, end), 'length: not a number');
      len = v;
      span('length', p, numEnd);
      p = numEnd;
      const tl = tail(text, p, end);
      if (tl === TRUNCATED) truncated = true;
      else appText = tl;
      if (appText !== undefined) span('payload', p, end);
      break;
    } else if (c === 99 && startsAt(text, p, end, 'cksum 0x')) {
      const q = tokenEnd(text, p + 8, end);
      if (startsAt(text, q, end, ' (correct)')) {
        badChecksum = false;
        p = q + 10;
      } else if (startsAt(text, q, end, ' (incorrect')) {
        badChecksum = true;
        const close = findChar(text, 41, q, end);
        p = close < 0 ? end : close + 1;
      } else {
        const close = startsAt(text, q, end, ' (') ? findChar(text, 41, q, end) : -1;
        p = close < 0 ? q : close + 1;
      }
    } else if (c === 117 && startsAt(text, p, end, 'urg ')) {
      const v = num(text, p + 4, end);
      if (v < 0) return error(p + 4, valueEnd(text, p + 4, end), 'urg: not a number');
      urg = v;
      span('urg', p, numEnd);
      p = numEnd;
    } else if (c === 91 && startsAt(text, p, end, '[ack ')) {
      // -vv: `[ack N != 0 while ACK flag not set]`
      const v = num(text, p + 5, end);
      const close = findChar(text, 93, p, end);
      if (v < 0 || close < 0) return error(p, end, 'ack note: cannot read');
      ack = v;
      span('ack', p, close + 1);
      p = close + 1;
    } else if (c === 91 && startsAt(text, p, end, '[urg ')) {
      const close = findChar(text, 93, p, end);
      if (close < 0) return error(p, end, 'urg note: cannot read');
      p = close + 1;
    } else if (c === 91 && startsAt(text, p, end, '[bad hdr length')) {
      truncated = true;
      break;
    } else {
      return error(
        p,
        tokenEnd(text, p, end),
        `unknown field '${detachedSlice(text, p, tokenEnd(text, p, end))}'`,
      );
    }
  }
  if (len < 0) {
    // After `[bad opt]` tcpdump stops printing the header: the length is missing.
    if (options.bad === true) truncated = true;
    if (!truncated) return error(end - 1, end, 'line ends before "length N"');
    len = seq !== null && seqEndPrinted >= 0 ? (seqEndPrinted - seq) >>> 0 : 0;
  }
  void seqEndPrinted;
  return packet(flags, true, seq, ack, len, win, urg, options, truncated, badChecksum, appText);
}

let numEnd = 0;
/** uint32 at p, or -1 (numEnd = end of the digits). */
function num(text: string, p: number, end: number): number {
  // One pass: value and end together (this runs for every number of every line).
  let v = 0;
  let e = p;
  while (e < end) {
    const d = text.charCodeAt(e) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    e++;
  }
  numEnd = e;
  if (e === p || e - p > 10 || v > UINT32_MAX) return -1;
  return v;
}

const TRUNCATED = '\u0000truncated';

/** What follows `length N`: nothing, a truncation marker, or application text. */
function tail(text: string, p: number, end: number): string | undefined {
  if (p >= end) return undefined;
  const rest = text.slice(p, end);
  if (rest.includes('[|') || rest.includes('[remaining caplen') || rest.includes('[bad hdr length'))
    return TRUNCATED;
  let s = 0;
  if (rest.startsWith(': ')) s = 2;
  const out = rest.slice(s).trim();
  return out.length > 0 ? detach(out) : undefined;
}

function isOldFormatBody(text: string, p: number, end: number): boolean {
  // `S 1:1(0) ...`, `P 1:203(202) ack 1 ...`, `. ack 1 win ...` (tcpdump <= 3.9).
  let q = p;
  while (q < end) {
    const c = text.charCodeAt(q);
    if (c === 83 || c === 70 || c === 82 || c === 80 || c === 87 || c === 69 || c === 85 || c === 46) q++;
    else break;
  }
  if (q === p || !startsAt(text, q, end, ' ')) return false;
  q++;
  if (startsAt(text, q, end, 'ack ') || startsAt(text, q, end, 'win ')) return true;
  const e = digitsEnd(text, q, end);
  return e > q && text.charCodeAt(e) === COLON;
}

function addrError(_text: string, start: number, stop: number): ErrorRecord {
  // Mark the port when the port is the problem, else the whole address.
  return endpointProblemAt > 0
    ? error(start + endpointProblemAt, stop, endpointProblem)
    : error(start, stop, endpointProblem);
}

/** End of a field value: the next space or comma. */
function valueEnd(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === SPACE || c === 44) break;
    p++;
  }
  return p;
}

function addrSpans(
  text: string,
  start: number,
  stop: number,
  hostKind: FieldKind,
  portKind: FieldKind,
): void {
  if (st.spans === null) return;
  const dot = text.lastIndexOf('.', stop - 1);
  span(hostKind, start, dot);
  span(portKind, dot + 1, stop);
}

function packet(
  flags: number,
  flagsKnown: boolean,
  seq: number | null,
  ack: number | null,
  len: number,
  win: number | null,
  urg: number | null,
  options: TcpOptions,
  truncated: boolean,
  badChecksum: boolean | null,
  appText?: string,
  numbering: Numbering = Numbering.Tcpdump,
): PacketRecord {
  const r = newPacketRecord();
  r.line = st.line;
  r.endLine = st.line;
  r.numbering = numbering;
  r.timeKind = st.timeKind;
  r.timeValue = st.timeValue;
  r.src = st.src as Endpoint;
  r.dst = st.dst as Endpoint;
  r.flags = flags;
  r.flagsKnown = flagsKnown;
  r.printedSeq = seq;
  r.printedAck = ack;
  r.len = len;
  r.win = win;
  r.urg = urg;
  r.options = options;
  r.truncated = truncated;
  r.badChecksum = badChecksum;
  r.ip = st.ip;
  r.appText = appText === TRUNCATED ? undefined : appText;
  r.fields = st.spans === null ? NO_FIELDS : st.spans;
  r.learnedTsMode = st.learn === TsMode.Unknown ? undefined : st.learn;
  return r;
}
