// Role codes must read as the texts roles.ts made before they were codes, for every
// kind and for the numbers they quote (null, 0, 1, the largest uint32), and a store
// of per-segment results must give back a role recorded as text (the rare roles that
// quote two numbers) through edits that move its segment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { roleCode, RoleKind, roleText } from '../../../server/src/analysis/roleTexts';
import { SegmentAnalyses, type SegmentRecord } from '../../../server/src/analysis/segmentAnalyses';
import type { StateInference } from '../../../server/src/analysis';

function read(kind: RoleKind, value: number | null = null): string {
  const code = roleCode(kind, value);
  return typeof code === 'number' ? roleText(code) : code;
}

const HS = 'three-way handshake';

describe('role codes', () => {
  test('constant roles', () => {
    const expected: [RoleKind, string][] = [
      [RoleKind.KeepAlive, 'Keep-alive: asks the peer to confirm the connection is still there'],
      [RoleKind.KeepAliveAck, 'Keep-alive ACK: answers the keep-alive'],
      [RoleKind.ZeroWindowProbe, 'Zero-window probe: asks whether the peer’s window has opened'],
      [RoleKind.ZeroWindowProbeAck, 'Zero-window probe ACK: the window is still closed'],
      [RoleKind.WindowUpdate, 'Window update: the receiver has room again'],
      [RoleKind.ChallengeAck, 'Challenge ACK (RFC 5961): answers a RST or SYN that was not accepted'],
      [RoleKind.RstRefusedByClient, 'RST: the client refuses the connection (nothing listens on the port)'],
      [RoleKind.RstRefusedByServer, 'RST: the server refuses the connection (nothing listens on the port)'],
      [
        RoleKind.RstChallenged,
        'RST: in the window but not at the expected sequence number (RFC 5961 challenge)',
      ],
      [RoleKind.RstIgnored, 'RST: outside the window, ignored by the receiver'],
      [RoleKind.RstAbortedByClient, 'RST: the client aborts the connection'],
      [RoleKind.RstAbortedByServer, 'RST: the server aborts the connection'],
      [RoleKind.SynAckUnseenSyn, `SYN-ACK: second step of the ${HS} (its SYN was not captured)`],
      [RoleKind.AckOfServerFin, "ACK of the server's FIN"],
      [RoleKind.AckOfClientFin, "ACK of the client's FIN"],
      [RoleKind.PureAck, 'ACK: acknowledges data, carries none'],
      [
        RoleKind.FlagsUnknown,
        'Segment whose TCP flags the trace does not show (tcpdump -q or a truncated header)',
      ],
    ];
    for (const [kind, text] of expected) assert.equal(read(kind), text);
  });

  test('roles that quote a number, at the edges of its range', () => {
    for (const n of [0, 1, 1448, 65535, 65536, 0x7fffffff, 0xffffffff]) {
      assert.equal(read(RoleKind.SynAck, n), `SYN-ACK: second step of the ${HS}, acknowledging ISN ${n} + 1`);
      assert.equal(read(RoleKind.SynRetransmission, n), `SYN retransmission (ISN ${n})`);
      assert.equal(
        read(RoleKind.SimultaneousClientSyn, n),
        `SYN: simultaneous open, the client's own SYN (ISN ${n})`,
      );
      assert.equal(
        read(RoleKind.SimultaneousServerSyn, n),
        `SYN: simultaneous open, the server's own SYN (ISN ${n})`,
      );
      assert.equal(read(RoleKind.Syn, n), `SYN: first step of the ${HS} (ISN ${n})`);
      assert.equal(
        read(RoleKind.ThirdStepWithData, n),
        `ACK: third step of the ${HS}, with ${n} bytes of data`,
      );
      assert.equal(
        read(RoleKind.ThirdStepAck, n),
        `ACK: third step of the ${HS}, acknowledging ISN ${n} + 1`,
      );
    }
    // Unknown numbers read as the template strings printed them.
    assert.equal(read(RoleKind.SynRetransmission, null), 'SYN retransmission (ISN null)');
    assert.equal(read(RoleKind.Syn, null), `SYN: first step of the ${HS} (ISN null)`);
    assert.equal(
      read(RoleKind.ThirdStepAck, null),
      `ACK: third step of the ${HS}, acknowledging ISN null + 1`,
    );
  });

  test('FIN roles with and without data', () => {
    const fins: [RoleKind, string][] = [
      [RoleKind.ClientFinToo, 'FIN: the client closes its side too'],
      [RoleKind.ClientFinSending, 'FIN: the client closes its sending side'],
      [RoleKind.ServerFinToo, 'FIN: the server closes its side too'],
      [RoleKind.ServerFinSending, 'FIN: the server closes its sending side'],
    ];
    for (const [kind, text] of fins) {
      assert.equal(read(kind, 0), text);
      assert.equal(read(kind, 1), `${text} after 1 bytes of data`);
      assert.equal(read(kind, 70000), `${text} after 70000 bytes of data`);
    }
  });

  test('data roles, singular and beyond the cached lengths', () => {
    assert.equal(read(RoleKind.Data, 1), 'Data: 1 byte');
    assert.equal(read(RoleKind.Data, 1448), 'Data: 1448 bytes');
    assert.equal(read(RoleKind.Data, 65535), 'Data: 65535 bytes');
    assert.equal(read(RoleKind.Data, 65536), 'Data: 65536 bytes');
    assert.equal(read(RoleKind.Data, 0xffffffff), 'Data: 4294967295 bytes');
  });

  test('a number no code can hold gives the text itself', () => {
    assert.equal(roleCode(RoleKind.Data, 2 ** 50), `Data: ${2 ** 50} bytes`);
    assert.equal(roleCode(RoleKind.Data, 0.5), 'Data: 0.5 bytes');
  });
});

