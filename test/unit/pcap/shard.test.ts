// A capture analysed in shares (the CLI's threads, each keeping some
// connections): each run hands out exactly the segments of the whole run
// whose endpoints it keeps, with the same indices and lines, and the same
// line count and diagnostics, on every capture and past the -S vote.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Endpoint, Segment } from '../../../server/src/analysis/model';
import { parseCaptureDirect, type CaptureShard } from '../../../server/src/analysis/pcap';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import { generatedCapture, longCapture } from './longCaptures';
import { capturesDir, captureScenarios, variantsDir } from './support';

function endpointHash(e: Endpoint): number {
  let h = e.port;
  for (let i = 0; i < e.host.length; i++) h = Math.imul(h ^ e.host.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Share `index` of `count`, by a hash of both endpoints that ignores their order. */
function share(index: number, count: number): CaptureShard {
  return { keep: (a, b) => (endpointHash(a) + endpointHash(b)) % count === index };
}

function assertSharesMakeTheWhole(bytes: Uint8Array, name: string): void {
  const options = { timeZone: 'UTC' };
  const whole = parseCaptureDirect(bytes, options);
  const count = 3;
  const handed: Segment[][] = [];
  for (let index = 0; index < count; index++) {
    const segments: Segment[] = [];
    const part = parseCaptureDirect(bytes, {
      ...options,
      shard: share(index, count),
      onSegment: (s) => segments.push(s),
    });
    assert.equal(part.lineCount, whole.lineCount, name);
    assert.deepStrictEqual(part.diagnostics, whole.diagnostics, name);
    const keep = share(index, count).keep;
    assert.deepStrictEqual(
      segments,
      whole.segments.filter((s) => keep(s.src, s.dst)),
      `${name}: share ${index}`,
    );
    handed.push(segments);
  }
  assert.equal(
    handed.reduce((n, s) => n + s.length, 0),
    whole.segments.length,
    name,
  );
}

describe('a capture parsed in shares', () => {
  test('every capture and variant', () => {
    const files = [
      ...captureScenarios().map((d) => path.join(capturesDir, d, 'capture.pcap')),
      ...fs
        .readdirSync(variantsDir)
        .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
        .map((f) => path.join(variantsDir, f)),
    ];
    for (const file of files) assertSharesMakeTheWhole(fs.readFileSync(file), path.basename(file));
  });

  test('long captures, past the held-back lines', () => {
    assertSharesMakeTheWhole(generatedCapture(DECIDE_AFTER + 6000, false), 'generated');
    assertSharesMakeTheWhole(longCapture(DECIDE_AFTER + 6000, 3 * 3600 + 7), 'real records repeated');
  });
});
