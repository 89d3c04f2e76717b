// A pcapng packet block's 64-bit timestamp split into seconds and microseconds:
// the double division of the common case must give exactly what the exact
// integer division gives, for every resolution pcapng can declare.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setBlockTime } from '../../../server/src/analysis/pcap/pcapng';

/** if_tsresol's units per second: 10^k and 2^k (for these, truncating to microseconds is exact in doubles too). */
const RESOLUTIONS = [
  ...Array.from({ length: 10 }, (_, k) => 10 ** k),
  ...Array.from({ length: 33 }, (_, k) => 2 ** k),
];

function expected(
  hi: number,
  lo: number,
  units: number,
  offset: number,
): { seconds: number; micros: number } {
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  const u = BigInt(units);
  return { seconds: Number(t / u) + offset, micros: Number(((t % u) * 1000000n) / u) };
}

describe('pcapng block timestamps', () => {
  test('seconds and microseconds are exact for every resolution and size of stamp', () => {
    fc.assert(
      fc.property(
        // Stamps below 2^52 (the double division) and above (the long division).
        fc.oneof(fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 0xffffffff })),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(...RESOLUTIONS),
        fc.integer({ min: -86400, max: 86400 }),
        (hi, lo, units, offset) => {
          const rec = { seconds: -1, micros: -1 };
          setBlockTime(rec, hi, lo, units, offset);
          assert.deepStrictEqual(rec, expected(hi, lo, units, offset));
        },
      ),
      { numRuns: 20000 },
    );
  });
});
