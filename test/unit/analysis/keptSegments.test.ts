// KeptSegments (the streaming analysis' store of the segments it still needs):
// what goes in comes back field for field, null fields included, until dropped;
// slots of dropped segments are used again; the index pages cover big indices.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeptSegments } from '../../../server/src/analysis/keptSegments';
import type { PastSegment } from '../../../server/src/analysis/track';

const a = { host: '10.0.0.1', port: 80 };
const b = { host: 'fe80::1', port: 65535 };

function segment(index: number): PastSegment {
  return {
    index,
    line: 3 * index + 1,
    endLine: 3 * index + 2,
    // Every third segment has no time, seq or ack; the others numbers a 32-bit integer cannot hold.
    time: index % 3 === 0 ? null : 1_700_000_000.123456 + index / 7,
    src: index % 2 === 0 ? a : b,
    flags: index & 0xff,
    seq: index % 3 === 1 ? null : 4_294_967_295 - index,
    ack: index % 3 === 2 ? null : 2_147_483_648 + index,
    len: index % 1500,
  };
}

describe('KeptSegments', () => {
  test('keeps segments field for field until dropped, reusing the slots of dropped ones', () => {
    const kept = new KeptSegments();
    const live = new Set<number>();
    // A walk's pattern: every segment kept when walked, most dropped a little later, some kept for good.
    for (let i = 0; i < 200_000; i++) {
      kept.put(segment(i));
      live.add(i);
      const old = i - 37;
      if (old >= 0 && old % 11 !== 0) {
        kept.drop(old);
        live.delete(old);
      }
    }
    assert.equal(kept.size, live.size);
    for (let i = 0; i < 200_000; i++) {
      if (live.has(i)) assert.deepEqual(kept.at(i), segment(i), `segment ${i}`);
      else assert.equal(kept.has(i), false, `segment ${i} dropped`);
    }
    assert.equal(kept.at(22).src, a, 'the endpoint object itself');
    // Dropping what is not kept changes nothing.
    kept.drop(12);
    kept.drop(5_000_000);
    assert.equal(kept.size, live.size);
  });

  test('numbers a record of 32-bit fields cannot hold: the segment is kept as it is', () => {
    const kept = new KeptSegments();
    const odd: PastSegment[] = [
      { ...segment(7), seq: 2 ** 40 },
      { ...segment(8), ack: -1 },
      { ...segment(10), line: 2 ** 32, endLine: 2 ** 32 + 1 },
      { ...segment(11), len: 1.5 },
      { ...segment(13), flags: 2 ** 29 },
    ];
    for (const s of odd) kept.put(s);
    kept.put(segment(9));
    assert.equal(kept.size, 6);
    for (const s of odd) {
      assert.equal(kept.has(s.index), true);
      assert.equal(kept.at(s.index), s, 'the object itself');
    }
    assert.deepEqual(kept.at(9), segment(9));
    kept.drop(7);
    kept.drop(9);
    assert.equal(kept.has(7), false);
    assert.equal(kept.has(9), false);
    assert.equal(kept.size, 4);
    assert.throws(() => kept.at(7), /segment 7 is not kept/);
    // The largest numbers that fit come back the same from the record.
    const big = {
      ...segment(20),
      line: 2 ** 32 - 1,
      flags: 2 ** 29 - 1,
      seq: 2 ** 32 - 1,
      ack: 0,
      len: 2 ** 32 - 1,
    };
    kept.put(big);
    assert.deepEqual(kept.at(20), big);
    assert.notEqual(kept.at(20), big);
  });

  test('indices far apart and outside the pages', () => {
    const kept = new KeptSegments();
    kept.put(segment(3_000_001));
    kept.put(segment(0));
    assert.deepEqual(kept.at(3_000_001), segment(3_000_001));
    assert.deepEqual(kept.at(0), segment(0));
    assert.equal(kept.has(70_000), false);
    assert.equal(kept.has(-1), false);
    assert.throws(() => kept.at(1), /segment 1 is not kept/);
  });
});
