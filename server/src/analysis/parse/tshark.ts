// tshark's default one-line summary and Wireshark's tab-separated packet-list
// copy (formats doc §2): `NUM TIME SRC → DST TCP LEN [labels] sport → dport [FLAGS] Seq=...`.
import type { FieldKind, FieldSpan, SackBlock, TcpOptions } from '../model';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../model';
import { endpointOf } from './endpoints';
import {
  Numbering,
  SKIP_PACKET,
  TimeKind,
  type ErrorRecord,
  type LineRecord,
  type PacketRecord,
} from './records';
import {
  COLON,
  detach,
  detachedSlice,
  DOT,
  digitsEnd,
  digitsValue,
  findChar,
  isDigit,
  skipSpaces,
  tokenEnd,
  UINT32_MAX,
} from './scan';
import { servicePort } from './services';
import { EMPTY_OPTIONS } from './tcpdumpOptions';

const NO_FIELDS: readonly FieldSpan[] = Object.freeze([]) as readonly FieldSpan[];

function isArrow(tok: string): boolean {
  return tok === '→' || tok === '->' || tok === '?' || tok === '>';
}

/** A time column: `0.000123`, `1700000000.123`, `12:00:00.1`, `2024-01-01` (first half of `-t ad`). */
function isTimeToken(text: string, s: number, e: number): boolean {
  if (s >= e || !isDigit(text.charCodeAt(s))) return false;
  let dots = 0;
  let colons = 0;
  let dashes = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) dots++;
    else if (c === COLON) colons++;
    else if (c === 45) dashes++;
    else if (!isDigit(c)) return false;
  }
  // One dot (an IPv4 address has three), a clock, or a date.
  if (dashes === 2) return dots === 0 && colons === 0;
  if (colons === 2) return dots <= 1 && dashes === 0;
  return dots === 1 && colons === 0 && dashes === 0;
}

function flagOf(name: string): number {
  switch (name) {
    case 'FIN':
      return FIN;
    case 'SYN':
      return SYN;
    case 'RST':
      return RST;
    case 'PSH':
      return PSH;
    case 'ACK':
      return ACK;
    case 'URG':
      return URG;
    case 'ECN':
    case 'ECE':
      return ECE;
    case 'CWR':
      return CWR;
    case 'NS':
    case 'AE':
      return AE;
    case 'Reserved':
      return 0;
    default:
      return -1;
  }
}

/** Value of the time column(s) in seconds (`-t ad` date + clock, `-t a` clock, decimal). */
function timeValue(tokens: readonly string[]): { kind: TimeKind; value: number } {
  const joined = tokens.join(' ');
  const m = /^(?:(\d{4})-(\d\d)-(\d\d) )?(?:(\d+):(\d\d):(\d\d(?:\.\d+)?)|(\d+(?:\.\d+)?))$/.exec(joined);
  if (m === null) return { kind: TimeKind.None, value: 0 };
  if (m[7] !== undefined) {
    const v = Number(m[7]);
    return { kind: v > 1e8 ? TimeKind.Absolute : TimeKind.SinceFirst, value: v };
  }
  const clock = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (m[1] === undefined) return { kind: TimeKind.TimeOfDay, value: clock };
  const days = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000;
  return { kind: TimeKind.Absolute, value: days * 86400 + clock };
}

/** `80`, or `http(80)` (tshark -N t); -1 when neither. */
function portOf(tok: string): { port: number; service?: string } | null {
  if (/^\d{1,5}$/.test(tok)) {
    const port = Number(tok);
    return port <= 65535 ? { port } : null;
  }
  const m = /^([A-Za-z][\w.-]*)\((\d{1,5})\)$/.exec(tok);
  if (m !== null) return { port: Number(m[2]), service: m[1] as string };
  const p = servicePort(tok);
  return p >= 0 ? { port: p, service: tok } : null;
}

