// Data-driven: trace text in, compact dump out (support.ts dumpSegment:
// `L<line> src > dst FLAGS seq= ack= len=`, then `E<line>:<from>-<to> ...` per
// diagnostic). Numbers come from the loopback capture of tcpdumpFlavours.test.ts
// (checked there against tshark's raw fields) re-printed in other syntaxes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dump, parseLines, time } from './support';

function check(lines: readonly string[], expected: readonly string[]): void {
  assert.deepEqual(dump(parseLines(lines)), expected);
}

const SYN =
  '08:40:00.465205 IP 127.0.0.1.34370 > 127.0.0.1.8099: Flags [S], seq 1247753380, win 65495, options [mss 65495,sackOK,TS val 1092121233 ecr 0,nop,wscale 10], length 0';
const SYNACK =
  '08:40:00.465217 IP 127.0.0.1.8099 > 127.0.0.1.34370: Flags [S.], seq 2191994849, ack 1247753381, win 65483, options [mss 65495,sackOK,TS val 1461607545 ecr 1092121233,nop,wscale 10], length 0';
const ACK =
  '08:40:00.465229 IP 127.0.0.1.34370 > 127.0.0.1.8099: Flags [.], ack 1, win 64, options [nop,nop,TS val 1092121233 ecr 1461607545], length 0';
const DATA =
  '08:40:00.466036 IP 127.0.0.1.34370 > 127.0.0.1.8099: Flags [P.], seq 1:5, ack 1, win 64, options [nop,nop,TS val 1092121234 ecr 1461607545], length 4';
const HANDSHAKE = [
  'L1 127.0.0.1:34370 > 127.0.0.1:8099 S seq=1247753380 ack=- len=0',
  'L2 127.0.0.1:8099 > 127.0.0.1:34370 SA seq=2191994849 ack=1247753381 len=0',
  'L3 127.0.0.1:34370 > 127.0.0.1:8099 A seq=- ack=2191994850 len=0',
  'L4 127.0.0.1:34370 > 127.0.0.1:8099 PA seq=1247753381 ack=2191994850 len=4',
];

describe('tcpdump: lines that are not TCP packets', () => {
  test('stderr banners, other protocols, fragments and comments are skipped without errors', () => {
    check(
      [
        'reading from file x.pcap, link-type EN10MB (Ethernet), snapshot length 262144',
        'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
        'listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
        '# a comment',
        SYN,
        '08:40:00.465210 IP 127.0.0.1.53 > 127.0.0.1.40000: 17177+ A? example.com. (29)',
        '08:40:00.465211 IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 1, seq 1, length 64',
        '08:40:00.465212 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28',
        '08:40:00.465213 IP 10.0.0.1 > 10.0.0.2: tcp',
        '08:40:00.465214 IP6 ::1.5353 > ::1.5353: UDP, length 10',
        SYNACK,
        ACK,
        '   # indented comment',
        DATA,
        '4 packets captured',
        '8 packets received by filter',
        '0 packets dropped by kernel',
      ],
      [
        'L5 127.0.0.1:34370 > 127.0.0.1:8099 S seq=1247753380 ack=- len=0',
        'L11 127.0.0.1:8099 > 127.0.0.1:34370 SA seq=2191994849 ack=1247753381 len=0',
        'L12 127.0.0.1:34370 > 127.0.0.1:8099 A seq=- ack=2191994850 len=0',
        'L14 127.0.0.1:34370 > 127.0.0.1:8099 PA seq=1247753381 ack=2191994850 len=4',
      ],
    );
  });

  test('-A payload lines that imitate a packet in another timestamp format are payload', () => {
    const r = parseLines([
      DATA,
      'E..8f.@.@...........',
      '1700000000.000000 IP 1.2.3.4.5 > 6.7.8.9.10: Flags [S], seq 1, win 1, length 0',
      'GET / HTTP/1.1',
      ACK,
    ]);
    assert.deepEqual(dump(r), [
      'L1-4 127.0.0.1:34370 > 127.0.0.1:8099 PA seq=1 ack=1 len=4',
      'L5 127.0.0.1:34370 > 127.0.0.1:8099 A seq=- ack=1 len=0',
    ]);
  });

  test('hex dump lines after a UDP packet do not extend the TCP packet before it', () => {
    const r = parseLines([
      SYN,
      '\t0x0000:  4500 003c 668b 4000 4006 d62e 7f00 0001  E..<f.@.@.......',
      '08:40:00.465210 IP 127.0.0.1.53 > 127.0.0.1.40000: UDP, length 10',
      '\t0x0000:  4500 0026 0000 4000 4011 3cc5 7f00 0001  E..&..@.@.<.....',
    ]);
    assert.deepEqual(dump(r), ['L1-2 127.0.0.1:34370 > 127.0.0.1:8099 S seq=1247753380 ack=- len=0']);
  });
});

