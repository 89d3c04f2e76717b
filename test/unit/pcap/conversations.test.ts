// The conversation table (tcpdump's numbering entries and the direct path's
// per-pair state): a pair is one record whichever way its packets go, IPv4
// and IPv6 keys never meet, and records are found again after the table grows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Conversations, isReversed } from '../../../server/src/analysis/pcap/conversations';

/** Two addresses side by side: `a` at 0, `b` at `size` (4 or 16 bytes each). */
function addresses(size: number, a: number, b: number): Uint8Array {
  const bytes = new Uint8Array(2 * size);
  const view = new DataView(bytes.buffer);
  view.setUint32(size - 4, a);
  view.setUint32(2 * size - 4, b);
  if (size === 16) {
    // 2000::/8: IPv6 keys unlike IPv4's (whose unused words are zero).
    bytes[0] = 0x20;
    bytes[size] = 0x20;
  }
  return bytes;
}

function find(c: Conversations, version: 4 | 6, a: number, b: number, pa: number, pb: number): number {
  const size = version === 4 ? 4 : 16;
  const bytes = addresses(size, a, b);
  const rev = isReversed(bytes, 0, size, size, pa, pb);
  return c.number(c.find(bytes, version, 0, size, pa, pb, rev));
}

describe('conversations', () => {
  test('both directions of a pair are one conversation, through many growths', () => {
    const c = new Conversations();
    const numbers = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      for (const version of [4, 6] as const) {
        const n = find(c, version, 0x0a000001 + i, 0x0a000001 + (i % 7), 40000 + (i % 2000), 443);
        numbers.set(`${version}/${i}`, n);
      }
    }
    assert.equal(c.size, 10000);
    assert.equal(new Set(numbers.values()).size, 10000);
    for (let i = 0; i < 5000; i++) {
      for (const version of [4, 6] as const) {
        const back = find(c, version, 0x0a000001 + (i % 7), 0x0a000001 + i, 443, 40000 + (i % 2000));
        assert.equal(back, numbers.get(`${version}/${i}`), `${version}/${i} seen from the other side`);
      }
    }
    assert.equal(c.size, 10000);
  });

  test('equal ports: the address bytes order the pair', () => {
    const c = new Conversations();
    const one = find(c, 4, 0x01020304, 0x01020305, 80, 80);
    assert.equal(find(c, 4, 0x01020305, 0x01020304, 80, 80), one);
    assert.notEqual(find(c, 4, 0x01020304, 0x01020306, 80, 80), one);
  });
});
