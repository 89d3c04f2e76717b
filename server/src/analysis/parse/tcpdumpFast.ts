// The common tcpdump packet line, read in one pass over its bytes straight to
// its values:
//   TIME IP a.b.c.d.port > e.f.g.h.port: Flags [P.], seq a:b, ack n, win n, options [...], length n
// It reads ASCII bytes, not characters: TraceParser hands it the bytes of a
// file as they were read (pushBytes), or encodes each ASCII stretch of a text
// into bytes once (a bulk copy), because indexing bytes costs less than half of
// charCodeAt, and the parse reads every character of a big trace. The rare
// parts that are kept as text (an address seen for the first time, a host name,
// an IPv6 address) are made into strings then.
//
// Anything this reader does not expect, it leaves (returns null) before it has
// decided anything, and the general reader (readLine) reads the line, so every
// other variant reads exactly as before. It makes no field spans (callers that
// hover read with the general reader). tcpdumpFast.test.ts proves that both
// readers agree on every line of every committed trace and on edge cases.
import type { TcpOptions } from '../model';
import { asciiText, digits, digitsStop } from './bytes';
import { endpointAtBytes } from './endpoints';
import { ipv4End, ipv4EndpointAt } from './dottedQuads';
import {
  newPacketRecord,
  TimeKind,
  TsMode,
  type LineContext,
  type PacketRecord,
  type PacketRecordDraft,
} from './records';
import { UINT32_MAX } from './scan';
import { flagBit } from './tcpdump';
import type { MutableOptions } from './tcpdumpOptions';
import { EMPTY_OPTIONS } from './tcpdumpOptions';
import { daysFromCivil } from './timestamp';

const SPACE = 32;
const TAB = 9;
const COLON = 58;
const COMMA = 44;
const DOT = 46;
const MINUS = 45;
const CLOSE = 93; // ]

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** A uint32 field value at p, or -1: tcpdump.ts num()'s rule (1 to 10 digits, at most 2^32-1) over bytes. */
function uint32(b: Uint8Array, p: number, end: number): number {
  const v = digits(b, p, end);
  const n = digitsStop - p;
  return n === 0 || n > 10 || v > UINT32_MAX ? -1 : v;
}

/**
 * The seconds read by clock() and time(): in a Float64Array, because a double
 * stored in a plain variable is a new heap number each time (two per line).
 */
const seconds = new Float64Array(4);
const CLOCK = 0;
const TIME = 1;
/** The whole seconds of the clock clock() read last... */
const WHOLE = 2;
/** ...and of the `HH:MM:SS` in sameClock0 and sameClock1. */
const SAME_CLOCK = 3;

/** Position after the clock `H+:MM:SS[.frac]` at p (its seconds in seconds[CLOCK]), or -1. */
function clock(b: Uint8Array, p: number, end: number): number {
  // The byte twin of timestamp.ts readClock() (kept apart: that one reads characters for
  // the general reader), with the same arithmetic, so the same double comes out.
  const h = digits(b, p, end);
  const q = digitsStop;
  if (q === p || q - p > 6 || q + 6 > end || b[q] !== COLON || b[q + 3] !== COLON) return -1;
  const m1 = (b[q + 1] as number) - 48;
  const m2 = (b[q + 2] as number) - 48;
  const s1 = (b[q + 4] as number) - 48;
  const s2 = (b[q + 5] as number) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9) return -1;
  let r = q + 6;
  let frac = 0;
  if (r < end && b[r] === DOT) {
    const f = digits(b, r + 1, end);
    const n = digitsStop - r - 1;
    if (n === 0 || n > 9) return -1;
    frac = f / (POW10[n] as number);
    r = digitsStop;
  }
  // The whole seconds first, then the fraction: the same sums, in the same order, as
  // readClock()'s one expression (the whole part is exact).
  const whole = h * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2;
  seconds[WHOLE] = whole;
  seconds[CLOCK] = whole + frac;
  return r;
}

/**
 * The `HH:MM:SS` bytes (two four-byte words, see quad()) that started the last
 * line whose time-of-day clock time() read in full with a two-digit hour; their
 * whole seconds are seconds[SAME_CLOCK].
 */
let sameClockKnown = false;
let sameClock0 = 0;
let sameClock1 = 0;

/** The timestamp read by time(): its layout and kind (its value in seconds[TIME]). */
let timeMode = TsMode.Unknown;
let timeKind = TimeKind.None;

/**
 * The tcpdump timestamp at p in any -t mode but the unusable ones, and its
 * trailing space: the position after them, or -1 (timestamp.ts readTcpdumpTime()).
 */
