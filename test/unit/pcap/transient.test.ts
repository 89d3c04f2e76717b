// The CLI's streamed capture analysis asks the decoder for transient segments
// (CaptureParseOptions.transientSegments): past the lines the -S vote holds
// back, every direct line is written into the same two Segment objects and
// their options. That is only right while StreamAnalyzer (replay mode) keeps no
// reference to a segment or its options after push(): here every segment is
// poisoned as soon as push() returns, and the analysis must still equal the one
// of segments made new for each line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamAnalyzer, type StreamedAnalysis } from '../../../server/src/analysis';
import type { VantageMode } from '../../../server/src/analysis/stream';
import type { Endpoint, Segment } from '../../../server/src/analysis/model';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import { parseCaptureDirect } from '../../../server/src/analysis/pcap';
import { checkDamagedPast, generatedCapture, longCapture, rebasedUnseen } from './longCaptures';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const POISONED: Endpoint = { host: '203.0.113.99', port: 9 };

/** Overwrites every field of the segment and of its options (unless frozen: shared constants). */
function poison(segment: Segment): void {
  const s = segment as Mutable<Segment>;
  const options = s.options as Record<string, unknown>;
  if (!Object.isFrozen(options)) {
    options.mss = 1;
    options.wscale = 14;
    options.sackPermitted = true;
    options.sack = [{ left: 1, right: 2 }];
    options.tsVal = 3;
    options.tsEcr = 4;
  }
  s.index = 0;
  s.line = 0;
  s.endLine = 0;
  s.time = 1e9;
  s.src = POISONED;
  s.dst = POISONED;
  s.flags = 0xff;
  s.seq = 12345;
  s.ack = 54321;
  s.printedSeq = 1;
  s.printedAck = 1;
  s.len = 99999;
  s.win = 0;
  s.urg = 7;
  s.truncated = true;
  s.badChecksum = true;
}

interface Run {
  readonly result: StreamedAnalysis;
  /** Distinct segment objects handed to the analyser. */
  readonly objects: number;
}

/** The streamed analysis of a capture, with each segment poisoned after push() when `transient`. */
function analyse(bytes: Uint8Array, transient: boolean, mode: VantageMode = 'replay'): Run {
  const analyzer = new StreamAnalyzer({}, mode);
  const seen = new Set<Segment>();
  const parsed = parseCaptureDirect(bytes, {
    timeZone: 'UTC',
    transientSegments: transient,
    onSegment: (s) => {
      seen.add(s);
      analyzer.push(s);
      if (transient) poison(s);
    },
  });
  return { result: analyzer.finish(parsed), objects: seen.size };
}

function assertSameAnalysis(bytes: Uint8Array): void {
  const fresh = analyse(bytes, false);
  const transient = analyse(bytes, true);
  const count = fresh.result.segmentCount;
  assert.equal(fresh.objects, count);
  // Most lines past the held ones are direct lines, which share two objects.
  assert.ok(
    count - transient.objects > (count - DECIDE_AFTER) / 2,
    `${transient.objects} objects of ${count}`,
  );
  assert.deepStrictEqual(transient.result, fresh.result);
}

describe('transient segments of the streamed capture analysis', () => {
  test('generated traffic: poisoned after push(), the same analysis as new segments', () => {
    assertSameAnalysis(generatedCapture(DECIDE_AFTER + 12000, false));
  });

  test('generated traffic read as absolute (-S): the same analysis', () => {
    assertSameAnalysis(generatedCapture(DECIDE_AFTER + 6000, true));
  });

  test('real records repeated past midnight, odd lines read from their text between: the same analysis', () => {
    assertSameAnalysis(longCapture(2 * DECIDE_AFTER + 5000, 5 * 3600 + 7));
  });

  test('a conversation numbered again by a line read as no packet: the same analysis', () => {
    assertSameAnalysis(rebasedUnseen(DECIDE_AFTER + 100));
  });

  test('generated traffic damaged past the held lines: the same analysis', () => {
    const clean = generatedCapture(DECIDE_AFTER + 3000, false);
    // Past the pcap header and the first DECIDE_AFTER records (of at least 16 + 54 bytes each).
    const from = 24 + 70 * DECIDE_AFTER;
    checkDamagedPast(clean, from, 6, (bytes) => {
      const fresh = analyse(bytes, false).result;
      assert.deepStrictEqual(analyse(bytes, true).result, fresh);
    });
  });

  test('the poison shows: an analyser that keeps segments (hold mode) is misled', () => {
    const bytes = generatedCapture(DECIDE_AFTER + 2000, false);
    // Hold mode keeps the first segments until the vantage vote is done, so it must not be given transient ones.
    const right = analyse(bytes, false, 'hold').result;
    let misled: StreamedAnalysis | 'failed';
    try {
      misled = analyse(bytes, true, 'hold').result;
    } catch {
      misled = 'failed';
    }
    assert.notDeepStrictEqual(misled, right);
  });
});
