import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sniffCapture } from '../../../server/src/cli/input';
import { capturesDir } from './support';

describe('cli input sniffing', () => {
  test('real pcap files (tcpdump -w) are pcap', () => {
    for (const scenario of ['close-client', 'any-interface']) {
      const file = path.join(capturesDir, scenario, 'capture.pcap');
      if (fs.existsSync(file)) assert.equal(sniffCapture(fs.readFileSync(file)), 'pcap', scenario);
    }
  });

  test('every byte order and timestamp resolution of pcap, and pcapng', () => {
    const cases: [number[], string | null][] = [
      [[0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
      [[0xa1, 0xb2, 0xc3, 0xd4], 'pcap'],
      [[0x4d, 0x3c, 0xb2, 0xa1], 'pcap'],
      [[0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
      [[0x34, 0xcd, 0xb2, 0xa1], 'pcap'],
      [[0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
      [[0x30, 0x38, 0x3a, 0x34], null], // "08:4" — a tcpdump line
      [[0xd4, 0xc3], null],
    ];
    for (const [bytes, kind] of cases)
      assert.equal(sniffCapture(Uint8Array.from(bytes)), kind, bytes.join(','));
  });
});
