// The segment syntax packetdrill shares with tcpdump <= 3.9 (formats doc §1.2.10, §3):
// `FLAGS [start:end(len)] [ack N] [win N] [urg N] [<options>]`.
import type { FieldKind, FieldSpan, TcpOptions } from '../model';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../model';
import type { ErrorRecord } from './records';
import {
  COLON,
  detach,
  detachedSlice,
  digitsEnd,
  findChar,
  digitsValue,
  skipSpaces,
  startsAt,
  tokenEnd,
  UINT32_MAX,
} from './scan';
import { EMPTY_OPTIONS, readOptions } from './tcpdumpOptions';

export interface DrillBody {
  readonly kind: 'body';
  readonly flags: number;
  readonly seq: number | null;
  readonly ack: number | null;
  readonly len: number;
  readonly win: number | null;
  readonly urg: number | null;
  readonly options: TcpOptions;
  readonly truncated: boolean;
  readonly appText?: string;
}

function letterBit(c: number, oldTcpdump: boolean): number {
  switch (c) {
    case 70:
      return FIN;
    case 83:
      return SYN;
    case 82:
      return RST;
    case 80:
      return PSH;
    case 46:
      return oldTcpdump ? 0 : ACK; // old tcpdump: '.' = none of S/F/R/P; ACK comes from `ack N`
    case 85:
      return URG;
    case 69:
      return ECE;
    case 87:
      return CWR;
    case 65:
      return oldTcpdump ? -1 : AE; // packetdrill `A` = AccECN AE
    case 45:
      return oldTcpdump ? -1 : 0; // packetdrill `-` = no flags
    default:
      // packetdrill ACE digits (AccECN counter bits) are not TCP flags we track.
      return !oldTcpdump && c >= 48 && c <= 55 ? 0 : -1;
  }
}

function err(line: number, start: number, end: number, message: string): ErrorRecord {
  return { kind: 'error', line, start, end: Math.max(end, start + 1), message };
}

/**
 * Reads the body at p. `oldTcpdump` selects tcpdump 3.9's flag rules and its
 * trailing text (` (DF)`, application decoders); packetdrill allows neither.
 */
export function readDrillBody(
  text: string,
  p: number,
  end: number,
  line: number,
  spans: FieldSpan[] | null,
  oldTcpdump: boolean,
): DrillBody | ErrorRecord {
  const add = (kind: FieldKind, s: number, e: number): void => {
    if (spans !== null) spans.push({ kind, line, start: s, end: e });
  };
  const fEnd = tokenEnd(text, p, end);
  let flags = 0;
  for (let i = p; i < fEnd; i++) {
    const bit = letterBit(text.charCodeAt(i), oldTcpdump);
    if (bit < 0) return err(line, i, i + 1, `flags: unknown flag letter '${text[i]}'`);
    flags |= bit;
  }
  add('flags', p, fEnd);
  p = skipSpaces(text, fEnd, end);
  let seq: number | null = null;
  let ack: number | null = null;
  let len = 0;
  let win: number | null = null;
  let urg: number | null = null;
  let options: TcpOptions = EMPTY_OPTIONS;
  let truncated = false;
  let appText: string | undefined;

  // start:end(len)
  const sEnd = digitsEnd(text, p, end);
  if (sEnd > p && text.charCodeAt(sEnd) === COLON) {
    const eEnd = digitsEnd(text, sEnd + 1, end);
    if (eEnd === sEnd + 1 || text.charCodeAt(eEnd) !== 40)
      return err(line, p, tokenEnd(text, p, end), 'seq: expected start:end(length)');
    const lEnd = digitsEnd(text, eEnd + 1, end);
    if (lEnd === eEnd + 1 || text.charCodeAt(lEnd) !== 41)
      return err(line, eEnd, tokenEnd(text, eEnd, end), 'seq: expected (length)');
    const a = sEnd - p <= 10 ? digitsValue(text, p, sEnd) : -1;
    if (a < 0 || a > UINT32_MAX) return err(line, p, sEnd, 'seq: not a 32-bit number');
    seq = a;
    len = digitsValue(text, eEnd + 1, lEnd);
    add('seq', p, lEnd + 1);
    p = skipSpaces(text, lEnd + 1, end);
  }
  while (p < end) {
    const key = p;
    if (
      !oldTcpdump &&
      (startsAt(text, p, end, '//') || startsAt(text, p, end, '/*') || text.charCodeAt(p) === 35)
    ) {
      break; // a comment after the segment
    }
    if (startsAt(text, p, end, 'ack ') || startsAt(text, p, end, 'win ') || startsAt(text, p, end, 'urg ')) {
      const ns = skipSpaces(text, p + 4, end);
      const ne = digitsEnd(text, ns, end);
      if (ne === ns || ne - ns > 10)
        return err(line, ns, tokenEnd(text, ns, end), `${text.slice(p, p + 3)}: not a number`);
      const v = digitsValue(text, ns, ne);
      if (v > UINT32_MAX) return err(line, ns, ne, `${text.slice(p, p + 3)}: not a 32-bit number`);
      const c = text.charCodeAt(p);
      if (c === 97) {
        ack = v;
        add('ack', key, ne);
      } else if (c === 119) {
        win = v;
        add('win', key, ne);
      } else {
        urg = v;
        add('urg', key, ne);
      }
      p = skipSpaces(text, ne, end);
    } else if (text.charCodeAt(p) === 60) {
      // <options> ; `<...>` (packetdrill: not checked) gives none.
      const close = findChar(text, 62, p, end);
      if (close < 0) {
        options = readOptions(text, p + 1, end);
        add('options', p, end);
        truncated = true;
        break;
      }
      if (!startsAt(text, p, end, '<...>')) options = readOptions(text, p + 1, close);
      add('options', p, close + 1);
      p = skipSpaces(text, close + 1, end);
    } else if (oldTcpdump) {
      const rest = text.slice(p, end).trim();
      if (rest.includes('[|')) truncated = true;
      else if (rest !== '(DF)' && rest.length > 0) {
        appText = detach(rest.startsWith(': ') ? rest.slice(2) : rest);
        add('payload', p, end);
      }
      break;
    } else {
      return err(
        line,
        p,
        tokenEnd(text, p, end),
        `unknown field '${detachedSlice(text, p, tokenEnd(text, p, end))}'`,
      );
    }
  }
  if (oldTcpdump && ack !== null) flags |= ACK;
  const body: { -readonly [K in keyof DrillBody]: DrillBody[K] } = {
    kind: 'body',
    flags,
    seq,
    ack,
    len,
    win,
    urg,
    options,
    truncated,
  };
  if (appText !== undefined) body.appText = appText;
  return body;
}
