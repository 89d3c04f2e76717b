// The pcapng reader pauses every STEP_MASK + 1 packets and goes on from where it
// was (the section's byte order, its interfaces, the offset): the fixture
// captures are all shorter than one step, so these long ones, made of real
// records, check that a pcapng reads exactly as the same packets in a pcap,
// across pauses and across a second section in the other byte order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureDirect, renderCapture, type CaptureProblem } from '../../../server/src/analysis/pcap';
import type { Finding } from '../../../server/src/analysis/model';
import { STEP_MASK } from '../../../server/src/analysis/pcap/pcapFile';
import { longCapture } from './longCaptures';

const ETHERNET = 1;

interface Record {
  readonly seconds: number;
  readonly micros: number;
  readonly wireLen: number;
  readonly data: Buffer;
}

/** The records of the little-endian microsecond pcap that longCapture() makes. */
function pcapRecords(bytes: Buffer): Record[] {
  const records: Record[] = [];
  for (let at = 24; at + 16 <= bytes.length;) {
    const capLen = bytes.readUInt32LE(at + 8);
    records.push({
      seconds: bytes.readUInt32LE(at),
      micros: bytes.readUInt32LE(at + 4),
      wireLen: bytes.readUInt32LE(at + 12),
      data: bytes.subarray(at + 16, at + 16 + capLen),
    });
    at += 16 + capLen;
  }
  return records;
}

/** Writes 32-bit and 16-bit fields in one byte order. */
class BlockWriter {
  constructor(private readonly big: boolean) {}

  block(type: number, body: Buffer): Buffer {
    const padded = (body.length + 3) & ~3;
    const total = 12 + padded;
    const b = Buffer.alloc(total);
    this.u32(b, 0, type);
    this.u32(b, 4, total);
    body.copy(b, 8);
    this.u32(b, total - 4, total);
    return b;
  }

  sectionHeader(): Buffer {
    const body = Buffer.alloc(16);
    this.u32(body, 0, 0x1a2b3c4d);
    this.u16(body, 4, 1);
    this.u16(body, 6, 0);
    body.fill(0xff, 8, 16); // section length unknown (-1)
    return this.block(0x0a0d0d0a, body);
  }

  interfaceDescription(): Buffer {
    const body = Buffer.alloc(8);
    this.u16(body, 0, ETHERNET);
    this.u32(body, 4, 262144);
    return this.block(1, body);
  }

  /** A block of a type no reader knows (custom, 0x40000bad): skipped by its length. */
  unknown(): Buffer {
    return this.block(0x40000bad, Buffer.from('not a packet'));
  }

  enhancedPacket(r: Record): Buffer {
    const body = Buffer.alloc(20 + r.data.length);
    // Microseconds since the epoch (the default if_tsresol) as two 32-bit halves.
    const ts = BigInt(r.seconds) * 1000000n + BigInt(r.micros);
    this.u32(body, 0, 0);
    this.u32(body, 4, Number(ts >> 32n));
    this.u32(body, 8, Number(ts & 0xffffffffn));
    this.u32(body, 12, r.data.length);
    this.u32(body, 16, r.wireLen);
    r.data.copy(body, 20);
    return this.block(6, body);
  }

  private u32(b: Buffer, at: number, v: number): void {
    if (this.big) b.writeUInt32BE(v >>> 0, at);
    else b.writeUInt32LE(v >>> 0, at);
  }

  private u16(b: Buffer, at: number, v: number): void {
    if (this.big) b.writeUInt16BE(v, at);
    else b.writeUInt16LE(v, at);
  }
}

/**
 * The records as a pcapng: a little-endian section, then from record `switchAt` on a
 * big-endian one (its own interface), with unknown blocks here and there.
 */
function asPcapng(records: readonly Record[], switchAt: number): Buffer {
  const le = new BlockWriter(false);
  const be = new BlockWriter(true);
  const out: Buffer[] = [le.sectionHeader(), le.interfaceDescription()];
  records.forEach((r, k) => {
    if (k === switchAt) out.push(be.sectionHeader(), be.interfaceDescription());
    const w = k < switchAt ? le : be;
    if (k % 1000 === 500) out.push(w.unknown());
    out.push(w.enhancedPacket(r));
  });
  return Buffer.concat(out);
}

describe('long pcapng files: the reader goes on after its pauses', () => {
  const packets = 3 * (STEP_MASK + 1) + 321;
  const pcap = longCapture(packets, 7);
  const records = pcapRecords(pcap);
  // The second section starts between two pauses, so both byte orders cross a pause.
  const pcapng = asPcapng(records, 2 * (STEP_MASK + 1) - 77);

  test('the pcapng renders as the same packets in a pcap', () => {
    assert.equal(records.length, packets);
    const fromPcap = renderCapture(pcap, { timeZone: 'UTC' });
    const fromPcapng = renderCapture(pcapng, { timeZone: 'UTC' });
    // The same problems, at other byte offsets (the files differ).
    const noOffset = ({ offset: _offset, ...rest }: CaptureProblem): Omit<CaptureProblem, 'offset'> => rest;
    assert.deepStrictEqual(fromPcapng.problems.map(noOffset), fromPcap.problems.map(noOffset));
    assert.ok(fromPcap.problems.length > 0, 'the fragments among the records are reported');
    assert.equal(fromPcapng.packets, packets);
    assert.equal(fromPcapng.text, fromPcap.text);
  });

  test('the pcapng analyses as the same packets in a pcap', () => {
    const fromPcap = parseCaptureDirect(pcap, { timeZone: 'UTC' });
    const fromPcapng = parseCaptureDirect(pcapng, { timeZone: 'UTC' });
    assert.ok(fromPcap.segments.length > 2 * (STEP_MASK + 1));
    assert.deepStrictEqual(fromPcapng.segments, fromPcap.segments);
    // The same findings, whose messages name other byte offsets (the files differ).
    const where = (d: Finding): string => `${d.code} ${d.severity} ${d.line}-${d.endLine}`;
    assert.deepStrictEqual(fromPcapng.diagnostics.map(where), fromPcap.diagnostics.map(where));
  });
});
