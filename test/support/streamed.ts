// A streamed analysis (StreamAnalyzer) lists no segment indices in its
// connections, only their counts: what it must equal of a whole analysis.
import assert from 'node:assert/strict';
import type { Connection } from '../../server/src/analysis';

/** The whole analysis' connections without their segment lists, after checking the lists add up to the counts. */
export function withoutSegmentLists(connections: readonly Connection[]): Connection[] {
  return connections.map((c) => {
    assert.equal(c.segments.length, c.c2s.segments + c.s2c.segments, `connection ${c.id}: segment count`);
    return { ...c, segments: [] };
  });
}
