// The pool of advancing segments (analysis/advances.ts): entries read back as
// written whatever the runs' moves between chunks, and a walk over a few
// connections (the language server's re-analysis of an edit) holds a few
// slots, not a full chunk: its connections keep their pool as long as the
// document's analysis keeps them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdvancePool,
  advanceIndex,
  advanceLine,
  advanceStart,
  advanceTime,
  appendAdvance,
  firstEndAbove,
} from '../../../server/src/analysis/advances';
import { newDir } from '../../../server/src/analysis/track';

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('advance pool', () => {
  test('a walk of a few segments holds a small chunk', () => {
    const pool = new AdvancePool();
    const c2s = newDir(pool);
    const s2c = newDir(pool);
    for (let k = 0; k < 10; k++) {
      appendAdvance(c2s, k * 100, k * 100 + 100, 2 * k, 2 * k, k / 10);
      appendAdvance(s2c, k, k + 1, 2 * k + 1, 2 * k + 1, NaN);
    }
    // Four numbers an entry: a full 65,536-entry chunk would be 262,144 of them.
    assert.ok(c2s.advInts.length <= 4 * 1024, `${c2s.advInts.length} numbers`);
    assert.equal(c2s.advInts.buffer, s2c.advInts.buffer, 'both directions share the chunk');
    assert.equal(advanceStart(c2s, 9), 900);
    assert.equal(advanceIndex(s2c, 9), 19);
    assert.ok(Number.isNaN(advanceTime(s2c, 3)));
  });

  test('entries read back as written across many directions, runs and chunks', () => {
    const next = random(20261130);
    const pool = new AdvancePool();
    const dirs = Array.from({ length: 300 }, () => newDir(pool));
    const written: { start: number; end: number; index: number; line: number; time: number }[][] = dirs.map(
      () => [],
    );
    let index = 0;
    // About 400k entries: past the first chunks and a few full-size ones; some directions grow big.
    for (let n = 0; n < 400_000; n++) {
      const r = next();
      const k = r < 0.2 ? 0 : Math.floor(next() * dirs.length);
      const list = written[k];
      const start = list.length === 0 ? 0 : list[list.length - 1].end;
      const entry = {
        start,
        end: start + 1 + Math.floor(next() * 1460),
        index,
        line: index,
        time: index / 1000,
      };
      index++;
      appendAdvance(dirs[k], entry.start, entry.end, entry.index, entry.line, entry.time);
      list.push(entry);
    }
    for (let k = 0; k < dirs.length; k++) {
      const d = dirs[k];
      const list = written[k];
      assert.equal(d.advCount, list.length, `direction ${k}`);
      for (let e = 0; e < list.length; e++) {
        const w = list[e];
        if (
          advanceStart(d, e) !== w.start ||
          advanceIndex(d, e) !== w.index ||
          advanceLine(d, e) !== w.line ||
          advanceTime(d, e) !== w.time
        )
          assert.fail(`direction ${k} entry ${e}`);
      }
      if (list.length > 0) assert.equal(firstEndAbove(d, list[list.length - 1].end - 1), list.length - 1);
    }
  });
});