describe('tcpdump: timestamps', () => {
  test('time of day rolls over midnight', () => {
    const r = parseLines([
      SYN.replace('08:40:00.465205', '23:59:59.900000'),
      SYNACK.replace('08:40:00.465217', '00:00:00.100000'),
    ]);
    assert.deepEqual(r.segments.map(time), ['86399.900000', '86400.100000']);
  });

  test('(invalid us) and [timestamp overflow] give no time but keep the packet', () => {
    const r = parseLines([
      SYN.replace('08:40:00.465205', '08:40:00.1000000 (invalid us)'),
      SYNACK.replace('08:40:00.465217', '[timestamp overflow]'),
    ]);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.segments.map(time), ['-', '-']);
    assert.equal(r.segments[1]?.ack, 1247753381);
  });

  test('-ttt deltas accumulate; a negative delta moves back', () => {
    const r = parseLines([
      SYN.replace('08:40:00.465205', ' 00:00:00.000000'),
      SYNACK.replace('08:40:00.465217', ' 00:00:01.500000'),
      ACK.replace('08:40:00.465229', '-00:00:00.250000'),
      DATA.replace('08:40:00.466036', ' 00:00:00.000001'),
    ]);
    assert.deepEqual(r.segments.map(time), ['0.000000', '1.500000', '1.250000', '1.250001']);
  });

  test('-tttt dates are seconds since the epoch (UTC); nanoseconds keep 9 digits', () => {
    const r = parseLines([
      SYN.replace('08:40:00.465205', '2026-11-24 08:40:00.465205123'),
      SYNACK.replace('08:40:00.465217', '2026-11-24 08:40:00.465217000'),
    ]);
    assert.equal(r.segments[0]?.time, Date.UTC(2026, 10, 24, 8, 40, 0) / 1000 + 0.465205123);
  });
});

describe('tcpdump 3.9 (old format)', () => {
  test('S/./P lines with start:end(len), ACK implied by "ack N", relative numbers', () => {
    check(
      [
        '08:40:00.465205 IP 127.0.0.1.34370 > 127.0.0.1.8099: S 1247753380:1247753380(0) win 65495 <mss 65495,sackOK,timestamp 1092121233 0,nop,wscale 10>',
        '08:40:00.465217 IP 127.0.0.1.8099 > 127.0.0.1.34370: S 2191994849:2191994849(0) ack 1247753381 win 65483 <mss 65495,sackOK,timestamp 1461607545 1092121233,nop,wscale 10>',
        '08:40:00.465229 IP 127.0.0.1.34370 > 127.0.0.1.8099: . ack 1 win 64 <nop,nop,timestamp 1092121233 1461607545>',
        '08:40:00.466036 IP 127.0.0.1.34370 > 127.0.0.1.8099: P 1:5(4) ack 1 win 64 <nop,nop,timestamp 1092121234 1461607545>',
      ],
      HANDSHAKE,
    );
  });
});

