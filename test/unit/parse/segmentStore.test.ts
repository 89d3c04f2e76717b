// Stored segments (parse/segmentStore.ts) keep their numbers in shared columns: they
// must read as the TextSegments makeSegment() makes from the same values, keep every
// value a column cannot hold, and never share what a copy writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACK, PSH, SYN, type Segment } from '../../../server/src/analysis';
import {
  copySegment,
  makeSegment,
  type SegmentSource,
} from '../../../server/src/analysis/parse/segmentObject';
import { moveStoredSegment, SegmentStore } from '../../../server/src/analysis/parse/segmentStore';
import { plainSegment } from '../../support/segments';

const A = { host: '10.0.0.1', port: 40000 };
const B = { host: '10.0.0.2', port: 80 };

function source(overrides: Partial<SegmentSource> = {}): SegmentSource {
  return {
    format: 'tcpdump',
    src: A,
    dst: B,
    flags: ACK | PSH,
    flagsKnown: true,
    printedSeq: 1,
    printedAck: 101,
    len: 100,
    win: 502,
    urg: null,
    truncated: false,
    badChecksum: null,
    toolLabels: undefined,
    appText: undefined,
    ...overrides,
  };
}

type Args = Parameters<typeof makeSegment>;

/** The same segment made both ways. */
function both(...args: Args): { stored: Segment; plain: Segment } {
  return { stored: new SegmentStore().make(...args), plain: makeSegment(...args) };
}

describe('stored segments', () => {
  test('read as makeSegment() makes them, rare properties and nulls included', () => {
    const cases: Args[] = [
      [0, 3, 3, 1700000000.123456, source(), 4000000000, 3000000101, { mss: 1460 }, [], undefined],
      [
        1,
        4,
        5,
        null,
        source({ printedSeq: null, printedAck: null, win: null }),
        null,
        null,
        {},
        [],
        undefined,
      ],
      [
        7,
        9,
        9,
        0.5,
        source({
          format: 'tshark',
          urg: 3,
          truncated: true,
          badChecksum: true,
          toolLabels: ['TCP Retransmission'],
        }),
        0,
        4294967295,
        {},
        [{ kind: 'flags', line: 9, start: 10, end: 13 }],
        { ttl: 64 },
      ],
      [
        2,
        0,
        0,
        12.25,
        source({ flags: 0, flagsKnown: false, appText: 'HTTP: GET /' }),
        null,
        null,
        {},
        [],
        undefined,
      ],
    ];
    for (const args of cases) {
      const { stored, plain } = both(...args);
      assert.deepStrictEqual(plainSegment(stored), plainSegment(plain));
    }
  });

  test('values a column cannot hold are kept as they were given', () => {
    const { stored, plain } = both(
      2 ** 31,
      -1,
      2 ** 32,
      -0.5,
      source({ flags: 0x1ffff, len: 2 ** 33, win: -3 }),
      2 ** 32 + 5,
      -7,
      {},
      [],
      undefined,
    );
    assert.equal(stored.seq, 2 ** 32 + 5);
    assert.equal(stored.ack, -7);
    assert.equal(stored.index, 2 ** 31);
    assert.equal(stored.line, -1);
    assert.equal(stored.flags, 0x1ffff);
    assert.deepStrictEqual(plainSegment(stored), plainSegment(plain));
    // A segment with a number of its own is moved through its properties.
    assert.equal(moveStoredSegment(stored, 1, 1), false);
  });

  test('segments of many column chunks keep their own values', () => {
    const store = new SegmentStore();
    const made: Segment[] = [];
    for (let i = 0; i < 40000; i++) {
      made.push(
        store.make(
          i,
          2 * i,
          2 * i + (i % 2),
          i / 1000,
          source({ len: i % 1500 }),
          (i * 7919) >>> 0,
          i % 3 === 0 ? null : i,
          {},
          [],
          undefined,
        ),
      );
    }
    for (let i = 0; i < made.length; i += 997) {
      const s = made[i]!;
      assert.deepStrictEqual(
        [s.index, s.line, s.endLine, s.time, s.len, s.seq, s.ack],
        [i, 2 * i, 2 * i + (i % 2), i / 1000, i % 1500, (i * 7919) >>> 0, i % 3 === 0 ? null : i],
      );
    }
  });

  test('setters write the columns; a copy is a TextSegment of its own', () => {
    const store = new SegmentStore();
    const first = store.make(0, 0, 0, 1, source(), 10, 20, {}, [], undefined);
    const second = store.make(1, 1, 1, 2, source(), 30, 40, {}, [], undefined);
    const copy = copySegment(first);
    copy.seq = 99;
    copy.time = null;
    assert.equal(first.seq, 10);
    assert.equal(first.time, 1);
    assert.equal(copy.seq, 99);
    assert.deepStrictEqual(
      plainSegment({ ...plainSegment(copy), seq: 10, time: 1 } as Segment),
      plainSegment(first),
    );
    const writable = first as { -readonly [K in keyof Segment]: Segment[K] };
    writable.ack = null;
    writable.time = null;
    writable.endLine = 4;
    assert.equal(first.ack, null);
    assert.equal(first.time, null);
    assert.equal(first.endLine, 4);
    writable.ack = 21;
    assert.equal(first.ack, 21);
    // Its neighbour in the columns is untouched.
    assert.deepStrictEqual([second.seq, second.ack, second.time, second.endLine], [30, 40, 2, 1]);
  });

  test('moving a stored segment moves its index and lines only', () => {
    const store = new SegmentStore();
    const s = store.make(5, 10, 11, 1, source({ flags: SYN }), 1, null, {}, [], undefined);
    assert.equal(moveStoredSegment(s, -2, 3), true);
    assert.deepStrictEqual([s.index, s.line, s.endLine, s.seq, s.flags], [3, 13, 14, 1, SYN]);
    assert.equal(moveStoredSegment(makeSegment(0, 0, 0, 1, source(), 1, 1, {}, [], undefined), 1, 1), false);
  });
});
