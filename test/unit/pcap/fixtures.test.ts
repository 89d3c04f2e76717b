// renderCapture against the real tcpdump on every real capture: the rendering
// must be what `tcpdump -n -r FILE tcp` prints, byte for byte, in several time
// zones and with -tttt; and what the fixture script recorded (UTC).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderCapture } from '../../../server/src/analysis/pcap';
import { hostInterfaceName } from '../../../server/src/hostInterfaces';
import { capturesDir, captureScenarios, firstDifference, tcpdump } from './support';

const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata'];

describe('renderCapture on the real captures', () => {
  for (const scenario of captureScenarios()) {
    const file = path.join(capturesDir, scenario, 'capture.pcap');
    const bytes = fs.readFileSync(file);

    test(`${scenario}: equals the committed TZ=UTC tcpdump -n rendering`, () => {
      // The fixture script rendered inside the capture's namespace: lo is 1, the veth 3.
      const names = (i: number): string | undefined => (i === 1 ? 'lo' : i === 3 ? 'fxv0' : undefined);
      const r = renderCapture(bytes, { timeZone: 'UTC', interfaceName: names });
      const expected = fs.readFileSync(path.join(capturesDir, scenario, 'tcpdump-n.tcptrace'), 'latin1');
      assert.ok(r.text === expected, firstDifference(r.text, expected));
      assert.equal(r.container, 'pcap');
      assert.equal(r.tcpPackets, expected.split('\n').length - 1);
      assert.equal(r.packets, r.tcpPackets + r.skipped);
      assert.deepEqual(r.problems, []);
    });

    for (const zone of ZONES)
      for (const withDate of [false, true])
        test(`${scenario}: TZ=${zone}${withDate ? ' -tttt' : ''} equals tcpdump -n -r FILE tcp`, () => {
          const theirs = tcpdump(file, zone, withDate ? ['-tttt', 'tcp'] : ['tcp']).stdout;
          const ours = renderCapture(bytes, {
            timeZone: zone,
            withDate,
            interfaceName: hostInterfaceName,
          }).text;
          assert.ok(ours === theirs, firstDifference(ours, theirs));
        });
  }
});
