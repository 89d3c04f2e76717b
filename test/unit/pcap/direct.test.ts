// The direct analysis path (parseCaptureDirect: segments built from the
// decoded fields, no text) must give exactly what the text path gives — the
// parse of the capture's tcpdump rendering — on every real capture, every
// variant and random damage, and the same analysis.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeParsed } from '../../../server/src/analysis';
import {
  ByteWindow,
  parseCapture,
  parseCaptureDirect,
  renderCaptureBytes,
} from '../../../server/src/analysis/pcap';
import type { CaptureParseOptions } from '../../../server/src/analysis/pcap';
import { captureDecoder } from '../../../server/src/cli/capture';
import { captureScenarios, capturesDir, variantsDir } from './support';
import { withoutSegmentLists } from '../../support/streamed';
import { comparable } from '../../support/results';

function captures(): { name: string; file: string }[] {
  const real = captureScenarios().map((d) => ({ name: d, file: path.join(capturesDir, d, 'capture.pcap') }));
  const variants = fs
    .readdirSync(variantsDir)
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .sort()
    .map((f) => ({ name: f, file: path.join(variantsDir, f) }));
  return [...real, ...variants];
}

const SETTINGS: readonly CaptureParseOptions[] = [
  { timeZone: 'UTC' },
  { timeZone: 'America/New_York' },
  { timeZone: 'Asia/Kolkata', withDate: true },
];

/** A window reading `bytes` at most `step` bytes per read, as a file read in pieces. */
function pieces(bytes: Uint8Array, step: number): ByteWindow {
  let at = 0;
  return ByteWindow.reading((into) => {
    const n = Math.min(step, into.length, bytes.length - at);
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  });
}

/** Read in pieces, the capture renders and parses as it does whole. */
function assertSameInPieces(bytes: Uint8Array, step: number): void {
  const options = { timeZone: 'UTC' };
  const whole = renderCaptureBytes(bytes, options);
  const streamed = renderCaptureBytes(pieces(bytes, step), options);
  assert.deepStrictEqual(streamed, whole);
  assert.deepStrictEqual(
    parseCaptureDirect(pieces(bytes, step), options),
    parseCaptureDirect(bytes, options),
  );
}

/** Both paths on the same bytes: equal parse results; with `analyse`, equal analyses. */
function assertSame(bytes: Uint8Array, options: CaptureParseOptions, analyse: boolean): void {
  const direct = parseCaptureDirect(bytes, options);
  const text = parseCapture(bytes, { ...options, spans: false });
  assert.deepStrictEqual(direct, text);
  if (analyse) assert.deepStrictEqual(comparable(analyzeParsed(direct)), comparable(analyzeParsed(text)));
}

describe('direct capture path equals the parse of the rendering', () => {
  for (const c of captures()) {
    test(c.name, () => {
      const bytes = fs.readFileSync(c.file);
      for (const options of SETTINGS) assertSame(bytes, options, options === SETTINGS[0]);
    });
  }

  test('read in pieces (1, 7 and 4096 bytes a read): the same rendering and parse', () => {
    for (const c of captures()) {
      const bytes = fs.readFileSync(c.file);
      for (const step of [1, 7, 4096]) assertSameInPieces(bytes, step);
    }
  });

  test('ordinary packets are built without their text', () => {
    const bytes = fs.readFileSync(path.join(capturesDir, 'loss-sack', 'capture.pcap'));
    const counts = { textLines: 0, directLines: 0, wireLines: 0 };
    const parsed = parseCaptureDirect(bytes, { timeZone: 'UTC' }, counts);
    assert.equal(counts.textLines, 0);
    assert.equal(counts.directLines, parsed.segments.length);
    assert.ok(parsed.segments.length > 20);
  });
});

const SEEDS = [
  path.join(capturesDir, 'interleaved', 'capture.pcap'),
  path.join(capturesDir, 'loss-sack', 'capture.pcap'),
  path.join(capturesDir, 'any-interface', 'capture.pcap'),
  path.join(capturesDir, 'tfo', 'capture.pcap'),
  path.join(variantsDir, 'close-client.multi.pcapng'),
  path.join(variantsDir, 'ipv6.ext-rt.pcap'),
  path.join(variantsDir, 'crafted.pcap'),
  path.join(variantsDir, 'ipv6.old-blocks.pcapng'),
].map((f) => fs.readFileSync(f));