describe('tshark', () => {
  const TSHARK = [
    '    1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
    '    2   0.000012    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
    '    3   0.000024    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
    '    4   0.000831    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
  ];
  const EXPECTED = [
    'L1 127.0.0.1:34370 > 127.0.0.1:8099 S seq=0 ack=- len=0',
    'L2 127.0.0.1:8099 > 127.0.0.1:34370 SA seq=0 ack=1 len=0',
    'L3 127.0.0.1:34370 > 127.0.0.1:8099 A seq=1 ack=1 len=0',
    'L4 127.0.0.1:34370 > 127.0.0.1:8099 PA seq=1 ack=1 len=4',
  ];

  test('default one-line output (→)', () => {
    check(TSHARK, EXPECTED);
    const r = parseLines(TSHARK);
    assert.equal(r.format, 'tshark');
    assert.deepEqual(r.segments[0]?.options, {
      mss: 65495,
      sackPermitted: true,
      tsVal: 1092121233,
      tsEcr: 0,
      wscale: 10,
    });
    assert.equal(time(r.segments[3]), '0.000831');
  });

  test('older arrows (->) and the Wireshark tab-separated copy', () => {
    check(
      TSHARK.map((l) => l.replaceAll('→', '->')),
      EXPECTED,
    );
    const tabbed = TSHARK.map((l) =>
      l.trim().replace(/^(\d+)\s+(\S+)\s+(\S+) → (\S+)\s+TCP (\d+) /, '$1\t$2\t$3\t$4\tTCP\t$5\t'),
    );
    assert.ok(tabbed[0]?.startsWith('1\t0.000000\t127.0.0.1\t127.0.0.1\tTCP\t74\t34370 → 8099'));
    check(tabbed, EXPECTED);
  });

  test('analysis labels become toolLabels; decoded application lines are skipped', () => {
    const r = parseLines([
      TSHARK[0] as string,
      '    5   1.000000    127.0.0.1 → 127.0.0.1    TCP 74 [TCP Retransmission] 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495',
      '    6   1.000100    127.0.0.1 → 127.0.0.1    TCP 66 [TCP Dup ACK 3#1] 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0',
      '    8   0.051088    127.0.0.1 → 127.0.0.1    HTTP 93 GET / HTTP/1.1 ',
      '    9   1.000200    127.0.0.1 → 127.0.0.1    TCP 54 8099 → 34370 [RST] Seq=1 Win=0 Len=0',
    ]);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.segments.map((s) => s.toolLabels ?? []),
      [[], ['TCP Retransmission'], ['TCP Dup ACK 3#1'], []],
    );
  });
});

describe('packetdrill', () => {
  test('a server script: syscalls advance the clock, < is remote → local, relative numbers', () => {
    const r = parseLines([
      '// a passive open with a remote ISN of 1000',
      '0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3',
      '+0  bind(3, ..., ...) = 0',
      '+0  listen(3, 1) = 0',
      '+0.1  < S 1000:1000(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>',
      '+0  > S. 0:0(0) ack 1001 <mss 1460,nop,nop,sackOK,nop,wscale 8>',
      '+.1 < . 1:1(0) ack 1 win 500',
      '+0  accept(3, ..., ...) = 4',
      '+.2 < P. 1:101(100) ack 1 win 500',
      '+0  > . 1:1(0) ack 101',
      '+.05 < . 101:101(0) ack 1 win 500 <sack 1:1 nop,nop>',
      '*   > F. 1:1(0) ack 101',
    ]);
    assert.deepEqual(dump(r), [
      'L5 192.0.2.1:8080 > 192.168.0.1:40000 S seq=1000 ack=- len=0',
      'L6 192.168.0.1:40000 > 192.0.2.1:8080 SA seq=0 ack=1001 len=0',
      'L7 192.0.2.1:8080 > 192.168.0.1:40000 A seq=1001 ack=1 len=0',
      'L9 192.0.2.1:8080 > 192.168.0.1:40000 PA seq=1001 ack=1 len=100',
      'L10 192.168.0.1:40000 > 192.0.2.1:8080 A seq=1 ack=1101 len=0',
      'L11 192.0.2.1:8080 > 192.168.0.1:40000 A seq=1101 ack=1 len=0',
      'L12 192.168.0.1:40000 > 192.0.2.1:8080 FA seq=1 ack=1101 len=0',
    ]);
    assert.equal(r.format, 'packetdrill');
    assert.deepEqual(r.segments.map(time), [
      '0.100000',
      '0.100000',
      '0.200000',
      '0.400000',
      '0.400000',
      '0.450000',
      '0.450000',
    ]);
    assert.deepEqual(r.segments[0]?.options, { mss: 1460, sackPermitted: true, wscale: 7 });
  });

  test('ports, ECN info, flags in any order and "-" for none', () => {
    const r = parseLines([
      '+0 > [ect0] 5555 > 80 SEW 0:0(0) <mss 1460>   // ECN setup',
      '+.1 < - 1:1001(1000) win 20000  # no flags at all',
    ]);
    assert.deepEqual(dump(r), [
      'L1 192.168.0.1:5555 > 192.0.2.1:80 SEW seq=0 ack=- len=0',
      'L2 192.0.2.1:8080 > 192.168.0.1:40000 - seq=1 ack=- len=1000',
    ]);
    assert.equal(r.segments[0]?.ip?.ecn, 'ECT(0)');
  });
});

