// Damaged captures: the decoder reports the problem with its byte offset and
// still renders everything before it — exactly the packets tcpdump prints
// before it gives up — and never throws.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCapture, parseCapture, renderCapture } from '../../../server/src/analysis/pcap';
import { capturesDir, firstDifference, tcpdump, variantsDir } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-pcap-damaged-'));
const pcap = fs.readFileSync(path.join(capturesDir, 'half-close', 'capture.pcap'));
const pcapng = fs.readFileSync(path.join(variantsDir, 'half-close.editcap.pcapng'));

/** Record offsets of a little-endian microsecond pcap. */
function recordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let o = 24; o + 16 <= b.length; o += 16 + b.readUInt32LE(o + 8)) out.push(o);
  return out;
}

/** What the real tcpdump prints for these bytes (stdout only). */
function theirs(bytes: Uint8Array, name: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return tcpdump(file, 'UTC').stdout;
}

describe('damaged captures', () => {
  test('pcap cut anywhere: the packets before the cut, as tcpdump prints them, and the offset of the cut record', () => {
    const offsets = recordOffsets(pcap);
    const full = renderCapture(pcap, { timeZone: 'UTC' }).text.split('\n');
    for (let cut = 0; cut <= pcap.length; cut++) {
      const r = renderCapture(pcap.subarray(0, cut), { timeZone: 'UTC' });
      const complete = offsets.filter((o) => o + 16 + pcap.readUInt32LE(o + 8) <= cut).length;
      assert.equal(r.text, full.slice(0, complete).join('\n') + (complete > 0 ? '\n' : ''), `cut at ${cut}`);
      const atBoundary = cut >= 24 && (cut === pcap.length || offsets.includes(cut));
      if (atBoundary) assert.deepEqual(r.problems, [], `cut at ${cut}`);
      else {
        assert.equal(r.problems.length, 1, `cut at ${cut}`);
        const p = r.problems[0];
        assert.equal(p.severity, 'error');
        assert.equal(p.offset, cut < 24 ? 0 : offsets[complete], `cut at ${cut}`);
        if (cut >= 24) assert.equal(p.packet, complete + 1);
        assert.equal(p.line, complete);
      }
    }
    // tcpdump agrees on what comes before the damage (a sample of cut points).
    for (const cut of [30, offsets[3] + 5, offsets[5] + 20, offsets[9] + 60, pcap.length - 1]) {
      const ours = renderCapture(pcap.subarray(0, cut), { timeZone: 'UTC' }).text;
      const real = theirs(pcap.subarray(0, cut), `cut-${cut}.pcap`);
      assert.ok(ours === real, `cut at ${cut}: ${firstDifference(ours, real)}`);
    }
  });

  test('pcapng cut anywhere: never throws, keeps the complete blocks, names the offset', () => {
    const full = renderCapture(pcapng, { timeZone: 'UTC' }).text;
    let previous = -1;
    for (let cut = 0; cut < pcapng.length; cut++) {
      const r = renderCapture(pcapng.subarray(0, cut), { timeZone: 'UTC' });
      assert.ok(full.startsWith(r.text), `cut at ${cut}`);
      assert.ok(r.problems.length <= 1);
      const lines = r.text.split('\n').length - 1;
      assert.ok(lines >= previous, 'monotonic');
      previous = lines;
      if (r.problems.length === 1) assert.ok(r.problems[0].offset <= cut, `cut at ${cut}`);
    }
    for (const cut of [100, 400, pcapng.length - 3]) {
      const ours = renderCapture(pcapng.subarray(0, cut), { timeZone: 'UTC' }).text;
      const real = theirs(pcapng.subarray(0, cut), `cut-${cut}.pcapng`);
      assert.ok(ours === real, `cut at ${cut}: ${firstDifference(ours, real)}`);
    }
  });

  test('an absurd record length stops the reading at that record', () => {
    const offsets = recordOffsets(pcap);
    const bad = Buffer.from(pcap);
    bad.writeUInt32LE(0x7fffffff, offsets[6] + 8);
    const r = renderCapture(bad, { timeZone: 'UTC' });
    assert.equal(r.packets, 6);
    assert.deepEqual(
      r.problems.map((p) => [p.offset, p.packet, p.severity]),
      [[offsets[6], 7, 'error']],
    );
    assert.match(r.problems[0].message, /record length 2147483647 is larger than the maximum of 262144/);
    assert.equal(r.text, theirs(bad, 'absurd.pcap'));
  });

  test('an absurd pcapng block length stops the reading at that block', () => {
    const bad = Buffer.from(pcapng);
    // The first Enhanced Packet Block: after the section header and interface description.
    let o = 0;
    while (bad.readUInt32LE(o) !== 6) o += bad.readUInt32LE(o + 4);
    bad.writeUInt32LE(0x40000000, o + 4);
    const r = renderCapture(bad, { timeZone: 'UTC' });
    assert.equal(r.text, '');
    assert.equal(r.problems[0].offset, o + 4);
    assert.equal(r.problems[0].severity, 'error');
    assert.equal(r.text, theirs(bad, 'absurd.pcapng'));
  });

  test('wrong magic, empty, tiny and header-only files', () => {
    const wrong = Buffer.from(pcap);
    wrong[0] ^= 0xff;
    assert.equal(isCapture(wrong), false);
    for (const [bytes, container, message] of [
      [wrong, 'unknown', /unknown magic number/],
      [new Uint8Array(0), 'unknown', /only 0 bytes/],
      [pcap.subarray(0, 3), 'unknown', /only 3 bytes/],
      [pcap.subarray(0, 10), 'pcap', /truncated pcap file header: 10 of 24 bytes/],
      [pcapng.subarray(0, 10), 'pcapng', /file ends inside a block header/],
    ] as const) {
      const r = renderCapture(bytes);
      assert.equal(r.container, container);
      assert.equal(r.text, '');
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].offset, 0);
      assert.match(r.problems[0].message, message);
    }
    assert.equal(renderCapture(pcap.subarray(0, 24)).problems.length, 0);
  });

  test('the analysis input of a damaged capture: segments before the damage, and a capture-damaged finding there', () => {
    const cut = recordOffsets(pcap)[9] + 30;
    const parsed = parseCapture(pcap.subarray(0, cut), { timeZone: 'UTC' });
    assert.equal(parsed.segments.length, 9);
    const damaged = parsed.diagnostics.filter((d) => d.code === 'capture-damaged');
    assert.equal(damaged.length, 1);
    assert.equal(damaged[0].severity, 'error');
    assert.equal(damaged[0].line, 8);
    assert.match(damaged[0].message, new RegExp(`byte offset ${recordOffsets(pcap)[9]} \\(packet 10\\)`));
  });
});
