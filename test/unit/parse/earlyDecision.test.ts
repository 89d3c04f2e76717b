// The normaliser decides how a trace prints its numbers (-S or relative) and
// its deltas (-ttt or -ttttt, tshark -t d or -t r) on the first DECIDE_AFTER
// tcpdump packets, but it handles the records as soon as the -S vote is clear
// while no record has needed the delta rules. These traces check that the
// answers stay those of the whole first DECIDE_AFTER packets: a record that
// needs the delta rules after others were handled early is timed by the rules
// of the whole window, one after the window by the window's rules; and that the
// records really are let go early.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParseResult, Segment } from '../../../server/src/analysis/model';
import {
  INITIAL_CONTEXT,
  nextContext,
  Normalizer,
  parseTrace,
  readLine,
  TraceParser,
} from '../../../server/src/analysis/parse';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import { copySegment, type MutableSegment } from '../../../server/src/analysis/parse/segmentObject';
import { recordsOf } from './support';

const CLIENT = '10.0.0.1.40000';
const SERVER = '10.0.0.2.80';
const ISN_CLIENT = 1_234_567_890;
const ISN_SERVER = 3_000_000_000;

/** `HH:MM:SS.ffffff` for the i-th microsecond after 10:00. */
function clock(i: number): string {
  const s = 36000 + Math.floor(i / 1e6);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(i % 1e6).padStart(6, '0')}`;
}

/**
 * One connection as tcpdump prints it, relative numbers (or with -S absolute
 * ones): the handshake, then `data` segments of 100 bytes from the client.
 */
function tcpdumpConnection(data: number, absolute: boolean): string[] {
  const seq = (n: number): number => (absolute ? ISN_CLIENT + n : n);
  const ack = (n: number): number => (absolute ? ISN_SERVER + n : n);
  const lines = [
    `${clock(1)} IP ${CLIENT} > ${SERVER}: Flags [S], seq ${ISN_CLIENT}, win 64240, length 0`,
    `${clock(2)} IP ${SERVER} > ${CLIENT}: Flags [S.], seq ${ISN_SERVER}, ack ${ISN_CLIENT + 1}, win 64240, length 0`,
    `${clock(3)} IP ${CLIENT} > ${SERVER}: Flags [.], ack ${ack(1)}, win 502, length 0`,
  ];
  for (let i = 0; i < data; i++) {
    const from = 1 + 100 * i;
    lines.push(
      `${clock(4 + i)} IP ${CLIENT} > ${SERVER}: Flags [P.], seq ${seq(from)}:${seq(from + 100)}, ack ${ack(1)}, win 502, length 100`,
    );
  }
  return lines;
}

/** tshark's default one-line packets (times since the first packet), numbered from `first`. */
function tsharkLines(times: readonly number[], first: number): string[] {
  return times.map(
    (t, i) =>
      `  ${first + i}   ${t.toFixed(6)}    10.9.0.1 → 10.9.0.2    TCP 60 50456 → 5011 [ACK] Seq=1 Ack=1 Win=64512 Len=0`,
  );
}

/** A copy of `s` as a reader without spans makes it (no spans of its own: the prototype's none). */
function withoutSpans(s: Segment): Segment {
  const c: Partial<MutableSegment> = copySegment(s);
  delete c.fields;
  return c as Segment;
}

/** The trace parsed every way a caller parses it; all must agree. */
function parseAllWays(text: string): ParseResult {
  const general = parseTrace(text, { spans: true });
  const plain = { ...general, segments: general.segments.map(withoutSpans) };
  const fast = parseTrace(text, { spans: false });
  assert.deepStrictEqual(fast, plain, 'without spans');
  const streamed: Segment[] = [];
  const parser = new TraceParser({ spans: false, onSegment: (s) => streamed.push(copySegment(s)) });
  for (let at = 0; at < text.length; at += 4093) parser.push(text.slice(at, at + 4093));
  assert.deepStrictEqual({ ...parser.finish(), segments: streamed }, plain, 'streamed');
  return plain;
}

/** The times of the tshark segments (those from 10.9.0.1). */
function tsharkTimes(r: ParseResult): (number | null)[] {
  return r.segments.filter((s) => s.src.host === '10.9.0.1').map((s) => s.time);
}

describe('the numbering and delta rules decided before DECIDE_AFTER packets', () => {
  test('the normaliser lets records go once the -S vote is clear', () => {
    const n = new Normalizer();
    let ctx = INITIAL_CONTEXT;
    const lines = tcpdumpConnection(200, false);
    let heldUntil = -1;
    lines.forEach((line, i) => {
      const r = readLine(line, i, ctx, 0, line.length, false);
      n.push(r, i);
      ctx = nextContext(ctx, r);
      if (n.holdsRecords) heldUntil = i;
    });
    assert.ok(heldUntil > 3 && heldUntil < 100, `records held up to line ${heldUntil}`);
    const segments = n.finish().segments;
    assert.deepStrictEqual(
      segments.slice(3, 6).map((s) => [s.seq, s.ack]),
      [
        [ISN_CLIENT + 1, ISN_SERVER + 1],
        [ISN_CLIENT + 101, ISN_SERVER + 1],
        [ISN_CLIENT + 201, ISN_SERVER + 1],
      ],
    );
  });

  for (const absolute of [false, true]) {
    test(`${absolute ? '-S' : 'relative'} numbers read back the wire's, early and late in the trace`, () => {
      const r = parseAllWays(tcpdumpConnection(300, absolute).join('\n'));
      assert.equal(r.segments.length, 303);
      for (const [k, s] of r.segments.slice(3).entries())
        assert.deepStrictEqual(
          [s.seq, s.ack],
          [ISN_CLIENT + 1 + 100 * k, ISN_SERVER + 1],
          `segment ${k + 3}`,
        );
    });
  }

  test('since-first times out of order after the vote, within the window: times summed as deltas', () => {
    // In the first DECIDE_AFTER packets, tshark times that go back mean -t d: each is the
    // delta to the packet before, so they add up.
    const r = parseAllWays([...tcpdumpConnection(200, false), ...tsharkLines([0.5, 0.3, 0.7], 1)].join('\n'));
    const times = tsharkTimes(r).map((t) => Number((t as number).toFixed(6)));
    assert.deepStrictEqual(times, [0.5, 0.8, 1.5]);
  });

  test('since-first times in order after the vote, within the window: times as printed', () => {
    const r = parseAllWays([...tcpdumpConnection(200, false), ...tsharkLines([0.1, 0.2, 0.3], 1)].join('\n'));
    assert.deepStrictEqual(tsharkTimes(r), [0.1, 0.2, 0.3]);
  });

  test('since-first times out of order after the window: the window had none, times as printed', () => {
    const r = parseAllWays(
      [...tcpdumpConnection(DECIDE_AFTER, false), ...tsharkLines([0.5, 0.3, 0.7], 1)].join('\n'),
    );
    assert.deepStrictEqual(tsharkTimes(r), [0.5, 0.3, 0.7]);
  });

  test('a record the caller fills again after the push is held as it was when pushed', () => {
    // While nothing is held, a caller may refill a pushed record (TraceParser's fast reader
    // does): one that the normaliser must hold again for the delta rules is copied.
    const lines = [...tcpdumpConnection(200, false), ...tsharkLines([0.5, 0.3, 0.7], 1)];
    const records = recordsOf(lines, false);
    const fresh = new Normalizer();
    records.forEach((r, i) => fresh.push(r, i));
    const expected = fresh.finish();
    const refilled = new Normalizer();
    const first = records.length - 3;
    records.forEach((r, i) => {
      const copy = { ...r };
      // The first tshark record comes while nothing is held; the caller then fills it again.
      if (i === first) assert.equal(refilled.holdsRecords, false);
      refilled.push(copy, i);
      if (i === first) {
        assert.equal(refilled.holdsRecords, true);
        Object.assign(copy, records[0]);
      }
    });
    assert.deepStrictEqual(refilled.finish(), expected);
  });
});