function time(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  const c0 = b[p] as number;
  let q: number;
  if (
    sameClockKnown &&
    p + 9 <= end &&
    quad(b, p) === sameClock0 &&
    quad(b, p + 4) === sameClock1 &&
    b[p + 8] === DOT
  ) {
    // `HH:MM:SS.` as on the line before (most lines of a trace): clock() would read
    // the same whole seconds again, so only the fraction is read.
    const f = digits(b, p + 9, end);
    const n = digitsStop - p - 9;
    if (n === 0 || n > 9) return -1;
    q = digitsStop;
    seconds[TIME] = (seconds[SAME_CLOCK] as number) + f / (POW10[n] as number);
    timeMode = TsMode.TimeOfDay;
    timeKind = TimeKind.TimeOfDay;
  } else if (c0 === SPACE || c0 === MINUS) {
    // -ttt / -ttttt: a sign, then a clock.
    q = clock(b, p + 1, end);
    if (q < 0) return -1;
    timeMode = TsMode.Delta;
    timeKind = TimeKind.Delta;
    seconds[TIME] = c0 === MINUS ? -(seconds[CLOCK] as number) : seconds[CLOCK];
  } else {
    const whole = digits(b, p, end);
    const d = digitsStop;
    if (d === p || d >= end) return -1;
    const c = b[d] as number;
    if (c === COLON) {
      q = clock(b, p, end);
      if (q < 0) return -1;
      timeMode = TsMode.TimeOfDay;
      timeKind = TimeKind.TimeOfDay;
      seconds[TIME] = seconds[CLOCK];
      // A two-digit hour: these eight bytes give these whole seconds (until another line's).
      if (d - p === 2) {
        sameClockKnown = true;
        sameClock0 = quad(b, p);
        sameClock1 = quad(b, p + 4);
        seconds[SAME_CLOCK] = seconds[WHOLE];
      }
    } else if (c === DOT) {
      // -tt: seconds since the epoch.
      const f = digits(b, d + 1, end);
      const n = digitsStop - d - 1;
      if (n === 0 || n > 9) return -1;
      q = digitsStop;
      timeMode = TsMode.Epoch;
      timeKind = TimeKind.Absolute;
      seconds[TIME] = whole + f / (POW10[n] as number);
    } else if (c === MINUS && d - p === 4) {
      // -tttt: YYYY-MM-DD HH:MM:SS.frac
      if (d + 7 > end || b[d + 3] !== MINUS || b[d + 6] !== SPACE) return -1;
      const mo = twoDigits(b, d + 1);
      const day = twoDigits(b, d + 4);
      if (mo < 0 || day < 0) return -1;
      q = clock(b, d + 7, end);
      if (q < 0) return -1;
      timeMode = TsMode.Date;
      timeKind = TimeKind.Absolute;
      seconds[TIME] = daysFromCivil(whole, mo, day) * 86400 + (seconds[CLOCK] as number);
    } else return -1;
  }
  return q < end && b[q] === SPACE ? q + 1 : -1;
}

function twoDigits(b: Uint8Array, p: number): number {
  const d1 = (b[p] as number) - 48;
  const d2 = (b[p + 1] as number) - 48;
  return d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 ? -1 : d1 * 10 + d2;
}

/** Does b hold the ASCII `word` at p (before end)? */
function at(b: Uint8Array, p: number, end: number, word: Uint8Array): boolean {
  const n = word.length;
  if (p + n > end) return false;
  for (let i = 0; i < n; i++) if (b[p + i] !== word[i]) return false;
  return true;
}

/**
 * Four bytes at p as one number, to match four characters at once: the words
 * every line holds are matched this way, where at()'s loop cost a fifth of the
 * reader's time. The caller checks that p + 4 <= end.
 */
function quad(b: Uint8Array, p: number): number {
  return (
    (b[p] as number) |
    ((b[p + 1] as number) << 8) |
    ((b[p + 2] as number) << 16) |
    ((b[p + 3] as number) << 24)
  );
}

/** quad() of four ASCII characters. */
function quadOf(s: string): number {
  return s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
}

const Q_COLON_FL = quadOf(': Fl');
const Q_AGS = quadOf('ags ');
const Q_OPTI = quadOf('opti');
const Q_ONS = quadOf('ons ');
const Q_LENG = quadOf('leng');
const Q_NOP = quadOf('nop,');
const Q_TS_V = quadOf('TS v');
const Q_ECR = quadOf(' ecr');