describe('parse errors: the line looks like a packet, one field cannot be read', () => {
  test('each defect names the field and marks its columns; later lines still parse', () => {
    const r = parseLines([
      DATA.replace('[P.]', '[PX.]'),
      DATA.replace('seq 1:5', 'seq 1:five'),
      DATA.replace('win 64', 'win sixty'),
      DATA.replace('win 64', 'wnd 64'),
      DATA.replace(', length 4', ''),
      DATA.replace('8099:', 'nosuchservice:'),
      DATA.replace('34370 >', '99999 >'),
      DATA.replace('ack 1,', 'ack 4294967296,'),
      SYN,
      '+0 < S 0:0(x) win 100',
      '    3   0.000024    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK, BOGUS] Seq=1 Ack=1 Win=65536 Len=0',
    ]);
    assert.deepEqual(
      r.diagnostics.map((d) => `E${d.line + 1}:${d.startChar}-${d.endChar} ${d.message}`),
      [
        "E1:61-62 flags: unknown flag letter 'X'",
        'E2:71-75 seq: end of range is not a 32-bit number',
        'E3:85-90 win: not a number',
        "E4:81-84 unknown field 'wnd'",
        'E5:138-139 line ends before "length N"',
        "E6:47-60 unknown service name 'nosuchservice' (print the trace with -n to get port numbers)",
        "E7:29-34 port '99999' is out of range",
        'E8:78-88 ack: not a 32-bit number',
        'E10:10-13 seq: expected (length)',
        "E11:71-76 flags: unknown flag 'BOGUS'",
      ],
    );
    assert.ok(r.diagnostics.every((d) => d.code === 'parse-error' && d.severity === 'error'));
    assert.deepEqual(dump({ ...r, diagnostics: [] }), [
      'L9 127.0.0.1:34370 > 127.0.0.1:8099 S seq=1247753380 ack=- len=0',
    ]);
  });
});

describe('# tcptrace-disable comments', () => {
  test('known codes are collected, unknown ones are warnings on the code', () => {
    const r = parseLines([
      '# tcptrace-disable duplicate-ack, keep-alive',
      '#tcptrace-disable: no-such-code zero-window',
      SYN,
    ]);
    assert.deepEqual(r.disabledCodes, ['duplicate-ack', 'keep-alive', 'zero-window']);
    assert.deepEqual(
      r.diagnostics.map((d) => `E${d.line + 1}:${d.startChar}-${d.endChar} ${d.severity} ${d.message}`),
      ["E2:19-31 warning tcptrace-disable: unknown diagnostic code 'no-such-code'"],
    );
  });
});

