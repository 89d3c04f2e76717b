// The `options [...]` list of a tcpdump line (formats doc §1.1 `opt`), and the
// `<...>` list of old tcpdump / packetdrill lines, into TcpOptions. Tolerant:
// an option it does not know is kept as printed in `other`.
import type { SackBlock, TcpOptions } from '../model';
import { COLON, COMMA, SPACE, detachedSlice, digitsEnd, digitsValue, skipSpaces, startsAt } from './scan';

export const EMPTY_OPTIONS: TcpOptions = Object.freeze({});

/** TcpOptions while it is being read (also the capture decoder's, pcap/segments.ts). */
export interface MutableOptions {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  sack?: SackBlock[];
  tsVal?: number;
  tsEcr?: number;
  tfo?: { cookie?: string; request: boolean };
  mptcp?: string;
  other?: string[];
  bad?: boolean;
}

/** Number at p (after optional spaces) or -1; numEnd holds the end. */
let numEnd = 0;
function num(text: string, p: number, end: number): number {
  p = skipSpaces(text, p, end);
  const e = digitsEnd(text, p, end);
  numEnd = e;
  if (e === p || e - p > 10) return -1;
  return digitsValue(text, p, e);
}

/** End of the option that starts at p: the next comma outside brackets/braces, or end. */
function optionEnd(text: string, p: number, end: number): number {
  let depth = 0;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && depth > 0) depth--;
    // md5's `shared secret not supplied with -M, can't check - HEX` holds a comma.
    else if (c === COMMA && depth === 0 && !startsAt(text, p, end, ", can't check")) return p;
    p++;
  }
  return end;
}

function addOther(o: MutableOptions, s: string): void {
  if (o.other === undefined) o.other = [s];
  else o.other.push(s);
}

/** `{a:b}{c:d}` (tcpdump) or `a:b c:d` (packetdrill) SACK blocks, as printed. */
function readSackBlocks(text: string, p: number, end: number): SackBlock[] {
  const blocks: SackBlock[] = [];
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 123 || c === SPACE) {
      p++;
      continue;
    }
    const left = num(text, p, end);
    if (left < 0 || numEnd >= end || text.charCodeAt(numEnd) !== COLON) break;
    const right = num(text, numEnd + 1, end);
    if (right < 0) break;
    blocks.push({ left: left >>> 0, right: right >>> 0 });
    p = numEnd;
    if (p < end && text.charCodeAt(p) === 125) p++;
  }
  return blocks;
}

/** Reads options in [start, end) (without the surrounding brackets). */
export function readOptions(text: string, start: number, end: number): TcpOptions {
  if (start >= end) return EMPTY_OPTIONS;
  const o: MutableOptions = {};
  let any = false;
  let p = start;
  while (p < end) {
    p = skipSpaces(text, p, end);
    const e = optionEnd(text, p, end);
    if (e > p) {
      readOne(text, p, trimEnd(text, p, e), o);
      any = true;
    }
    p = e + 1;
  }
  return any ? o : EMPTY_OPTIONS;
}

function trimEnd(text: string, p: number, e: number): number {
  while (e > p && text.charCodeAt(e - 1) === SPACE) e--;
  return e;
}

function readOne(text: string, p: number, e: number, o: MutableOptions): void {
  const c = text.charCodeAt(p);
  // The common ones first: nop, TS val, mss, sackOK, wscale, sack.
  if (c === 110 && e - p === 3 && startsAt(text, p, e, 'nop')) return;
  if (c === 101 && e - p === 3 && startsAt(text, p, e, 'eol')) return;
  if (startsAt(text, p, e, 'TS val ')) {
    const v = num(text, p + 7, e);
    if (v >= 0 && startsAt(text, numEnd, e, ' ecr ')) {
      const r = num(text, numEnd + 5, e);
      if (r >= 0 && numEnd === e) {
        o.tsVal = v;
        o.tsEcr = r;
        return;
      }
    }
  } else if (startsAt(text, p, e, 'timestamp ')) {
    // tcpdump <= 3.9: `timestamp V E`
    const v = num(text, p + 10, e);
    if (v >= 0) {
      const r = num(text, numEnd, e);
      if (r >= 0 && numEnd === e) {
        o.tsVal = v;
        o.tsEcr = r;
        return;
      }
    }
  } else if (startsAt(text, p, e, 'mss')) {
    const v = num(text, p + 3, e);
    if (v >= 0 && numEnd === e) {
      o.mss = v;
      return;
    }
  } else if (startsAt(text, p, e, 'wscale')) {
    const v = num(text, p + 6, e);
    if (v >= 0 && numEnd === e) {
      o.wscale = v;
      return;
    }
  } else if (e - p === 6 && startsAt(text, p, e, 'sackOK')) {
    o.sackPermitted = true;
    return;
  } else if (startsAt(text, p, e, 'sack ')) {
    if (startsAt(text, p, e, 'sack invalid')) {
      o.bad = true;
      return;
    }
    // tcpdump prints `sack N {a:b}...` (N = count); packetdrill `sack a:b c:d`.
    let q = skipSpaces(text, p + 5, e);
    const dEnd = digitsEnd(text, q, e);
    if (dEnd < e && text.charCodeAt(dEnd) === SPACE) q = dEnd + 1;
    o.sack = readSackBlocks(text, q, e);
    return;
  } else if (startsAt(text, p, e, '[bad opt]')) {
    o.bad = true;
    return;
  } else if (startsAt(text, p, e, 'tfo') || startsAt(text, p, e, 'exp-tfo') || startsAt(text, p, e, 'FO')) {
    readTfo(text, p, e, o);
    return;
  } else if (startsAt(text, p, e, 'mptcp')) {
    o.mptcp = detachedSlice(text, skipSpaces(text, p + 5, e), e);
    return;
  }
  addOther(o, detachedSlice(text, p, e));
}

