// The direct path builds most segments without a record only after the first
// DECIDE_AFTER packet lines (which the -S vote holds back), so the captures of
// the other tests, all shorter, never reach that part: these are long ones,
// made of real records and of generated packets, checked against the text path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCapture,
  parseCaptureDirect,
  type CaptureParseOptions,
} from '../../../server/src/analysis/pcap';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import type { ParseResult } from '../../../server/src/analysis/model';
import { ACK, checkDamagedPast, generatedCapture, longCapture, rebasedUnseen } from './longCaptures';

/** Segments compared one by one first: a failure names the first that differs. */
function assertSameParse(direct: ParseResult, text: ParseResult): void {
  assert.equal(direct.segments.length, text.segments.length);
  for (let i = 0; i < text.segments.length; i++)
    assert.deepStrictEqual(direct.segments[i], text.segments[i], `segment ${i}`);
  assert.deepStrictEqual(direct, text);
}

/** The byte offset of record `n` (0-based) of a little-endian pcap. */
function recordOffset(bytes: Buffer, n: number): number {
  let at = 24;
  for (let k = 0; k < n; k++) at += 16 + bytes.readUInt32LE(at + 8);
  return at;
}

function assertSame(bytes: Uint8Array, options: CaptureParseOptions): void {
  assertSameParse(parseCaptureDirect(bytes, options), parseCapture(bytes, { ...options, spans: false }));
}

describe('long captures: the direct path past the held-back lines', () => {
  test('generated traffic equals the text path', () => {
    const bytes = generatedCapture(DECIDE_AFTER + 8000, false);
    const counts = { textLines: 0, directLines: 0, wireLines: 0 };
    const direct = parseCaptureDirect(bytes, { timeZone: 'Asia/Kolkata' }, counts);
    // Both ways of numbering a direct line once the vote is clear: the wire's numbers where the
    // normaliser's entry holds tcpdump's bases, the entry's replay elsewhere (an entry made by
    // a pure ACK after a missed handshake, conversations with lines read from their text).
    // (The vote is clear after a few hundred of the 28,000 lines, about one in eight read from its text.)
    assert.ok(
      counts.wireLines > 10000 && counts.directLines - counts.wireLines > 2000,
      JSON.stringify(counts),
    );
    // Read as relative: the segments' numbers are the printed ones moved by each side's base.
    assert.ok(direct.segments.filter((s) => s.len > 0 && s.seq !== s.printedSeq).length > 1000);
    assertSameParse(direct, parseCapture(bytes, { timeZone: 'Asia/Kolkata', spans: false }));
  });

  test('generated traffic whose printed numbers look absolute (the vote says -S) equals the text path', () => {
    const bytes = generatedCapture(DECIDE_AFTER + 8000, true);
    const direct = parseCaptureDirect(bytes, { timeZone: 'UTC' });
    // Read as absolute, the printed numbers are the segments' numbers.
    const data = direct.segments.filter((s) => s.len > 0 && (s.flags & ACK) !== 0);
    // The normaliser's entries do not hold the bases then: no line takes the wire's numbers.
    const counts = { textLines: 0, directLines: 0, wireLines: 0 };
    parseCaptureDirect(bytes, { timeZone: 'UTC' }, counts);
    assert.equal(counts.wireLines, 0);
    assert.ok(data.length > 1000 && data.every((s) => s.seq === s.printedSeq));
    assertSameParse(direct, parseCapture(bytes, { timeZone: 'UTC', spans: false }));
  });

  test('generated traffic damaged past the held-back lines equals the text path', () => {
    const clean = generatedCapture(DECIDE_AFTER + 3000, false);
    // Past the first DECIDE_AFTER records: damage there meets lines that take the wire's numbers.
    const from = recordOffset(clean, DECIDE_AFTER);
    checkDamagedPast(clean, from, 8, (bytes) => assertSame(bytes, { timeZone: 'UTC' }));
  });

  test('tcpdump numbering again in a line read as no packet: the wire numbers are not taken after it', () => {
    const bytes = rebasedUnseen(DECIDE_AFTER + 100);
    const direct = parseCaptureDirect(bytes, { timeZone: 'UTC' });
    // The data after the odd SYN-ACK: printed relative to its numbers, moved by the old entry's bases.
    const last = direct.segments.slice(-4);
    assert.deepStrictEqual(
      last.map((s) => [s.printedSeq, s.seq]),
      [
        [1, 1001],
        [null, null],
        [101, 1101],
        [null, null],
      ],
    );
    assertSameParse(direct, parseCapture(bytes, { timeZone: 'UTC', spans: false }));
  });

  test('real records repeated (past midnight, odd lines between common ones) equal the text path', () => {
    const bytes = longCapture(2 * DECIDE_AFTER + 5000, 5 * 3600 + 7);
    assertSame(bytes, { timeZone: 'UTC' });
    assertSame(bytes, { timeZone: 'America/New_York', withDate: true });
  });
});
