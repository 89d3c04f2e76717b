// Property tests: the analysis never throws and keeps its invariants on arbitrary segment sequences.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeParsed } from '../../../server/src/analysis';
import type { Endpoint, ParseResult } from '../../../server/src/analysis';
import { buildSegments, type SegmentSpec } from './builder';

const hosts: Endpoint[] = [
  { host: '10.0.0.1', port: 40000 },
  { host: '10.0.0.2', port: 80 },
  { host: '10.0.0.3', port: 40001 },
  { host: '::1', port: 443 },
];

const seqArb = fc.oneof(
  fc.constantFrom(0, 1, 1000, 1001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
);

const specArb: fc.Arbitrary<SegmentSpec> = fc.record({
  from: fc.constantFrom(...hosts),
  to: fc.constantFrom(...hosts),
  flags: fc.oneof(
    fc.constantFrom(0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x00, 0x3f),
    fc.integer({ min: 0, max: 0x1ff }),
  ),
  seq: fc.option(seqArb, { nil: null }),
  ack: fc.option(seqArb, { nil: null }),
  len: fc.oneof(fc.constantFrom(0, 1, 1448), fc.integer({ min: 0, max: 70000 })),
  win: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
  time: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
  options: fc.record({
    mss: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    wscale: fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
  }),
  badChecksum: fc.option(fc.boolean(), { nil: null }),
  ttl: fc.option(fc.constantFrom(1, 63, 64, 128, 255), { nil: undefined }),
});

function parsed(specs: readonly SegmentSpec[]): ParseResult {
  return {
    format: 'tcpdump',
    lineCount: specs.length,
    segments: buildSegments(specs),
    diagnostics: [],
    disabledCodes: [],
  };
}

describe('analysis properties', () => {
  test('never throws; one analysis per segment; diagnostics sorted and pointing at real segments', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { maxLength: 60 }),
        fc.constantFrom(undefined, 'client', 'server', 'middle' as const),
        (specs, vantage) => {
          const r = analyzeParsed(parsed(specs), vantage === undefined ? {} : { vantage });
          assert.equal(r.perSegment.length, specs.length);
          [...r.perSegment].forEach((a, i) => {
            assert.equal(a.segment, i);
            assert.notEqual(a.sender.rule, 'internal-error', a.sender.reason);
            assert.ok(a.connection >= 0 && a.connection < r.connections.length);
          });
          for (let k = 1; k < r.diagnostics.length; k++)
            assert.ok(r.diagnostics[k - 1].line <= r.diagnostics[k].line);
          for (const d of r.diagnostics) assert.ok(d.segment === undefined || d.segment < specs.length);
          const total = r.connections.reduce((n, c) => n + c.segments.length, 0);
          assert.equal(total, specs.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a well-formed exchange keeps the same states whatever the ISNs (32-bit wrap-around)', () => {
    const c = hosts[0];
    const s = hosts[1];
    fc.assert(
      fc.property(seqArb, seqArb, (ci, si) => {
        const add = (a: number, b: number): number => (a + b) >>> 0;
        const specs: SegmentSpec[] = [
          { from: c, to: s, flags: 0x02, seq: ci, ack: null, len: 0, win: 65535, time: 0 },
          { from: s, to: c, flags: 0x12, seq: si, ack: add(ci, 1), len: 0, win: 65535, time: 0.01 },
          { from: c, to: s, flags: 0x10, seq: add(ci, 1), ack: add(si, 1), len: 0, win: 512, time: 0.02 },
          { from: c, to: s, flags: 0x18, seq: add(ci, 1), ack: add(si, 1), len: 3000, win: 512, time: 0.03 },
          { from: s, to: c, flags: 0x10, seq: add(si, 1), ack: add(ci, 3001), len: 0, win: 512, time: 0.04 },
          { from: c, to: s, flags: 0x11, seq: add(ci, 3001), ack: add(si, 1), len: 0, win: 512, time: 0.05 },
          { from: s, to: c, flags: 0x11, seq: add(si, 1), ack: add(ci, 3002), len: 0, win: 512, time: 0.06 },
          { from: c, to: s, flags: 0x10, seq: add(ci, 3002), ack: add(si, 2), len: 0, win: 512, time: 0.07 },
        ];
        const r = analyzeParsed(parsed(specs));
        assert.deepEqual(
          [...r.perSegment].map((a) => `${a.sender.state}>${a.receiver.state}`),
          [
            'SYN_SENT>SYN_RECV',
            'SYN_RECV>ESTABLISHED',
            'ESTABLISHED>ESTABLISHED',
            'ESTABLISHED>ESTABLISHED',
            'ESTABLISHED>ESTABLISHED',
            'FIN_WAIT_1>CLOSE_WAIT',
            'LAST_ACK>TIME_WAIT',
            'TIME_WAIT>CLOSED',
          ],
        );
        assert.deepEqual(r.diagnostics, []);
        assert.equal(r.perSegment.get(6)!.relSeq, 1);
        assert.equal(r.perSegment.get(7)!.relAck, 2);
        assert.equal(r.connections[0].zeekState, 'SF');
      }),
      { numRuns: 300 },
    );
  });
});
