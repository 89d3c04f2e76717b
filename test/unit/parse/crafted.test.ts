// The crafted capture (data/crafted/README.md): every rendering by the real
// tools parses to tshark's raw values, and the details tcpdump prints (SACK,
// ECN, checksums, options, truncation, VLAN, RST data) land in the segments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { parseTrace } from '../../../server/src/analysis/parse';
import type { ParseResult, Segment } from '../../../server/src/analysis/model';
import { flagLetters } from './support';

const dir = path.join(repoRoot, 'test', 'unit', 'parse', 'data', 'crafted');
const read = (name: string): ParseResult => parseTrace(fs.readFileSync(path.join(dir, name), 'utf8'));

interface Row {
  readonly seq: number;
  readonly ack: number;
  readonly len: number;
  readonly acked: boolean;
  readonly sle: string;
  readonly sre: string;
}
const rows: Row[] = fs
  .readFileSync(path.join(dir, 'tshark-fields.tsv'), 'utf8')
  .trimEnd()
  .split('\n')
  .slice(1)
  .map((l) => {
    const c = l.split('\t');
    return {
      seq: Number(c[2]),
      ack: Number(c[3]),
      len: Number(c[4]),
      acked: (c[1] ?? '').includes('A'),
      sle: c[5] ?? '',
      sre: c[6] ?? '',
    };
  });

const TCPDUMP = fs.readdirSync(dir).filter((f) => f.startsWith('tcpdump-') && f.endsWith('.tcptrace'));

describe('crafted capture: raw values', () => {
  test('there are 24 packets and several renderings', () => {
    assert.equal(rows.length, 24);
    assert.ok(TCPDUMP.length >= 8);
  });
  for (const name of TCPDUMP) {
    test(name, () => {
      const r = read(name);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.segments.length, 24);
      r.segments.forEach((s, i) => {
        const row = rows[i] as Row;
        if (s.seq !== null) assert.equal(s.seq, row.seq, `packet ${i + 1} seq`);
        assert.equal(s.ack, row.acked ? row.ack : null, `packet ${i + 1} ack`);
        assert.equal(s.len, row.len, `packet ${i + 1} len`);
        // SACK blocks: absolute whether tcpdump printed them relative or not. tshark's
        // sack_le/sack_re are relative to the server's ISN (its SYN-ACK, packet 2).
        const isn = (rows[1] as Row).seq;
        const abs = (list: string): string =>
          list === ''
            ? ''
            : list
                .split(',')
                .map((x) => (Number(x) + isn) >>> 0)
                .join(',');
        const sack = s.options.sack ?? [];
        assert.equal(sack.map((b) => b.left).join(','), abs(row.sle), `packet ${i + 1} SACK left edges`);
        assert.equal(sack.map((b) => b.right).join(','), abs(row.sre), `packet ${i + 1} SACK right edges`);
      });
    });
  }
});

