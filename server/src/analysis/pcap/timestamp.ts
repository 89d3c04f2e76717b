// Timestamps as tcpdump prints them: `HH:MM:SS.ffffff` (default) or
// `YYYY-MM-DD HH:MM:SS.ffffff` (-tttt), in local time of a given IANA zone
// (tcpdump honours TZ through localtime()). The wall clock of each minute is
// asked once and cached: packets arrive thousands to the minute, and zone
// offsets change only on minute boundaries since 1970. The process's own zone
// and UTC are asked of Date (both ICU's answers, as Intl's are), other zones
// of Intl, whose formatter costs tens of milliseconds to make: it is made only
// when such a zone (or a year Date and Intl write differently) needs it.

import { daysFromCivil } from '../parse/timestamp';
import type { TextSink } from './sink';

/** Years whose wall clock Date gives as Intl writes it (four digits, no era). */
const DATE_YEARS_FROM = 1970;
const DATE_YEARS_TO = 9999;

const padded2 = (n: number): string => (n < 10 ? '0' : '') + n;

export class TimestampFormatter {
  private parts: Intl.DateTimeFormat | null = null;
  /** The zone is the process's own (Date's local time) or UTC (Date's UTC time); otherwise Intl's. */
  private readonly byDate: 'local' | 'utc' | null;
  private minute = Number.NaN;
  /** `YYYY-MM-DD ` of the cached minute. */
  private date = '';
  /** `HH:MM:` of the cached minute. */
  private hourMinute = '';
  /**
   * The cached minute as the trace parser reads its text back: seconds since
   * midnight of its first second, plus (with the date) the day's seconds
   * since the epoch; NaN when the text is one the parser reads otherwise.
   */
  private minuteValue = Number.NaN;

  constructor(
    private readonly timeZone: string | undefined,
    private readonly withDate: boolean,
  ) {
    this.byDate = timeZone === undefined ? 'local' : timeZone === 'UTC' ? 'utc' : null;
  }

  /** Writes the timestamp and one space. */
  write(w: TextSink, seconds: number, micros: number): void {
    const minute = Math.floor(seconds / 60);
    if (minute !== this.minute) this.load(minute);
    if (this.withDate) w.str(this.date);
    w.str(this.hourMinute);
    w.padded(seconds - minute * 60, 2);
    w.byte(46);
    w.padded(micros, 6);
    w.byte(32);
  }

  /**
   * The seconds the trace parser reads from this timestamp's text (time of
   * day, or since the epoch with the date), computed without the text; NaN
   * when it has to read the text to know (odd dates and fractions).
   */
  value(seconds: number, micros: number): number {
    let s = seconds - this.minute * 60;
    // Most packets fall in the cached minute: no division for them.
    if (!(s >= 0 && s < 60)) {
      const minute = Math.floor(seconds / 60);
      if (minute !== this.minute) this.load(minute);
      s = seconds - minute * 60;
    }
    if (!(s >= 0 && s < 60) || !Number.isInteger(s) || !(micros >= 0 && micros < 1000000)) return Number.NaN;
    // The parser's own order of operations: (clock + seconds) + fraction, then the date.
    return this.minuteValue + s + micros / 1000000 + this.dayValue;
  }

  /** Seconds since the epoch of the cached minute's day (0 without the date). */
  private dayValue = 0;

  private load(minute: number): void {
    this.minute = minute;
    const when = new Date(minute * 60000);
    let year = '';
    let month = '';
    let day = '';
    let hour = '';
    let min = '';
    if (Number.isNaN(when.getTime())) {
      this.date = '1970-01-01 ';
      this.hourMinute = '00:00:';
      this.minuteValue = Number.NaN;
      return;
    }
    const local = this.byDate === 'local';
    const fullYear = local ? when.getFullYear() : when.getUTCFullYear();
    if (this.byDate !== null && fullYear >= DATE_YEARS_FROM && fullYear <= DATE_YEARS_TO) {
      year = String(fullYear);
      month = padded2((local ? when.getMonth() : when.getUTCMonth()) + 1);
      day = padded2(local ? when.getDate() : when.getUTCDate());
      hour = padded2(local ? when.getHours() : when.getUTCHours());
      min = padded2(local ? when.getMinutes() : when.getUTCMinutes());
    } else {
      for (const p of this.intl().formatToParts(when)) {
        if (p.type === 'year') year = p.value;
        else if (p.type === 'month') month = p.value;
        else if (p.type === 'day') day = p.value;
        else if (p.type === 'hour') hour = p.value;
        else if (p.type === 'minute') min = p.value;
      }
    }
    this.date = `${year.padStart(4, '0')}-${month}-${day} `;
    this.hourMinute = `${hour}:${min}:`;
    const twoDigits = /^[0-9]{2}$/;
    const fits =
      twoDigits.test(hour) &&
      twoDigits.test(min) &&
      (!this.withDate ||
        (/^[0-9]{4}$/.test(year.padStart(4, '0')) && twoDigits.test(month) && twoDigits.test(day)));
    this.minuteValue = fits ? Number(hour) * 3600 + Number(min) * 60 : Number.NaN;
    this.dayValue =
      fits && this.withDate ? daysFromCivil(Number(year), Number(month), Number(day)) * 86400 : 0;
  }

  private intl(): Intl.DateTimeFormat {
    this.parts ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    return this.parts;
  }
}

/** True when Intl knows the zone (an unknown TZ makes tcpdump print UTC). */
export function knownTimeZone(timeZone: string): boolean {
  if (timeZone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