/** `tfo  cookiereq`, `tfo  cookie HEX`, `exp-tfo ...`, packetdrill `FO [HEX]` / `FOEXP [HEX]`. */
function readTfo(text: string, p: number, e: number, o: MutableOptions): void {
  let q = p;
  while (q < e && text.charCodeAt(q) !== SPACE) q++;
  const word = text.slice(p, q);
  if (word !== 'tfo' && word !== 'exp-tfo' && word !== 'FO' && word !== 'FOEXP') {
    addOther(o, detachedSlice(text, p, e));
    return;
  }
  q = skipSpaces(text, q, e);
  if (q >= e || startsAt(text, q, e, 'cookiereq')) {
    o.tfo = { request: true };
    return;
  }
  if (startsAt(text, q, e, 'cookie ')) q = skipSpaces(text, q + 7, e);
  o.tfo = { request: false, cookie: detachedSlice(text, q, e) };
}

/** Where readOptionList() stopped: index of the closing `]`, or -1 when the line ended first. */
export let optionListEnd = -1;

/** End of a number at p (one pass, value in numValue), or p when there is none. */
let numValue = 0;
function numAt(text: string, p: number, end: number): number {
  let v = 0;
  let e = p;
  while (e < end) {
    const d = text.charCodeAt(e) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    e++;
  }
  numValue = v;
  return e - p > 10 ? p : e;
}

/**
 * tcpdump's `options [...]` list from p (just after the `[`), in one pass: the
 * common options are read in place; the others (and anything odd) go through
 * readOne(). Sets optionListEnd.
 */
export function readOptionList(text: string, p: number, end: number): TcpOptions {
  let o: MutableOptions | null = null;
  optionListEnd = -1;
  while (p < end) {
    const c = text.charCodeAt(p);
    let q = -1; // end of a recognised option
    if (c === 110 && startsAt(text, p, end, 'nop')) {
      q = p + 3;
    } else if (c === 84 && startsAt(text, p, end, 'TS val ')) {
      const e1 = numAt(text, p + 7, end);
      const val = numValue;
      if (e1 > p + 7 && startsAt(text, e1, end, ' ecr ')) {
        const e2 = numAt(text, e1 + 5, end);
        if (e2 > e1 + 5) {
          o ??= {};
          o.tsVal = val;
          o.tsEcr = numValue;
          q = e2;
        }
      }
    } else if (c === 109 && startsAt(text, p, end, 'mss ')) {
      const e1 = numAt(text, p + 4, end);
      if (e1 > p + 4) {
        o ??= {};
        o.mss = numValue;
        q = e1;
      }
    } else if (c === 119 && startsAt(text, p, end, 'wscale ')) {
      const e1 = numAt(text, p + 7, end);
      if (e1 > p + 7) {
        o ??= {};
        o.wscale = numValue;
        q = e1;
      }
    } else if (c === 115 && startsAt(text, p, end, 'sackOK')) {
      o ??= {};
      o.sackPermitted = true;
      q = p + 6;
    }
    if (q >= 0 && q < end) {
      const d = text.charCodeAt(q);
      if (d === COMMA) {
        p = q + 1;
        continue;
      }
      if (d === 93) {
        optionListEnd = q;
        break;
      }
    }
    // Anything else: up to the next `,` or `]` outside nested brackets.
    let e = p;
    let depth = 0;
    let cut = false;
    while (e < end) {
      const ch = text.charCodeAt(e);
      if (ch === 91 || ch === 123) {
        if (ch === 91 && text.charCodeAt(e + 1) === 124) {
          cut = true; // `[|tcp]`: the snap length ended the packet here
          break;
        }
        depth++;
      } else if (ch === 93 || ch === 125) {
        if (depth === 0) break;
        depth--;
      } else if (ch === COMMA && depth === 0 && !startsAt(text, e, end, ", can't check")) break;
      e++;
    }
    const stop = trimEnd(text, p, e);
    if (stop > p) {
      o ??= {};
      readOne(text, p, stop, o);
    }
    if (cut || e >= end) break;
    if (text.charCodeAt(e) === 93) {
      optionListEnd = e;
      break;
    }
    p = e + 1;
  }
  return o ?? EMPTY_OPTIONS;
}
