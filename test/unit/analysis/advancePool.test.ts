// The pool of advancing segments (analysis/advances.ts): entries read back as
// written whatever the runs' moves between chunks, and a walk over a few
// connections (the language server's re-analysis of an edit) holds a few
// slots, not a full chunk: its connections keep their pool as long as the
// document's analysis keeps them. Entries by run (the summary's walk) answer
// whether a byte was carried exactly as entries by segment do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdvancePool,
  advanceIndex,
  advanceLine,
  advanceStart,
  advanceTime,
  appendAdvance,
  appendAdvanceRange,
  firstEndAbove,
  type AdvanceRun,
} from '../../../server/src/analysis/advances';
import { findCarrier } from '../../../server/src/analysis/anomalies';
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

  test('entries by run tell whether a byte was carried as entries by segment do', () => {
    const next = random(20261130 + 6);
    const pool = new AdvancePool();
    let widened = 0;
    for (let round = 0; round < 200; round++) {
      const bySegment = newDir(pool);
      const byRun = newDir(pool);
      bySegment.base = byRun.base = 0;
      // As updateTracking appends: each entry ends above the last end (nextSeq moved on), and
      // starts at it (in order), above it (a gap: segments lost) or below it (a
      // retransmission that also carries new bytes); the first may be empty (a pure ACK).
      let end = Math.floor(next() * 3);
      let start = Math.max(0, end - (next() < 0.3 ? 0 : Math.floor(next() * 3)));
      for (let k = 0; k < 60; k++) {
        appendAdvance(bySegment, start, end, k, k, k);
        appendAdvanceRange(byRun, start, end, k, k, k);
        const r = next();
        start = r < 0.6 ? end : r < 0.8 ? end + 1 + Math.floor(next() * 20) : end - Math.floor(next() * 30);
        if (start < 0) start = 0;
        end = Math.max(start, end) + 1 + Math.floor(next() * 20);
      }
      widened += bySegment.advCount - byRun.advCount;
      for (let x = 0; x <= end + 2; x++) {
        const carried = (d: AdvanceRun & { base: number | null }): boolean => findCarrier(d as never, x) >= 0;
        if (carried(bySegment) !== carried(byRun)) assert.fail(`round ${round}: byte ${x}`);
      }
    }
    // Most entries were widened into the one before (in-order and overlapping data).
    assert.ok(widened > 200 * 30, `${widened} entries widened`);
  });
});