/** `: Flags [` at p (before end)? */
function flagsAt(b: Uint8Array, p: number, end: number): boolean {
  return p + 9 <= end && quad(b, p) === Q_COLON_FL && quad(b, p + 4) === Q_AGS && b[p + 8] === 91;
}

/** `options [` at p (before end)? */
function optionsAt(b: Uint8Array, p: number, end: number): boolean {
  return p + 9 <= end && quad(b, p) === Q_OPTI && quad(b, p + 4) === Q_ONS && b[p + 8] === 91;
}

/** `length ` at p (before end)? */
function lengthAt(b: Uint8Array, p: number, end: number): boolean {
  return p + 7 <= end && quad(b, p) === Q_LENG && b[p + 4] === 116 && b[p + 5] === 104 && b[p + 6] === SPACE;
}

/** `nop,nop,TS val ` at p (before end)? */
function nopNopTsAt(b: Uint8Array, p: number, end: number): boolean {
  return (
    p + 15 <= end &&
    quad(b, p) === Q_NOP &&
    quad(b, p + 4) === Q_NOP &&
    quad(b, p + 8) === Q_TS_V &&
    b[p + 12] === 97 &&
    b[p + 13] === 108 &&
    b[p + 14] === SPACE
  );
}

/** ` ecr ` at p (before end)? */
function ecrAt(b: Uint8Array, p: number, end: number): boolean {
  return p + 5 <= end && quad(b, p) === Q_ECR && b[p + 4] === SPACE;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const W_TS = ascii('TS val ');
const W_WSCALE = ascii('wscale ');
const W_SACKOK = ascii('sackOK');
const W_TRUNCATED = ascii('truncated-ip');

/** Where readOptions() stopped: the index of the closing `]`. */
let optionsClose = 0;

/**
 * The options of most segments of a connection, `nop,nop,TS val N ecr N]`, made
 * at once as readOptions() would make them (same keys, same order); null for
 * anything else.
 */
function timestampsOnly(b: Uint8Array, p: number, end: number): TcpOptions | null {
  if (!nopNopTsAt(b, p, end)) return null;
  p += 15;
  const tsVal = digits(b, p, end);
  const q = digitsStop;
  if (q === p || q - p > 10 || !ecrAt(b, q, end)) return null;
  const tsEcr = digits(b, q + 5, end);
  const r = digitsStop;
  if (r === q + 5 || r - q - 5 > 10 || r >= end || b[r] !== CLOSE) return null;
  optionsClose = r;
  return sharedTimestamps(tsVal, tsEcr);
}

/**
 * Recent timestamp-only options by their two values, one object per pair (frozen):
 * the segments of a connection sent within one tick of its timestamp clock carry
 * equal options, and a language server keeps every segment's (about 40 bytes each).
 */
const TS_SLOTS = 4096;
const tsSlots: (TcpOptions | undefined)[] = new Array<TcpOptions | undefined>(TS_SLOTS).fill(undefined);

function sharedTimestamps(tsVal: number, tsEcr: number): TcpOptions {
  // Bitwise operators take both values modulo 2^32: any slot will do, the entry is compared.
  const slot = (tsVal ^ Math.imul(tsEcr, 0x9e3779b1)) & (TS_SLOTS - 1);
  const known = tsSlots[slot];
  if (known !== undefined && known.tsVal === tsVal && known.tsEcr === tsEcr) return known;
  const made: TcpOptions = Object.freeze({ tsVal, tsEcr });
  tsSlots[slot] = made;
  return made;
}

/**
 * `nop`, `TS val N ecr N`, `mss N`, `wscale N`, `sackOK` and `sack N {a:b}...`
 * from p (after `options [`) up to `]`, into an object built in the same order
 * as readOptionList() builds it; null for anything else (the general reader's).
 */
function readOptions(b: Uint8Array, p: number, end: number): TcpOptions | null {
  const common = timestampsOnly(b, p, end);
  if (common !== null) return common;
  let o: MutableOptions | null = null;
  for (;;) {
    const c = b[p];
    if (c === 110 && b[p + 1] === 111 && b[p + 2] === 112) {
      p += 3; // nop
    } else if (c === 84 && at(b, p, end, W_TS)) {
      // Up to 10 digits, not checked against 2^32: readOptionList's rule.
      const val = digits(b, p + 7, end);
      let q = digitsStop;
      if (q === p + 7 || q - p - 7 > 10 || !ecrAt(b, q, end)) return null;
      const ecr = digits(b, q + 5, end);
      if (digitsStop === q + 5 || digitsStop - q - 5 > 10) return null;
      q = digitsStop;
      o ??= {};
      o.tsVal = val;
      o.tsEcr = ecr;
      p = q;
    } else if (c === 109 && b[p + 1] === 115 && b[p + 2] === 115 && b[p + 3] === SPACE) {
      const v = digits(b, p + 4, end);
      if (digitsStop === p + 4 || digitsStop - p - 4 > 10) return null;
      o ??= {};
      o.mss = v;
      p = digitsStop;
    } else if (c === 119 && at(b, p, end, W_WSCALE)) {
      const v = digits(b, p + 7, end);
      if (digitsStop === p + 7 || digitsStop - p - 7 > 10) return null;
      o ??= {};
      o.wscale = v;
      p = digitsStop;
    } else if (c === 115 && at(b, p, end, W_SACKOK)) {
      o ??= {};
      o.sackPermitted = true;
      p += 6;
    } else if (c === 115 && b[p + 1] === 97 && b[p + 2] === 99 && b[p + 3] === 107 && b[p + 4] === SPACE) {
      // `sack N {a:b}{c:d}`: as readOne() reads it (values wrapped to 32 bits).
      digits(b, p + 5, end);
      if (digitsStop === p + 5 || b[digitsStop] !== SPACE) return null;
      p = digitsStop + 1;
      const blocks: { left: number; right: number }[] = [];
      while (b[p] === 123) {
        const left = digits(b, p + 1, end);
        let q = digitsStop;
        if (q === p + 1 || q - p - 1 > 10 || b[q] !== COLON) return null;
        const right = digits(b, q + 1, end);
        if (digitsStop === q + 1 || digitsStop - q - 1 > 10 || b[digitsStop] !== 125) return null;
        q = digitsStop;
        blocks.push({ left: left >>> 0, right: right >>> 0 });
        p = q + 1;
      }
      if (blocks.length === 0) return null;
      o ??= {};
      o.sack = blocks;
    } else return null;
    if (p >= end) return null;
    const d = b[p];
    if (d === CLOSE) {
      optionsClose = p;
      return o ?? EMPTY_OPTIONS;
    }
    if (d !== COMMA) return null;
    p++;
  }
}

/**
 * Reads the common tcpdump line in the ASCII bytes [start, end) of b (no line
 * break; b[end] may be anything). Returns null for the general reader to take
 * the line; a returned record equals the general reader's for the same line and
 * context without spans. It is `into` filled in when given (else a new record).
 */
export function readTcpdumpFast(
  b: Uint8Array,
  start: number,
  end: number,
  lineNo: number,
  ctx: LineContext,
  into: PacketRecordDraft | null,
): PacketRecord | null {
  // The second line of the -v form: the general reader's.
  if (ctx.afterIpHeader) return null;
  let p = start;
  let e = end;
  if (e > p && b[e - 1] === 13) e--;
  // A line that starts with a `-#` number (`%5u  `) is left too: time() takes no
  // digits followed by a space, nor spaces followed by digits and a space.
  p = time(b, p, e);
  if (p < 0) return null;
  const mode = timeMode;
  if (ctx.tsMode !== TsMode.Unknown && mode !== ctx.tsMode) return null;

  // `IP ` or `IP6 `, then an address: not a -v header `(`, not `truncated-ip`.
  if (b[p] !== 73 || b[p + 1] !== 80) return null;
  if (b[p + 2] === SPACE) p += 3;
  else if (b[p + 2] === 54 && b[p + 3] === SPACE) p += 4;
  else return null;
  if (p >= e || b[p] === 40 || (b[p] === 116 && at(b, p, e, W_TRUNCATED))) return null;

  // `src > dst: Flags [`
  const srcStart = p;
  let src = ipv4EndpointAt(b, p, e);
  let q = ipv4End;
  if (src === null || b[q] !== SPACE) {
    src = null;
    q = tokenEnd(b, p, e);
  }
  if (q + 3 > e || b[q] !== SPACE || b[q + 1] !== 62 || b[q + 2] !== SPACE) return null;
  const srcEnd = q;
  const dstStart = q + 3;
  let dst = ipv4EndpointAt(b, dstStart, e);
  q = ipv4End;
  if (dst === null || b[q] !== COLON || b[q + 1] !== SPACE) {
    dst = null;
    const tokEnd = tokenEnd(b, dstStart, e);
    if (tokEnd <= dstStart + 1 || b[tokEnd - 1] !== COLON) return null;
    q = tokEnd - 1;
  }
  const dstEnd = q;
  if (!flagsAt(b, q, e)) return null;
  src ??= endpointAtBytes(b, srcStart, srcEnd);
  if (src === null) return null;
  dst ??= endpointAtBytes(b, dstStart, dstEnd);
  if (dst === null) return null;

  // Flags [...]
  p = q + 9;
  let flags = 0;
  if (b[p] === 110 && b[p + 1] === 111 && b[p + 2] === 110 && b[p + 3] === 101 && b[p + 4] === CLOSE) {
    p += 4; // [none]
  } else {
    for (;;) {
      if (p >= e) return null;
      const c = b[p] as number;
      if (c === CLOSE) break;
      const bit = flagBit(c);
      if (bit < 0) return null;
      flags |= bit;
      p++;
    }
  }
  p++;

  // `, key value` fields up to `, length N`, which must end the line.
  let seq: number | null = null;
  let ack: number | null = null;
  let win: number | null = null;
  let urg: number | null = null;
  let options: TcpOptions = EMPTY_OPTIONS;
  let appText: string | undefined;
  let len = -1;
  while (p < e) {
    if (b[p] !== COMMA || b[p + 1] !== SPACE) return null;
    p += 2;
    const c = b[p];
    if (c === 115 && b[p + 1] === 101 && b[p + 2] === 113 && b[p + 3] === SPACE) {
      const v = uint32(b, p + 4, e);
      if (v < 0) return null;
      seq = v;
      p = digitsStop;
      if (b[p] === COLON && p < e) {
        if (uint32(b, p + 1, e) < 0) return null;
        p = digitsStop;
      }
    } else if (c === 97 && b[p + 1] === 99 && b[p + 2] === 107 && b[p + 3] === SPACE) {
      const v = uint32(b, p + 4, e);
      if (v < 0) return null;
      ack = v;
      p = digitsStop;
    } else if (c === 119 && b[p + 1] === 105 && b[p + 2] === 110 && b[p + 3] === SPACE) {
      const v = uint32(b, p + 4, e);
      if (v < 0) return null;
      win = v;
      p = digitsStop;
    } else if (c === 111 && optionsAt(b, p, e)) {
      const o = readOptions(b, p + 9, e);
      if (o === null) return null;
      options = o;
      p = optionsClose + 1;
    } else if (c === 108 && lengthAt(b, p, e)) {
      const v = uint32(b, p + 7, e);
      if (v < 0) return null;
      len = v;
      if (digitsStop < e) {
        // Application text after the length (`length 119: HTTP: GET / HTTP/1.1`).
        const t = appTextAt(b, digitsStop, e);
        if (t === null) return null;
        appText = t;
      }
      break;
    } else if (c === 117 && b[p + 1] === 114 && b[p + 2] === 103 && b[p + 3] === SPACE) {
      const v = uint32(b, p + 4, e);
      if (v < 0) return null;
      urg = v;
      p = digitsStop;
    } else return null;
  }
  if (len < 0) return null;
  // The general reader's packet() (tcpdump.ts) fills the same properties from its own state;
  // the rest keep newPacketRecord()'s values, which the fast reader never changes.
  const r = into ?? newPacketRecord();
  r.line = lineNo;
  r.endLine = lineNo;
  r.timeKind = timeKind;
  r.timeValue = seconds[TIME] as number;
  r.src = src;
  r.dst = dst;
  r.flags = flags;
  r.printedSeq = seq;
  r.printedAck = ack;
  r.len = len;
  r.win = win;
  r.urg = urg;
  r.options = options;
  r.appText = appText;
  r.learnedTsMode = ctx.tsMode === TsMode.Unknown ? mode : undefined;
  return r;
}

/**
 * What follows `length N` at p, up to end, as tcpdump.ts tail() reads it: the
 * text after an optional `: `, trimmed (undefined when nothing is left); null
 * when it holds a `[` (truncation marks: the general reader's).
 */
function appTextAt(b: Uint8Array, p: number, end: number): string | undefined | null {
  for (let i = p; i < end; i++) if (b[i] === 91) return null;
  let s = p + 1 < end && b[p] === COLON && b[p + 1] === SPACE ? p + 2 : p;
  let t = end;
  while (s < t && isJsSpace(b[s] as number)) s++;
  while (t > s && isJsSpace(b[t - 1] as number)) t--;
  return s < t ? asciiText(b, s, t) : undefined;
}

/** The ASCII characters String.prototype.trim() removes: tab, line feed, VT, FF, CR, space. */
function isJsSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

function tokenEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] !== SPACE && b[p] !== TAB) p++;
  return p;
}
