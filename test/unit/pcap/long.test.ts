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
import { ACK, generatedCapture, longCapture } from './longCaptures';

/** Segments compared one by one first: a failure names the first that differs. */
function assertSameParse(direct: ParseResult, text: ParseResult): void {
  assert.equal(direct.segments.length, text.segments.length);
  for (let i = 0; i < text.segments.length; i++)
    assert.deepStrictEqual(direct.segments[i], text.segments[i], `segment ${i}`);
  assert.deepStrictEqual(direct, text);
}

function assertSame(bytes: Uint8Array, options: CaptureParseOptions): void {
  assertSameParse(parseCaptureDirect(bytes, options), parseCapture(bytes, { ...options, spans: false }));
}

describe('long captures: the direct path past the held-back lines', () => {
  test('generated traffic equals the text path', () => {
    const bytes = generatedCapture(DECIDE_AFTER + 8000, false);
    const direct = parseCaptureDirect(bytes, { timeZone: 'Asia/Kolkata' });
    // Read as relative: the segments' numbers are the printed ones moved by each side's base.
    assert.ok(direct.segments.filter((s) => s.len > 0 && s.seq !== s.printedSeq).length > 1000);
    assertSameParse(direct, parseCapture(bytes, { timeZone: 'Asia/Kolkata', spans: false }));
  });

  test('generated traffic whose printed numbers look absolute (the vote says -S) equals the text path', () => {
    const bytes = generatedCapture(DECIDE_AFTER + 8000, true);
    const direct = parseCaptureDirect(bytes, { timeZone: 'UTC' });
    // Read as absolute, the printed numbers are the segments' numbers.
    const data = direct.segments.filter((s) => s.len > 0 && (s.flags & ACK) !== 0);
    assert.ok(data.length > 1000 && data.every((s) => s.seq === s.printedSeq));
    assertSameParse(direct, parseCapture(bytes, { timeZone: 'UTC', spans: false }));
  });

  test('real records repeated (past midnight, odd lines between common ones) equal the text path', () => {
    const bytes = longCapture(2 * DECIDE_AFTER + 5000, 5 * 3600 + 7);
    assertSame(bytes, { timeZone: 'UTC' });
    assertSame(bytes, { timeZone: 'America/New_York', withDate: true });
  });
});
