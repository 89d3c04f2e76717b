// The vantage vote numbers endpoints by object (parsers share one object per
// address and port) and falls back to `host|port` for another object of the
// same endpoint: a trace whose segments each carry their own endpoint objects
// must get the vote of the parser's shared ones, and a numbering kept from one
// vote to the next (the language server's, per document) must vote as a fresh one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTrace } from '../../../server/src/analysis';
import { detectVantage, EndpointIds, voteInSteps } from '../../../server/src/analysis/vantage';
import { runToEnd } from '../../../server/src/analysis/steps';
import type { Segment } from '../../../server/src/analysis/model';
import { capturesDir } from '../../support/paths';

/** Traces whose vote says client or server (by TTL), and one that says nothing. */
const TRACES = [
  'refused/tcpdump-n-tttt-v.tcptrace',
  'refused/tcpdump-n-vv.tcptrace',
  'syn-flood/tcpdump-n-vv.tcptrace',
  'refused/tcpdump-n.tcptrace',
];

function segmentsOf(file: string): readonly Segment[] {
  return parseTrace(fs.readFileSync(path.join(capturesDir, file), 'utf8')).segments;
}

describe('vantage vote: endpoints by object and by host and port', () => {
  for (const file of TRACES) {
    test(`${file}: own endpoint objects per segment vote as the shared ones`, () => {
      const segments = segmentsOf(file);
      const own = segments.map((s) => ({ ...s, src: { ...s.src }, dst: { ...s.dst } }));
      assert.notEqual(own[0]?.src, segments[0]?.src);
      assert.deepStrictEqual(detectVantage(own), detectVantage(segments));
    });
  }

  test('a numbering kept across votes (as the language server keeps one per document) votes as a fresh one', () => {
    // One numbering for all the traces, in turn, twice: the second round numbers no new object.
    const ids = new EndpointIds();
    const vote = (segments: readonly Segment[]): unknown =>
      runToEnd(voteInSteps(segments.length, (i) => segments[i]!, 64, ids));
    const traces = TRACES.map(segmentsOf);
    for (let round = 0; round < 2; round++) {
      const before = ids.objects;
      for (const segments of traces) assert.deepStrictEqual(vote(segments), detectVantage(segments));
      if (round === 1) assert.equal(ids.objects, before);
    }
    // Other objects for the same endpoints (an edited line read again) join their numbers.
    for (const segments of traces) {
      const own = segments.map((s) => ({ ...s, src: { ...s.src }, dst: { ...s.dst } }));
      assert.deepStrictEqual(vote(own), detectVantage(segments));
    }
  });

  test('the traces cover a vote for a side and one without', () => {
    const votes = TRACES.map((f) => detectVantage(segmentsOf(f)).vantage);
    assert.ok(
      votes.some((v) => v === 'client' || v === 'server'),
      votes.join(),
    );
    assert.ok(votes.includes('unknown'), votes.join());
  });
});
