// renderCapture against the real tcpdump on the derived captures: pcapng
// (editcap's and hand-built: several sections and interfaces, timestamp
// resolutions and offsets, simple and obsolete packet blocks, unknown blocks),
// big-endian and nanosecond pcap, every supported link type, VLAN tags,
// IPv4 options and fragments, IPv6 extension headers and fragments, crafted
// TCP headers and options. Made by test/fixtures/make-capture-variants.sh.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderCapture } from '../../../server/src/analysis/pcap';
import { hostInterfaceName } from '../../../server/src/hostInterfaces';
import { firstDifference, tcpdump, variantsDir } from './support';

const FILES = fs
  .readdirSync(variantsDir)
  .filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'))
  .sort();

describe('renderCapture on the capture variants', () => {
  test('the variants are there (run test/fixtures/make-capture-variants.sh)', () => {
    assert.ok(FILES.length >= 90, `${FILES.length} variants`);
    for (const kind of [
      '.editcap.pcapng',
      '.multi.pcapng',
      '.multi-be.pcapng',
      '.old-blocks.pcapng',
      '.nsec-be.pcap',
    ])
      assert.ok(
        FILES.some((f) => f.endsWith(kind)),
        kind,
      );
  });

  for (const file of FILES) {
    const full = path.join(variantsDir, file);
    const bytes = fs.readFileSync(full);

    test(`${file}: equals tcpdump -n -r (UTC and Asia/Kolkata) and the committed text`, () => {
      for (const zone of ['UTC', 'Asia/Kolkata']) {
        const r = renderCapture(bytes, { timeZone: zone, interfaceName: hostInterfaceName });
        // Only the mixed capture holds non-TCP packets: tcpdump's `tcp` filter drops them as the decoder does.
        const theirs = tcpdump(full, zone, file.includes('.mixed.') ? ['tcp'] : []).stdout;
        assert.ok(r.text === theirs, `${zone}: ${firstDifference(r.text, theirs)}`);
        assert.deepEqual(
          r.problems.filter((p) => p.severity === 'error'),
          [],
        );
      }
      // Linux cooked v2 names depend on the reading host; the veth capture's index is not `lo`.
      if (!file.startsWith('any-interface-veth.')) {
        const committed = fs.readFileSync(`${full}.tcpdump-n.txt`, 'latin1');
        const r = renderCapture(bytes, { timeZone: 'UTC', interfaceName: hostInterfaceName });
        assert.ok(r.text === committed, firstDifference(r.text, committed));
      }
    });
  }

  test('non-TCP packets are counted as skipped, not rendered', () => {
    const r = renderCapture(fs.readFileSync(path.join(variantsDir, 'close-client.mixed.pcap')), {
      timeZone: 'UTC',
    });
    assert.equal(r.packets, 22);
    assert.equal(r.tcpPackets, 11);
    assert.equal(r.skipped, 11);
  });

  test('fragments are shown as tcpdump shows them and reported, not analysed', () => {
    const r = renderCapture(fs.readFileSync(path.join(variantsDir, 'interleaved.ipv4-fragments.pcap')), {
      timeZone: 'UTC',
    });
    assert.match(r.text, /IP 127\.0\.0\.1 > 127\.0\.0\.1: ip-proto-6\n/);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^12 IP fragments without a TCP header/);
  });
});
