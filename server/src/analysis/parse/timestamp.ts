// tcpdump timestamps in every -t mode (formats doc §1.1 `ts`, §6.1).
import { COLON, DOT, SPACE, digitsEnd, digitsValue, isDigit, startsAt } from './scan';
import { TimeKind, TsMode } from './records';

/** Result of readTcpdumpTime(); one shared instance, read right after the call. */
export interface TimeRead {
  /** false: no timestamp at pos (maybe `-t`). */
  ok: boolean;
  mode: TsMode;
  kind: TimeKind;
  value: number;
  /** Position after the timestamp and its trailing space. */
  next: number;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

export const timeRead: TimeRead = { ok: false, mode: TsMode.Unknown, kind: TimeKind.None, value: 0, next: 0 };

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * `H+:MM:SS.frac` at pos → seconds, or -1. Sets timeRead.next after the fraction.
 */
function readClock(text: string, pos: number, end: number): number {
  // One pass with fixed offsets after the hours (this runs on every line).
  let h = 0;
  let p = pos;
  while (p < end) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    h = h * 10 + d;
    p++;
  }
  if (
    p === pos ||
    p - pos > 6 ||
    p + 6 > end ||
    text.charCodeAt(p) !== COLON ||
    text.charCodeAt(p + 3) !== COLON
  )
    return -1;
  const m1 = text.charCodeAt(p + 1) - 48;
  const m2 = text.charCodeAt(p + 2) - 48;
  const s1 = text.charCodeAt(p + 4) - 48;
  const s2 = text.charCodeAt(p + 5) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9) return -1;
  p += 6;
  let frac = 0;
  if (p < end && text.charCodeAt(p) === DOT) {
    let f = 0;
    let q = p + 1;
    while (q < end) {
      const d = text.charCodeAt(q) - 48;
      if (d < 0 || d > 9) break;
      f = f * 10 + d;
      q++;
    }
    const n = q - p - 1;
    if (n === 0 || n > 9) return -1;
    frac = f / (POW10[n] as number);
    p = q;
  }
  timeRead.next = p;
  return h * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2 + frac;
}

/** ` (invalid us)` / ` (invalid ns)` after the fraction marks the time unusable. */
function skipInvalidNote(text: string, end: number): void {
  const p = timeRead.next;
  if (startsAt(text, p, end, ' (invalid us)') || startsAt(text, p, end, ' (invalid ns)')) {
    timeRead.next = p + 13;
    timeRead.kind = TimeKind.Invalid;
  }
}

/**
 * Reads a tcpdump timestamp at pos. The caller has skipped the `-#` number;
 * for -ttt/-ttttt pos is at the sign (space or minus).
 */
export function readTcpdumpTime(text: string, pos: number, end: number): TimeRead {
  const t = timeRead;
  t.ok = false;
  if (pos >= end) return t;
  const c0 = text.charCodeAt(pos);
  if (c0 === 91 && startsAt(text, pos, end, '[timestamp overflow]')) {
    t.ok = true;
    t.mode = TsMode.Unknown;
    t.kind = TimeKind.Invalid;
    t.value = 0;
    t.next = pos + 20;
    return finish(text, end);
  }
  if (c0 === SPACE || c0 === 45) {
    // -ttt / -ttttt: sign, then a clock.
    const v = readClock(text, pos + 1, end);
    if (v < 0) return t;
    t.ok = true;
    t.mode = TsMode.Delta;
    t.kind = TimeKind.Delta;
    t.value = c0 === 45 ? -v : v;
    skipInvalidNote(text, end);
    return finish(text, end);
  }
  if (!isDigit(c0)) return t;
  const dEnd = digitsEnd(text, pos, end);
  const c = dEnd < end ? text.charCodeAt(dEnd) : -1;
  if (c === 45 && dEnd - pos === 4) {
    // -tttt: YYYY-MM-DD HH:MM:SS.frac
    if (
      dEnd + 7 > end ||
      !isDigit(text.charCodeAt(dEnd + 1)) ||
      !isDigit(text.charCodeAt(dEnd + 2)) ||
      text.charCodeAt(dEnd + 3) !== 45 ||
      !isDigit(text.charCodeAt(dEnd + 4)) ||
      !isDigit(text.charCodeAt(dEnd + 5)) ||
      text.charCodeAt(dEnd + 6) !== SPACE
    )
      return t;
    const y = digitsValue(text, pos, dEnd);
    const mo = digitsValue(text, dEnd + 1, dEnd + 3);
    const d = digitsValue(text, dEnd + 4, dEnd + 6);
    const v = readClock(text, dEnd + 7, end);
    if (v < 0) return t;
    t.ok = true;
    t.mode = TsMode.Date;
    t.kind = TimeKind.Absolute;
    t.value = daysFromCivil(y, mo, d) * 86400 + v;
    skipInvalidNote(text, end);
    return finish(text, end);
  }
  if (c === COLON) {
    const v = readClock(text, pos, end);
    if (v < 0) return t;
    t.ok = true;
    t.mode = TsMode.TimeOfDay;
    t.kind = TimeKind.TimeOfDay;
    t.value = v;
    skipInvalidNote(text, end);
    return finish(text, end);
  }
  if (c === DOT) {
    // -tt: seconds since the epoch.
    const fEnd = digitsEnd(text, dEnd + 1, end);
    if (fEnd === dEnd + 1 || fEnd - dEnd - 1 > 9) return t;
    t.ok = true;
    t.mode = TsMode.Epoch;
    t.kind = TimeKind.Absolute;
    t.value = digitsValue(text, pos, dEnd) + digitsValue(text, dEnd + 1, fEnd) / POW10[fEnd - dEnd - 1]!;
    t.next = fEnd;
    skipInvalidNote(text, end);
    return finish(text, end);
  }
  return t;
}

/** A timestamp is always followed by one space. */
function finish(text: string, end: number): TimeRead {
  const t = timeRead;
  if (t.next < end && text.charCodeAt(t.next) === SPACE) {
    t.next++;
    return t;
  }
  t.ok = false;
  return t;
}
