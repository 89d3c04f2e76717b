// What a user is told about a rendered capture: each case is a rendering's
// summary in, the diagnostics (code, severity, line, message) out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { captureNotices } from '../../../client/src/capture/notices';
import type { RenderedCapture } from '../../../server/src/protocol';

const LINE = '08:13:18.482184 IP 127.0.0.1.54498 > 127.0.0.1.47123: Flags [S], seq 1, win 65495, length 0\n';

function rendering(over: Partial<RenderedCapture>): RenderedCapture {
  const text = over.text ?? LINE.repeat(3);
  const lines = text.split('\n').length - 1;
  return {
    text,
    container: 'pcap',
    packets: lines,
    tcpPackets: lines,
    skipped: 0,
    problems: [],
    truncated: false,
    shownLines: lines,
    totalChars: text.length,
    fileBytes: 1000,
    ...over,
  };
}

const cases: {
  name: string;
  capture: RenderedCapture;
  expected: [string, string, number, RegExp, boolean][];
}[] = [
  { name: 'a sound capture: nothing to say', capture: rendering({}), expected: [] },
  {
    name: 'damage: an error on the last packet, with the byte offset and the packet, notified',
    capture: rendering({
      problems: [
        { offset: 1234567, packet: 4, severity: 'error', message: 'the record is cut: 30 of 66 bytes' },
      ],
    }),
    expected: [
      [
        'capture-damaged',
        'error',
        2,
        /^c\.pcap is damaged at byte 1,234,567 \(packet 4\): the record is cut: 30 of 66 bytes\. The 3 TCP packets before it are shown and analysed\.$/,
        true,
      ],
    ],
  },
  {
    name: 'damage in the header: on line 0, nothing before it',
    capture: rendering({
      text: '',
      problems: [{ offset: 0, severity: 'error', message: 'the header is cut' }],
    }),
    expected: [
      [
        'capture-damaged',
        'error',
        0,
        /at byte 0: the header is cut\. No TCP packet comes before it\.$/,
        true,
      ],
    ],
  },
  {
    name: 'a problem of one packet: a warning on the packet shown before it, not notified',
    capture: rendering({
      problems: [{ offset: 200, packet: 2, line: 1, severity: 'warning', message: 'IPv4 fragment' }],
    }),
    expected: [
      ['capture-packet-problem', 'warning', 0, /^c\.pcap at byte 200 \(packet 2\): IPv4 fragment\.$/, false],
    ],
  },
  {
    name: 'many problems of single packets: the first hundred listed, the rest counted',
    capture: rendering({
      problems: Array.from({ length: 150 }, (_, i) => ({
        offset: 24 + i,
        packet: i + 1,
        severity: 'warning' as const,
        message: 'not TCP.',
      })),
    }),
    expected: [
      ...Array.from({ length: 100 }, (_, i): [string, string, number, RegExp, boolean] => [
        'capture-packet-problem',
        'warning',
        2,
        new RegExp(`^c\\.pcap at byte ${24 + i} \\(packet ${i + 1}\\): not TCP\\.$`),
        false,
      ]),
      ['capture-packet-problem', 'warning', 2, /^c\.pcap: 50 more packet problems not listed\.$/, false],
    ],
  },
  {
    name: 'a cut rendering: how much is shown of how much, notified',
    capture: rendering({ truncated: true, tcpPackets: 1000000, totalChars: 130 * 1024 * 1024 }),
    expected: [
      [
        'capture-cut',
        'information',
        2,
        /renders to 130\.0 MB of text.*the first 0\.0 MB, 3 of 1,000,000 TCP packets.*Problems panel under c\.pcap/,
        true,
      ],
    ],
  },
  {
    name: 'no TCP at all',
    capture: rendering({ text: '', packets: 12, tcpPackets: 0, skipped: 12 }),
    expected: [['capture-no-tcp', 'information', 0, /^c\.pcap holds 12 packets, none of them TCP/, true]],
  },
];

describe('capture notices', () => {
  for (const c of cases) {
    test(c.name, () => {
      const notices = captureNotices('c.pcap', c.capture);
      assert.equal(notices.length, c.expected.length, JSON.stringify(notices));
      notices.forEach((n, i) => {
        const [code, severity, line, message, notify] = c.expected[i]!;
        assert.deepEqual([n.code, n.severity, n.line, n.notify], [code, severity, line, notify]);
        assert.match(n.message, message);
      });
    });
  }
});