describe('tshark time columns (-t), real renderings of the same six frames', () => {
  // frame.time_epoch of the six frames: 1795509600.465205, .465217, .465229, .466036, .466042, .46667
  const LINES: Record<string, readonly string[]> = {
    ad: [
      '    1 2026-11-24 08:40:00.465205    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
      '    2 2026-11-24 08:40:00.465217    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
      '    3 2026-11-24 08:40:00.465229    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
      '    4 2026-11-24 08:40:00.466036    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
      '    5 2026-11-24 08:40:00.466042    127.0.0.1 → 127.0.0.1    TCP 66 8099 → 34370 [ACK] Seq=1 Ack=5 Win=65536 Len=0 TSval=1461607546 TSecr=1092121234',
      '    6 2026-11-24 08:40:00.466670    127.0.0.1 → 127.0.0.1    TCP 75 8099 → 34370 [PSH, ACK] Seq=1 Ack=5 Win=65536 Len=9 TSval=1461607547 TSecr=1092121234',
    ],
    a: [
      '    1 08:40:00.465205    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
      '    2 08:40:00.465217    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
      '    3 08:40:00.465229    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
      '    4 08:40:00.466036    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
      '    5 08:40:00.466042    127.0.0.1 → 127.0.0.1    TCP 66 8099 → 34370 [ACK] Seq=1 Ack=5 Win=65536 Len=0 TSval=1461607546 TSecr=1092121234',
      '    6 08:40:00.466670    127.0.0.1 → 127.0.0.1    TCP 75 8099 → 34370 [PSH, ACK] Seq=1 Ack=5 Win=65536 Len=9 TSval=1461607547 TSecr=1092121234',
    ],
    e: [
      '    1 1795509600.465205    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
      '    2 1795509600.465217    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
      '    3 1795509600.465229    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
      '    4 1795509600.466036    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
      '    5 1795509600.466042    127.0.0.1 → 127.0.0.1    TCP 66 8099 → 34370 [ACK] Seq=1 Ack=5 Win=65536 Len=0 TSval=1461607546 TSecr=1092121234',
      '    6 1795509600.466670    127.0.0.1 → 127.0.0.1    TCP 75 8099 → 34370 [PSH, ACK] Seq=1 Ack=5 Win=65536 Len=9 TSval=1461607547 TSecr=1092121234',
    ],
    d: [
      '    1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
      '    2   0.000012    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
      '    3   0.000012    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
      '    4   0.000807    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
      '    5   0.000006    127.0.0.1 → 127.0.0.1    TCP 66 8099 → 34370 [ACK] Seq=1 Ack=5 Win=65536 Len=0 TSval=1461607546 TSecr=1092121234',
      '    6   0.000628    127.0.0.1 → 127.0.0.1    TCP 75 8099 → 34370 [PSH, ACK] Seq=1 Ack=5 Win=65536 Len=9 TSval=1461607547 TSecr=1092121234',
    ],
    r: [
      '    1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 34370 → 8099 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1092121233 TSecr=0 WS=1024',
      '    2   0.000012    127.0.0.1 → 127.0.0.1    TCP 74 8099 → 34370 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1461607545 TSecr=1092121233 WS=1024',
      '    3   0.000024    127.0.0.1 → 127.0.0.1    TCP 66 34370 → 8099 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1092121233 TSecr=1461607545',
      '    4   0.000831    127.0.0.1 → 127.0.0.1    TCP 70 34370 → 8099 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=4 TSval=1092121234 TSecr=1461607545',
      '    5   0.000837    127.0.0.1 → 127.0.0.1    TCP 66 8099 → 34370 [ACK] Seq=1 Ack=5 Win=65536 Len=0 TSval=1461607546 TSecr=1092121234',
      '    6   0.001465    127.0.0.1 → 127.0.0.1    TCP 75 8099 → 34370 [PSH, ACK] Seq=1 Ack=5 Win=65536 Len=9 TSval=1461607547 TSecr=1092121234',
    ],
  };
  const cases: [string, string[]][] = [
    [
      'ad',
      [
        '1795509600.465205',
        '1795509600.465217',
        '1795509600.465229',
        '1795509600.466036',
        '1795509600.466042',
        '1795509600.466670',
      ],
    ],
    [
      'e',
      [
        '1795509600.465205',
        '1795509600.465217',
        '1795509600.465229',
        '1795509600.466036',
        '1795509600.466042',
        '1795509600.466670',
      ],
    ],
    ['a', ['31200.465205', '31200.465217', '31200.465229', '31200.466036', '31200.466042', '31200.466670']],
    ['r', ['0.000000', '0.000012', '0.000024', '0.000831', '0.000837', '0.001465']],
    ['d', ['0.000000', '0.000012', '0.000024', '0.000831', '0.000837', '0.001465']],
  ];
  for (const [mode, want] of cases) {
    test(`-t ${mode}`, () => {
      const r = parseLines(LINES[mode] as readonly string[]);
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.segments.map(time), want);
    });
  }
});

