// Segments through SegmentBatchWriter and SegmentBatchReader (how the CLI hands
// them from the parsing thread to the analysing one) come out deep-equal to the
// parser's, endpoint identity included, on every real trace and capture.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';
import { parseTrace, type Segment } from '../../../server/src/analysis';
import { parseCapture } from '../../../server/src/analysis/pcap';
import {
  BATCH_SEGMENTS,
  SegmentBatchReader,
  SegmentBatchWriter,
  type SegmentBatch,
} from '../../../server/src/analysis/segmentBatch';

function throughBatches(segments: readonly Segment[]): { out: Segment[]; batches: number } {
  const writer = new SegmentBatchWriter();
  const reader = new SegmentBatchReader();
  const out: Segment[] = [];
  let batches = 0;
  const send = (b: SegmentBatch): void => {
    batches++;
    // What postMessage does to the batch (the rows are transferred).
    reader.read(structuredClone(b, { transfer: [b.rows.buffer] }), (s) => out.push(s));
  };
  for (const s of segments) {
    const full = writer.add(s);
    if (full !== null) send(full);
  }
  send(writer.take());
  return { out, batches };
}

function assertRoundTrip(segments: readonly Segment[], what: string): void {
  const { out } = throughBatches(segments);
  assert.equal(out.length, segments.length, what);
  for (let i = 0; i < segments.length; i++)
    assert.deepStrictEqual(out[i], segments[i], `${what}: segment ${i}`);
  // Two segments share an endpoint object after the trip exactly when they did before.
  const firstOf = new Map<object, number>();
  for (let i = 0; i < segments.length; i++)
    for (const side of ['src', 'dst'] as const) {
      const k = firstOf.get(segments[i][side]);
      if (k === undefined) firstOf.set(segments[i][side], i);
      else
        assert.ok(
          out[i][side] === out[k][side] || out[i][side] === out[k].src || out[i][side] === out[k].dst,
        );
    }
}

function traceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path.join(fixturesDir, 'captures'));
  walk(path.join(repoRoot, 'examples'));
  return files;
}

describe('segment batches', () => {
  test('every fixture and example, text (with and without spans) and capture: the segments come back equal', () => {
    let texts = 0;
    let captures = 0;
    for (const file of traceFiles()) {
      const what = path.relative(repoRoot, file);
      if (file.endsWith('.tcptrace') || file.endsWith('.txt')) {
        const text = fs.readFileSync(file, 'utf8');
        assertRoundTrip(parseTrace(text, { spans: false }).segments, what);
        assertRoundTrip(parseTrace(text).segments, `${what} (spans)`);
        texts++;
      } else if (file.endsWith('.pcap') || file.endsWith('.pcapng')) {
        assertRoundTrip(
          parseCapture(fs.readFileSync(file), { spans: false, timeZone: 'UTC' }).segments,
          what,
        );
        captures++;
      }
    }
    assert.ok(texts > 40 && captures > 15, `${texts} texts, ${captures} captures`);
  });

  test('everything a segment can carry: null numbers, rare options, IP notes, tool labels, many SACK blocks', () => {
    const text = [
      '12:00:00.000001 IP 10.0.0.1.1000 > 10.0.0.2.https: Flags [S], seq 1, win 100, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7,tfo cookiereq,unknown-99 0x0102,mptcp capable v1], length 0',
      '12:00:00.000002 IP 10.0.0.2.https > 10.0.0.1.1000: Flags [S.E], seq 5, ack 2, win 100, options [mss 1400,tfo cookie 0a0b0c0d,[bad opt]',
      '12:00:00.000003 IP 10.0.0.1.1000 > 10.0.0.2.https: Flags [.], ack 1, win 100, options [nop,nop,sack 5 {10:20}{30:40}{50:60}{70:80}{90:100}], length 0',
      '12:00:00.000004 IP 10.0.0.1.1000 > 10.0.0.2.https: Flags [P.], seq 1:11, ack 1, win 100, length 10: HTTP: GET / HTTP/1.1',
      '12:00:00.000005 IP 10.0.0.1.1000 > 10.0.0.2.https: [|tcp]',
      '12:00:00.000006 IP (tos 0x2,ECT(0), ttl 64, id 7, offset 0, flags [DF], proto TCP (6), length 52)',
      '    10.0.0.2.https > 10.0.0.1.1000: Flags [.], cksum 0x1234 (incorrect -> 0x4321), ack 11, win 100, length 0',
      '1 0.000000 10.0.0.3 → 10.0.0.4 TCP 74 [TCP Retransmission] 5000 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460',
      '+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>',
    ].join('\n');
    // A trace without timestamps (tcpdump -t) has none anywhere.
    const untimed = parseTrace('IP 10.0.0.5.7 > 10.0.0.6.8: Flags [R], seq 9, win 0, length 0').segments;
    const segments = [...parseTrace(text).segments, ...untimed];
    assert.ok(segments.length >= 7, `${segments.length} segments`);
    assert.ok(segments.some((s) => (s.options.sack?.length ?? 0) > 4));
    assert.ok(segments.some((s) => s.ip !== undefined));
    assert.ok(segments.some((s) => s.toolLabels !== undefined));
    assert.ok(segments.some((s) => s.appText !== undefined));
    assert.ok(segments.some((s) => s.flagsUnknown === true));
    assert.ok(segments.some((s) => s.time === null));
    assert.ok(segments.some((s) => s.badChecksum === true));
    assertRoundTrip(segments, 'hand-made');
  });

  test(`batches hold ${BATCH_SEGMENTS} segments`, () => {
    const one = parseTrace(
      fs.readFileSync(path.join(repoRoot, 'examples', 'loss-retransmission.tcptrace'), 'utf8'),
      {
        spans: false,
      },
    ).segments;
    const many: Segment[] = [];
    for (let i = 0; many.length < 2 * BATCH_SEGMENTS + 5; i++)
      for (const s of one) many.push({ ...s, index: many.length, line: many.length, endLine: many.length });
    const { out, batches } = throughBatches(many);
    assert.equal(batches, 3);
    assert.deepStrictEqual(out, many);
  });
});
