// The capture path's SegmentMaker decides the -S numbering as soon as its vote
// is clear, as the text parser's Normalizer does (parse/earlyDecision.test.ts),
// instead of holding the first DECIDE_AFTER packet lines back: the lines after
// that are built from their fields (and most take the wire's numbers) in
// captures of any length. A record that needs the delta rules before the
// DECIDE_AFTER-th packet holds the records again until then, so the maker
// makes what the Normalizer makes of the same records.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Normalizer } from '../../../server/src/analysis/parse';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import { parseCapture, parseCaptureDirect } from '../../../server/src/analysis/pcap';
import { CaptureEndpoints } from '../../../server/src/analysis/pcap/captureEndpoints';
import { SegmentMaker } from '../../../server/src/analysis/pcap/segmentMaker';
import type { Normalized } from '../../../server/src/analysis/parse/normalize';
import { recordsOf } from '../parse/support';
import { generatedCapture } from './longCaptures';

/** tcpdump lines of one connection (relative numbers): handshake, then `data` segments of 100 bytes. */
function tcpdumpConnection(data: number): string[] {
  const t = (i: number): string =>
    `10:00:${String(Math.floor(i / 1e6)).padStart(2, '0')}.${String(i % 1e6).padStart(6, '0')}`;
  const lines = [
    `${t(1)} IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1234567890, win 64240, length 0`,
    `${t(2)} IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 3000000000, ack 1234567891, win 64240, length 0`,
    `${t(3)} IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0`,
  ];
  for (let i = 0; i < data; i++)
    lines.push(
      `${t(4 + i)} IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq ${1 + 100 * i}:${101 + 100 * i}, ack 1, win 502, length 100`,
    );
  return lines;
}

/** tshark's one-line packets (times since the first packet: they need the delta rules). */
function tsharkLines(times: readonly number[]): string[] {
  return times.map(
    (t, i) =>
      `  ${i + 1}   ${t.toFixed(6)}    10.9.0.1 → 10.9.0.2    TCP 60 50456 → 5011 [ACK] Seq=1 Ack=1 Win=64512 Len=0`,
  );
}

/** The maker and the Normalizer fed the same records; `decidedAt(i)` says whether the maker was decided after record i. */
function bothWays(lines: readonly string[]): {
  maker: Normalized;
  normalizer: Normalized;
  decided: boolean[];
} {
  const records = recordsOf(lines, false);
  const m = new SegmentMaker(new CaptureEndpoints(), null);
  const decided: boolean[] = [];
  records.forEach((r, i) => {
    m.push(r, i);
    decided.push(m.decided);
  });
  const n = new Normalizer();
  records.forEach((r, i) => n.push(r, i));
  return { maker: m.finish(), normalizer: n.finish(), decided };
}

describe('the capture path decides the numbering as soon as its vote is clear', () => {
  test('a capture shorter than DECIDE_AFTER: lines after the vote take the wire numbers, as the text parses', () => {
    const bytes = generatedCapture(3000, false);
    const counts = { textLines: 0, directLines: 0, wireLines: 0 };
    const direct = parseCaptureDirect(bytes, { timeZone: 'UTC' }, counts);
    // Held until finish() before: no line took the wire's numbers in a capture this short.
    assert.ok(counts.wireLines > 1000, JSON.stringify(counts));
    assert.deepStrictEqual(direct, parseCapture(bytes, { timeZone: 'UTC', spans: false }));
  });

  test('a short capture whose printed numbers look absolute: the vote says -S early, as the text parses', () => {
    const bytes = generatedCapture(3000, true);
    const counts = { textLines: 0, directLines: 0, wireLines: 0 };
    const direct = parseCaptureDirect(bytes, { timeZone: 'UTC' }, counts);
    assert.equal(counts.wireLines, 0);
    assert.deepStrictEqual(direct, parseCapture(bytes, { timeZone: 'UTC', spans: false }));
  });

  for (const [name, times, data] of [
    ['out of order within the window (summed as deltas)', [0.5, 0.3, 0.7], 200],
    ['in order within the window (as printed)', [0.1, 0.2, 0.3], 200],
    ['out of order after the window (as printed)', [0.5, 0.3, 0.7], DECIDE_AFTER],
  ] as const) {
    test(`since-first times after the vote, ${name}: the maker makes what the Normalizer makes`, () => {
      const tcpdump = tcpdumpConnection(data);
      const { maker, normalizer, decided } = bothWays([...tcpdump, ...tsharkLines(times)]);
      assert.deepStrictEqual(maker, normalizer);
      // Decided early, then (within the window) held again from the first tshark line on.
      assert.equal(decided[100], true);
      assert.equal(decided[tcpdump.length], data >= DECIDE_AFTER);
      const tshark = maker.segments.filter((s) => s.src.host === '10.9.0.1');
      assert.equal(tshark.length, 3);
    });
  }
});