type Mutation = { at: number; kind: 'set' | 'cut' | 'word'; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('set' as const, 'set' as const, 'word' as const, 'cut' as const),
  value: fc.integer({ min: 0, max: 0xffffffff }),
});

function mutate(seed: Buffer, steps: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(seed);
  for (const m of steps) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'set') b[at] = m.value & 0xff;
    else if (m.kind === 'cut') b = b.subarray(0, at);
    else if (at + 4 <= b.length) b.writeUInt32BE(m.value, at);
  }
  return b;
}

describe('direct capture path properties', () => {
  test('random bytes: never throws, equals the text path', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => assertSame(bytes, SETTINGS[0]!, false)),
      { numRuns: 200 },
    );
  });

  test('damaged captures read in pieces: the same rendering, problems and parse as whole', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 300 }),
        (i, steps, step) => assertSameInPieces(mutate(SEEDS[i]!, steps), step),
      ),
      { numRuns: 200 },
    );
  });

  test('random damage to real captures (headers, options, lengths): equals the text path', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 12 }),
        fc.nat({ max: SETTINGS.length - 1 }),
        (i, steps, s) => assertSame(mutate(SEEDS[i]!, steps), SETTINGS[s]!, true),
      ),
      { numRuns: 300 },
    );
  });
});

describe("the CLI's streamed analysis of captures", () => {
  test('every capture and variant: the connections and findings of the whole analysis of the text path', () => {
    const decoder = captureDecoder();
    for (const c of captures()) {
      const bytes = fs.readFileSync(c.file);
      const whole = analyzeParsed(parseCapture(bytes, { timeZone: 'UTC', spans: false }), {
        perSegment: false,
      });
      let opened = 0;
      const streamed = decoder.analyse(
        () => {
          opened++;
          return { bytes: pieces(bytes, 997), close: () => undefined };
        },
        'UTC',
        {},
      );
      assert.deepStrictEqual(streamed.connections, withoutSegmentLists(whole.connections), c.name);
      assert.deepStrictEqual(streamed.diagnostics, whole.diagnostics, c.name);
      assert.equal(streamed.vantage, whole.vantage, c.name);
      assert.equal(streamed.segmentCount, whole.segments.length, c.name);
      // Read a second time only when the vantage vote needed the walk redone.
      assert.equal(opened, whole.vantage === 'client' || whole.vantage === 'server' ? 2 : 1, c.name);
    }
  });
});

/**
 * A little-endian microsecond pcap with every record after the first moved
 * `ms` later: the SYN's answer then takes a whole round trip while the ACK
 * follows the SYN-ACK at once, which is how a capture on the client looks.
 */
function delayedAfterFirst(bytes: Uint8Array, ms: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  assert.equal(view.getUint32(0, true), 0xa1b2c3d4, 'a little-endian microsecond pcap');
  let at = 24;
  for (let k = 0; at + 16 <= out.length; k++) {
    if (k > 0) {
      const micros = view.getUint32(at + 4, true) + ms * 1000;
      view.setUint32(at, view.getUint32(at, true) + Math.floor(micros / 1e6), true);
      view.setUint32(at + 4, micros % 1e6, true);
    }
    at += 16 + view.getUint32(at + 8, true);
  }
  return out;
}

describe("the CLI's streamed analysis of a capture taken at the client", () => {
  test('the vantage vote says client, the capture is read twice, and the result is the whole analysis', () => {
    const real = fs.readFileSync(path.join(capturesDir, 'veth-ethernet', 'capture.pcap'));
    const bytes = delayedAfterFirst(real, 20);
    const whole = analyzeParsed(parseCapture(bytes, { timeZone: 'UTC', spans: false }), {
      perSegment: false,
    });
    assert.equal(whole.vantage, 'client');
    let opened = 0;
    const streamed = captureDecoder().analyse(
      () => {
        opened++;
        return { bytes: pieces(bytes, 101), close: () => undefined };
      },
      'UTC',
      {},
    );
    assert.equal(opened, 2);
    assert.equal(streamed.vantage, 'client');
    assert.deepStrictEqual(streamed.connections, withoutSegmentLists(whole.connections));
    assert.deepStrictEqual(streamed.diagnostics, whole.diagnostics);
    assert.equal(streamed.segmentCount, whole.segments.length);
  });
});