describe('tcpdump -vv notes', () => {
  test('[ack N != 0 while ACK flag not set]: printed ack kept, no ACK, so no ack', () => {
    const r = parseLines([
      '22:13:20.022998 IP (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto TCP (6), length 40)',
      '    10.0.0.1.40007 > 10.0.0.2.80: Flags [none], cksum 0xff47 (correct), seq 1, [ack 2 != 0 while ACK flag not set], win 0, length 0',
    ]);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.segments[0]?.printedAck, 2);
    assert.equal(r.segments[0]?.ack, null);
    assert.equal(r.segments[0]?.seq, 1);
    assert.equal(r.segments[0]?.line, 0);
    assert.equal(r.segments[0]?.endLine, 1);
  });
});

describe('tcpdump 3.7 (no "IP" word, " (DF)" at the end)', () => {
  test('reads like the 3.9 format', () => {
    check(
      [
        '08:40:00.465205 127.0.0.1.34370 > 127.0.0.1.8099: S 1247753380:1247753380(0) win 65495 <mss 65495,sackOK,timestamp 1092121233 0,nop,wscale 10> (DF)',
        '08:40:00.465217 127.0.0.1.8099 > 127.0.0.1.34370: S 2191994849:2191994849(0) ack 1247753381 win 65483 <mss 65495,sackOK,timestamp 1461607545 1092121233,nop,wscale 10> (DF)',
        '08:40:00.465229 127.0.0.1.34370 > 127.0.0.1.8099: . ack 1 win 64 <nop,nop,timestamp 1092121233 1461607545> (DF)',
        '08:40:00.466036 127.0.0.1.34370 > 127.0.0.1.8099: P 1:5(4) ack 1 win 64 <nop,nop,timestamp 1092121234 1461607545> (DF)',
        '08:40:00.466040 127.0.0.1.53 > 127.0.0.1.40000: 17177+ A? example.com. (29) (DF)',
      ],
      HANDSHAKE,
    );
  });
});

describe('tcpdump: damaged and cut packets (formats reference §6.9)', () => {
  test('truncated-ip, remaining caplen, bad hdr length: kept, marked truncated', () => {
    const r = parseLines([
      '08:40:00.465205 IP truncated-ip - 20 bytes missing! 127.0.0.1.34370 > 127.0.0.1.8099: Flags [P.], seq 1:21, ack 1, win 64, length 20',
      '08:40:00.465206 IP 127.0.0.1.34370 > 127.0.0.1.8099: [remaining caplen(14) < header length(20)]',
      '08:40:00.465207 IP 127.0.0.1.34370 > 127.0.0.1.8099: tcp 0 [bad hdr length 8 - too short, < 20]',
    ]);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.segments.map((s) => [s.truncated, s.flagsUnknown ?? false, s.len, s.seq]),
      [
        [true, false, 20, 1],
        [true, true, 0, null],
        [true, true, 0, null],
      ],
    );
  });
});