describe('roles in the per-segment store', () => {
  const inference: StateInference = {
    state: 'ESTABLISHED',
    confidence: 'observed',
    rule: 'r',
    reason: 'why',
  };
  const record = (role: number | string): SegmentRecord => ({
    connection: 0,
    c2s: true,
    sender: inference,
    receiver: inference,
    phase: 'data',
    role,
    relSeq: null,
    relAck: null,
    codes: [],
    bytesInFlight: null,
    sinceStart: null,
    acknowledges: -1,
    original: -1,
  });
  const roles = (store: SegmentAnalyses): string[] => [...store].map((a) => a.role);
  const tfo = 'SYN: first step of the three-way handshake (ISN 7) with 5 bytes of TCP Fast Open data';
  const data = roleCode(RoleKind.Data, 5) as number;
  const ack = roleCode(RoleKind.PureAck) as number;

  test('texts and codes side by side, through replaceRange, copy and a new record', () => {
    const store = new SegmentAnalyses(4);
    store.record(0, record(ack));
    store.record(1, record(tfo));
    store.record(2, record(data));
    store.record(3, record('Segment'));
    assert.deepEqual(roles(store), ['ACK: acknowledges data, carries none', tfo, 'Data: 5 bytes', 'Segment']);
    // Two segments in for the first: the texts move with their segments.
    store.replaceRange(0, 1, 2);
    store.record(0, record(data));
    store.record(1, record('new text'));
    assert.deepEqual(roles(store), ['Data: 5 bytes', 'new text', tfo, 'Data: 5 bytes', 'Segment']);
    // The text's segment recorded again with a code: its text is gone.
    store.record(2, record(ack));
    // And a text copied from another store.
    const other = new SegmentAnalyses(1);
    other.record(0, record('copied'));
    store.copy(3, other, 0);
    assert.deepEqual(roles(store), [
      'Data: 5 bytes',
      'new text',
      'ACK: acknowledges data, carries none',
      'copied',
      'Segment',
    ]);
    // Segments removed before a text.
    store.replaceRange(0, 3, 0);
    assert.deepEqual(roles(store), ['copied', 'Segment']);
  });

  test('a store of some segments keeps texts by slot', () => {
    const store = SegmentAnalyses.forSegments([3, 9]);
    store.record(9, record(tfo));
    store.record(3, record(data));
    assert.equal(store.get(9)?.role, tfo);
    assert.equal(store.get(3)?.role, 'Data: 5 bytes');
  });
});
