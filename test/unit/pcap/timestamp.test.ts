// The capture timestamps' wall clock: the process's own zone and UTC are read
// from Date, other zones from Intl; every minute must print as Intl prints it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextSink } from '../../../server/src/analysis/pcap/sink';
import { TimestampFormatter } from '../../../server/src/analysis/pcap/timestamp';

/** Seconds since the epoch across the pcap range (1970 … 2106), and every half hour of 2024 (clock changes). */
function instants(): number[] {
  const out: number[] = [];
  let s = 7;
  for (let i = 0; i < 20000; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out.push(s);
  }
  for (let t = Date.UTC(2024, 0, 1) / 1000; t < Date.UTC(2025, 0, 1) / 1000; t += 1800) out.push(t + 59);
  return out;
}

/** The timestamp as Intl writes the zone's wall clock (the reference). */
function byIntl(timeZone: string | undefined, withDate: boolean): (seconds: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (seconds) => {
    const p = Object.fromEntries(
      format.formatToParts(new Date(seconds * 1000)).map((x) => [x.type, x.value]),
    );
    const time = `${p.hour}:${p.minute}:${p.second}.123456 `;
    return withDate ? `${p.year}-${p.month}-${p.day} ${time}` : time;
  };
}

/** Runs `f` with the process's zone set to `zone` (Date and Intl both follow TZ). */
function inZone(zone: string, f: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    f();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

function assertAsIntl(zone: string | undefined, withDate: boolean): void {
  const clock = new TimestampFormatter(zone, withDate);
  const expected = byIntl(zone, withDate);
  for (const t of instants()) {
    const w = new TextSink();
    clock.write(w, t, 123456);
    assert.equal(w.text(), expected(t), `at ${t}`);
  }
}

describe('capture timestamps', () => {
  for (const withDate of [false, true]) {
    const dated = withDate ? ', with the date' : '';
    test(`UTC${dated}: as Intl writes it`, () => assertAsIntl('UTC', withDate));
    for (const processZone of ['UTC', 'America/New_York', 'Australia/Lord_Howe'])
      test(`the process's zone, TZ=${processZone}${dated}: as Intl writes it`, () =>
        inZone(processZone, () => assertAsIntl(undefined, withDate)));
  }
});