export function readTsharkLine(
  text: string,
  start: number,
  end: number,
  line: number,
  spans: FieldSpan[] | null,
): LineRecord | null {
  const add = (kind: FieldKind, s: number, e: number): void => {
    if (spans !== null) spans.push({ kind, line, start: s, end: e });
  };
  const err = (s: number, e: number, message: string): ErrorRecord => ({
    kind: 'error',
    line,
    start: s,
    end: Math.max(e, s + 1),
    message,
  });
  // Columns: NUM, TIME (1-2 tokens), SRC, [ARROW], DST, PROTO, LEN.
  let p = skipSpaces(text, start, end);
  const numEnd = digitsEnd(text, p, end);
  if (numEnd === p || tokenEnd(text, p, end) !== numEnd) return null;
  add('number', p, numEnd);
  p = skipSpaces(text, numEnd, end);
  const times: string[] = [];
  const timeStart = p;
  let timeEnd = p;
  while (times.length < 2) {
    const e = tokenEnd(text, p, end);
    if (!isTimeToken(text, p, e)) break;
    times.push(text.slice(p, e));
    timeEnd = e;
    p = skipSpaces(text, e, end);
  }
  if (times.length === 0) return null;
  add('time', timeStart, timeEnd);
  const srcS = p;
  const srcE = tokenEnd(text, p, end);
  if (srcE === srcS) return null;
  p = skipSpaces(text, srcE, end);
  let e = tokenEnd(text, p, end);
  if (isArrow(text.slice(p, e))) {
    p = skipSpaces(text, e, end);
    e = tokenEnd(text, p, end);
  }
  const dstS = p;
  const dstE = e;
  if (dstE === dstS) return null;
  p = skipSpaces(text, dstE, end);
  const protoE = tokenEnd(text, p, end);
  const proto = text.slice(p, protoE);
  p = skipSpaces(text, protoE, end);
  const lenE = digitsEnd(text, p, end);
  if (lenE === p || tokenEnd(text, p, end) !== lenE || proto.length === 0) return null;
  p = skipSpaces(text, lenE, end);
  // MPTCP lines are TCP segments with the MPTCP option; other protocols hide the TCP fields.
  if (proto !== 'TCP' && proto !== 'MPTCP') return SKIP_PACKET;

  // Info column: [labels] sport → dport [FLAGS] Seq=...
  const labels: string[] = [];
  while (p < end && text.charCodeAt(p) === 91) {
    const close = findChar(text, 93, p, end);
    if (close < 0) return err(p, end, 'analysis label: missing "]"');
    labels.push(detachedSlice(text, p + 1, close));
    add('analysis', p, close + 1);
    p = skipSpaces(text, close + 1, end);
  }
  const spS = p;
  const spE = tokenEnd(text, p, end);
  p = skipSpaces(text, spE, end);
  const arE = tokenEnd(text, p, end);
  if (!isArrow(text.slice(p, arE))) {
    // No ports: a TCP line whose info a reassembly or decoder replaced; nothing to read.
    return SKIP_PACKET;
  }
  p = skipSpaces(text, arE, end);
  const dpS = p;
  const dpE = tokenEnd(text, p, end);
  const sport = portOf(text.slice(spS, spE));
  if (sport === null) return err(spS, spE, `source port '${text.slice(spS, spE)}' is not a number`);
  const dport = portOf(text.slice(dpS, dpE));
  if (dport === null) return err(dpS, dpE, `destination port '${text.slice(dpS, dpE)}' is not a number`);
  add('src-host', srcS, srcE);
  add('dst-host', dstS, dstE);
  add('src-port', spS, spE);
  add('dst-port', dpS, dpE);
  p = skipSpaces(text, dpE, end);
  if (text.charCodeAt(p) !== 91) return err(p, tokenEnd(text, p, end), 'flags: expected "[" after the ports');
  const fClose = findChar(text, 93, p, end);
  if (fClose < 0) return err(p, end, 'flags: missing "]"');
  let flags = 0;
  const flagText = text.slice(p + 1, fClose);
  if (flagText !== '<None>') {
    let off = p + 1;
    for (const name of flagText.split(', ')) {
      const bit = flagOf(name);
      if (bit < 0) return err(off, off + name.length, `flags: unknown flag '${name}'`);
      flags |= bit;
      off += name.length + 2;
    }
  }
  add('flags', p, fClose + 1);
  p = skipSpaces(text, fClose + 1, end);

  let seq: number | null = null;
  let ack: number | null = null;
  let win: number | null = null;
  let urg: number | null = null;
  let len = 0;
  const o: { -readonly [K in keyof TcpOptions]: TcpOptions[K] } & { other?: string[] } = {};
  let anyOption = false;
  let sle = -1;
  const sack: SackBlock[] = [];
  let optStart = -1;
  let optEnd = -1;
  while (p < end) {
    const tE = tokenEnd(text, p, end);
    if (text.charCodeAt(p) === 91) {
      // Trailing notes such as `[TCP segment of a reassembled PDU]`.
      const close = findChar(text, 93, p, end);
      const stop = close < 0 ? end : close + 1;
      labels.push(detachedSlice(text, p + 1, close < 0 ? end : close));
      add('analysis', p, stop);
      p = skipSpaces(text, stop, end);
      continue;
    }
    const eq = findChar(text, 61, p, tE);
    const key = eq < 0 ? text.slice(p, tE) : text.slice(p, eq);
    let v = -1;
    if (eq >= 0) {
      const vE = digitsEnd(text, eq + 1, tE);
      if (vE === tE && vE > eq + 1 && vE - eq - 1 <= 10) v = digitsValue(text, eq + 1, vE);
      if (v > UINT32_MAX) return err(eq + 1, tE, `${detach(key)}: not a 32-bit number`);
    }
    if (v < 0 && (key === 'Seq' || key === 'Ack' || key === 'Win' || key === 'Len' || key === 'Urg')) {
      return err(eq < 0 ? p : eq + 1, tE, `${key}: not a number`);
    }
    let isOption = false;
    switch (key) {
      case 'Seq':
        seq = v;
        add('seq', p, tE);
        break;
      case 'Ack':
        ack = v;
        add('ack', p, tE);
        break;
      case 'Win':
        win = v;
        add('win', p, tE);
        break;
      case 'Urg':
        urg = v;
        add('urg', p, tE);
        break;
      case 'Len':
        len = v;
        add('length', p, tE);
        break;
      case 'MSS':
        if (v >= 0) o.mss = v;
        isOption = true;
        break;
      case 'WS':
        if (v > 0) o.wscale = Math.round(Math.log2(v));
        isOption = true;
        break;
      case 'SACK_PERM':
        o.sackPermitted = true;
        isOption = true;
        break;
      case 'TSval':
        if (v >= 0) o.tsVal = v;
        isOption = true;
        break;
      case 'TSecr':
        if (v >= 0) o.tsEcr = v;
        isOption = true;
        break;
      case 'SLE':
        sle = v;
        isOption = true;
        break;
      case 'SRE':
        if (sle >= 0 && v >= 0) sack.push({ left: sle, right: v });
        sle = -1;
        isOption = true;
        break;
      default: {
        if (eq > p) {
          // Another option (`TFO=R`, `MD5`...): kept as printed.
          (o.other ??= []).push(detachedSlice(text, p, tE));
          isOption = true;
          break;
        }
        const rest = text.slice(p, end).trim();
        if (rest.length > 0) labels.push(detach(rest));
        p = end;
        continue;
      }
    }
    if (isOption) {
      anyOption = true;
      if (optStart < 0) optStart = p;
      optEnd = tE;
    }
    p = skipSpaces(text, tE, end);
  }
  if (seq === null) return err(fClose + 1, end, 'Seq= is missing');
  if (optStart >= 0) add('options', optStart, optEnd);
  if (sack.length > 0) o.sack = sack;
  const options: TcpOptions = anyOption ? o : EMPTY_OPTIONS;
  const r: { -readonly [K in keyof PacketRecord]: PacketRecord[K] } = {
    kind: 'packet',
    line,
    endLine: line,
    format: 'tshark',
    numbering: Numbering.AsPrinted,
    ...timeOf(times),
    src: endpointOf(text.slice(srcS, srcE), sport.port, sport.service),
    dst: endpointOf(text.slice(dstS, dstE), dport.port, dport.service),
    flags,
    flagsKnown: true,
    printedSeq: seq,
    printedAck: (flags & ACK) !== 0 ? ack : null,
    len,
    win,
    urg,
    options,
    truncated: false,
    badChecksum: labels.includes('TCP CHECKSUM INCORRECT') ? true : null,
    fields: spans === null ? NO_FIELDS : spans,
  };
  if (labels.length > 0) r.toolLabels = labels;
  return r;
}

function timeOf(times: readonly string[]): { timeKind: TimeKind; timeValue: number } {
  const t = timeValue(times);
  return { timeKind: t.kind, timeValue: t.value };
}
