// Each connection's segment indices come from the walk's SegmentLists (shared typed
// chunks, segmentLists.ts) instead of an array per connection: on every real capture
// a connection's `segments` must be exactly the segments the per-segment results give
// to it, in trace order; and lists that interleave over many chunks read back whole.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeTrace } from '../../../server/src/analysis';
import { SegmentLists } from '../../../server/src/analysis/segmentLists';
import { capturesDir, captureTraces } from '../../support/paths';

describe('segment lists', () => {
  for (const trace of captureTraces()) {
    test(`${trace}: each connection lists the segments given to it, in order`, () => {
      const r = analyzeTrace(fs.readFileSync(path.join(capturesDir, trace), 'utf8'));
      const byConnection = new Map<number, number[]>();
      for (let i = 0; i < r.segments.length; i++) {
        const id = r.perSegment.connectionOf(i);
        if (id < 0) continue;
        const list = byConnection.get(id) ?? [];
        list.push(i);
        byConnection.set(id, list);
      }
      for (const c of r.connections) assert.deepEqual([...c.segments], byConnection.get(c.id) ?? []);
    });
  }

  test('interleaved lists across chunks and a first chunk that grows', () => {
    const lists = new SegmentLists();
    const want: number[][] = Array.from({ length: 7 }, () => []);
    const ends = want.map(() => ({ head: -1, tail: -1 }));
    // 30,000 entries: several 8,192-entry chunks; list k takes every segment i with i % 7 === k,
    // but list 6 only the first 40 (a list that ends early).
    for (let i = 0; i < 30000; i++) {
      const k = i % 7;
      if (k === 6 && want[6].length === 40) continue;
      const e = ends[k];
      e.tail = lists.append(e.tail, i);
      if (e.head < 0) e.head = e.tail;
      want[k].push(i);
    }
    for (let k = 0; k < 7; k++) assert.deepEqual(lists.list(ends[k].head), want[k]);
    assert.deepEqual(lists.list(-1), []);
  });

  test('a list longer than those made to their size at once', () => {
    const lists = new SegmentLists();
    let head = -1;
    let tail = -1;
    for (let i = 0; i < 20000; i++) {
      tail = lists.append(tail, 3 * i);
      if (head < 0) head = tail;
    }
    const got = lists.list(head);
    assert.equal(got.length, 20000);
    assert.ok(got.every((v, k) => v === 3 * k));
  });
});
