// Property tests (fast-check): the decoder never throws and always finishes on
// random bytes, on random bytes behind a valid pcap/pcapng header, and on
// random mutations of real captures; its output stays proportional to its
// input (bounded memory) and every line it renders ends with '\n'.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseCapture, renderCapture } from '../../../server/src/analysis/pcap';
import { capturesDir, variantsDir } from './support';

const SEEDS = [
  fs.readFileSync(path.join(capturesDir, 'interleaved', 'capture.pcap')),
  fs.readFileSync(path.join(capturesDir, 'any-interface', 'capture.pcap')),
  fs.readFileSync(path.join(variantsDir, 'close-client.multi.pcapng')),
  fs.readFileSync(path.join(variantsDir, 'ipv6.ext-rt.pcap')),
  fs.readFileSync(path.join(variantsDir, 'crafted.pcap')),
  fs.readFileSync(path.join(variantsDir, 'crafted-mptcp.pcap')),
  fs.readFileSync(path.join(variantsDir, 'ipv6.old-blocks.pcapng')),
];

const PCAP_HEADER = SEEDS[0].subarray(0, 24);
const PCAPNG_HEADER = SEEDS[2].subarray(0, 28);

/** Output proportional to input: a line per record, each bounded by its record's size. */
function checkBounded(bytes: Uint8Array): void {
  for (const withDate of [false, true]) {
    const r = renderCapture(bytes, { timeZone: 'UTC', withDate });
    assert.ok(
      r.text.length <= 400 * (r.packets + 1) + 4 * bytes.length,
      `${r.text.length} chars from ${bytes.length} bytes`,
    );
    assert.ok(r.text === '' || r.text.endsWith('\n'));
    assert.equal(r.text.split('\n').length - 1, r.tcpPackets);
    assert.ok(r.packets >= r.tcpPackets);
    assert.ok(r.problems.length <= r.packets + 2);
    for (const p of r.problems) assert.ok(p.offset >= 0 && p.offset <= bytes.length, `offset ${p.offset}`);
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({
    kind: fc.constant('word' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 0xffffffff }),
  }),
);

type Mutation = { kind: 'set' | 'cut' | 'splice' | 'word'; at: number; value?: number; bytes?: Uint8Array };

function mutate(seed: Buffer, steps: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(seed);
  for (const m of steps) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'set') b[at] = m.value ?? 0;
    else if (m.kind === 'cut') b = b.subarray(0, at);
    else if (m.kind === 'splice')
      b = Buffer.concat([b.subarray(0, at), m.bytes ?? new Uint8Array(), b.subarray(at)]);
    else if (at + 4 <= b.length) b.writeUInt32LE(m.value ?? 0, at);
  }
  return b;
}

describe('capture decoder properties', () => {
  test('random bytes: never throws, bounded output', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => checkBounded(bytes)),
      { numRuns: 300 },
    );
  });

  test('random records behind a valid pcap or pcapng header: never throws, bounded output', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 3000 }), (ng, body) =>
        checkBounded(Buffer.concat([ng ? PCAPNG_HEADER : PCAP_HEADER, body])),
      ),
      { numRuns: 300 },
    );
  });

  test('mutations of real captures: never throws, bounded output, analysis input built', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        (i, steps) => {
          const bytes = mutate(SEEDS[i], steps);
          checkBounded(bytes);
          const parsed = parseCapture(bytes, { timeZone: 'UTC' });
          assert.ok(parsed.segments.length <= renderCapture(bytes).tcpPackets);
        },
      ),
      { numRuns: 400 },
    );
  });
});