describe('crafted capture: details', () => {
  const n = read('tcpdump-n.tcptrace').segments;
  const v = read('tcpdump-n-v.tcptrace').segments;
  const seg = (list: readonly Segment[], i: number): Segment => list[i - 1] as Segment;

  test('ISN near 2^32 wraps: the data after the SYN starts at 4294967001, the FIN at 4294967102', () => {
    assert.equal(seg(n, 4).seq, 4294967001);
    assert.equal(seg(n, 12).seq, 4294967102);
    assert.equal(seg(n, 13).ack, 4294967103);
  });

  test('flags: ECN SYN [SEW], SYN-ACK [S.E], [none], [FSRP.UEW]', () => {
    assert.equal(flagLetters(seg(n, 1).flags), 'SEW');
    assert.equal(flagLetters(seg(n, 2).flags), 'SAE');
    assert.equal(flagLetters(seg(n, 23).flags), '-');
    assert.equal(flagLetters(seg(n, 24).flags), 'FSRPAUEW');
  });

  test('options of the handshake', () => {
    assert.deepEqual(seg(n, 1).options, { mss: 1460, sackPermitted: true, tsVal: 1, tsEcr: 0, wscale: 7 });
  });

  test('tfo, mptcp, unknown, md5 and [bad opt]', () => {
    assert.deepEqual(seg(n, 14).options, {
      mss: 1460,
      tfo: { request: true },
      mptcp: '12 capable v1 csum {0x101010101010101}',
    });
    assert.deepEqual(seg(n, 15).options.other, [
      'unknown-99 0xabcd',
      "md5 shared secret not supplied with -M, can't check - 00000000000000000000000000000000",
    ]);
    assert.deepEqual(seg(n, 16).options, { tfo: { request: true }, bad: true });
    assert.equal(seg(n, 16).truncated, true, 'tcpdump stops printing after [bad opt]');
  });

  test('urg, RST with data, application text', () => {
    assert.equal(seg(n, 11).urg, 1);
    assert.equal(flagLetters(seg(n, 11).flags), 'PAU');
    assert.equal(seg(n, 13).len, 12);
    assert.equal(seg(n, 4).appText, 'HTTP');
    assert.equal(seg(v, 13).appText, '[RST reset reason]');
  });

  test('missed SYN-ACK: numbering restarts at 0, mapped back through the SYN', () => {
    assert.equal(seg(n, 19).printedSeq, 0);
    assert.equal(seg(n, 19).seq, 9001);
    assert.equal(seg(n, 20).printedAck, 26);
    assert.equal(seg(n, 20).ack, 9027);
  });

  test('-v: IP header on the line before, ECN codepoints, TTL, id, checksums', () => {
    assert.equal(seg(v, 1).line, 0);
    assert.equal(seg(v, 1).endLine, 1);
    assert.deepEqual(seg(v, 1).ip, { ttl: 64, id: 4660 });
    assert.equal(seg(v, 4).ip?.ecn, 'ECT(0)');
    assert.equal(seg(v, 5).ip?.ecn, 'CE');
    assert.equal(seg(v, 21).ip?.ecn, 'ECT(0)', 'IPv6 traffic class 0x02');
    assert.deepEqual(
      v.map((s) => s.badChecksum),
      v.map((_, i) => i === 8),
      'only packet 9 has a bad checksum',
    );
    assert.equal(seg(n, 1).badChecksum, null, 'not printed without -v');
  });

  test('IPv6 and VLAN (-e)', () => {
    const e = read('tcpdump-n-e.tcptrace').segments;
    assert.equal(seg(e, 21).src.host, '2001:db8::1');
    assert.equal(seg(e, 22).seq, 12345);
    assert.equal(seg(e, 22).src.port, 40006);
  });

  test('snap length 60: [|tcp] inside the options, numbers still read', () => {
    for (const name of ['snaplen60-tcpdump-n.tcptrace', 'snaplen60-tcpdump-n-v.tcptrace']) {
      const r = read(name);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.segments.length, 8);
      r.segments.forEach((s, i) => {
        const row = rows[i] as Row;
        assert.equal(s.truncated, true);
        if (s.seq !== null) assert.equal(s.seq, row.seq);
        assert.equal(s.ack, row.acked ? row.ack : null);
      });
      assert.deepEqual(seg(r.segments, 1).options, { mss: 1460, sackPermitted: true });
    }
  });

  test('tshark: relative numbers kept consistent, MPTCP line read, TFO option kept', () => {
    const r = read('tshark.tcptrace');
    assert.deepEqual(r.diagnostics, []);
    // The SSH-decoded packet hides its TCP fields: 23 of 24.
    assert.equal(r.segments.length, 23);
    const s1 = seg(r.segments, 1);
    assert.equal(s1.seq, 0);
    assert.equal(s1.options.wscale, 7);
    const sackAck = r.segments.find((s) => s.options.sack !== undefined);
    assert.deepEqual(sackAck?.options.sack, [{ left: 2001, right: 3001 }]);
    assert.deepEqual(seg(r.segments, 14).options.other, ['TFO=R']);
  });
});
