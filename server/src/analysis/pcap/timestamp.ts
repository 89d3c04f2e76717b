// Timestamps as tcpdump prints them: `HH:MM:SS.ffffff` (default) or
// `YYYY-MM-DD HH:MM:SS.ffffff` (-tttt), in local time of a given IANA zone
// (tcpdump honours TZ through localtime()). The wall clock of each minute is
// asked of Intl once and cached: packets arrive thousands to the minute, and
// zone offsets change only on minute boundaries since 1970.

import type { TextSink } from './sink';

export class TimestampFormatter {
  private readonly parts: Intl.DateTimeFormat;
  private minute = Number.NaN;
  /** `YYYY-MM-DD ` of the cached minute. */
  private date = '';
  /** `HH:MM:` of the cached minute. */
  private hourMinute = '';

  constructor(
    timeZone: string | undefined,
    private readonly withDate: boolean,
  ) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
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
      return;
    }
    for (const p of this.parts.formatToParts(when)) {
      if (p.type === 'year') year = p.value;
      else if (p.type === 'month') month = p.value;
      else if (p.type === 'day') day = p.value;
      else if (p.type === 'hour') hour = p.value;
      else if (p.type === 'minute') min = p.value;
    }
    this.date = `${year.padStart(4, '0')}-${month}-${day} `;
    this.hourMinute = `${hour}:${min}:`;
  }
}

/** True when Intl knows the zone (an unknown TZ makes tcpdump print UTC). */
export function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
