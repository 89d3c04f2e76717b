// The vantage vote numbers endpoints by object (parsers share one object per
// address and port) and falls back to `host|port` for another object of the
// same endpoint: a trace whose segments each carry their own endpoint objects
// must get the vote of the parser's shared ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTrace } from '../../../server/src/analysis';
import { detectVantage } from '../../../server/src/analysis/vantage';
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

  test('the traces cover a vote for a side and one without', () => {
    const votes = TRACES.map((f) => detectVantage(segmentsOf(f)).vantage);
    assert.ok(
      votes.some((v) => v === 'client' || v === 'server'),
      votes.join(),
    );
    assert.ok(votes.includes('unknown'), votes.join());
  });
});
