// Hand-edited traces, one defect or edge case each: trace in, states and findings out.
// Every expectation follows from RFC 9293 (state table in the formats reference §4) or the
// Wireshark rules (analysis reference §1); comments say which.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, findings, states, tcpdump } from './support';
import { analyzeParsed, parseTrace } from '../../../server/src/analysis';
import { analyzeInSteps } from '../../../server/src/analysis/analyze';

const C = '10.0.0.1.40000 > 10.0.0.2.80:';
const S = '10.0.0.2.80 > 10.0.0.1.40000:';
const SYN = `${C} Flags [S], seq 1000, win 65535, length 0`;
const SYNACK = `${S} Flags [S.], seq 5000, ack 1001, win 65535, length 0`;
const ACK3 = `${C} Flags [.], ack 1, win 512, length 0`;
const HS = [SYN, SYNACK, ACK3];

interface Case {
  trace: string[];
  states?: string[];
  findings: string[];
  summary?: string;
}

const cases: Record<string, Case> = {
  'unanswered SYN, retransmitted (table rows 1-2)': {
    trace: [SYN, SYN],
    states: ['L1 SYN_SENT>LISTEN?', 'L2 SYN_SENT>LISTEN?'],
    findings: ['L1 handshake-incomplete', 'L2 syn-retransmission'],
    summary: 'S0 S no answer to SYN',
  },
  'SYN-ACK never acknowledged: half-open SYN_RECV (row 5)': {
    trace: [SYN, SYNACK, `${S} Flags [S.], seq 5000, ack 1001, win 65535, length 0`],
    states: ['L1 SYN_SENT>SYN_RECV', 'L2 SYN_RECV>ESTABLISHED', 'L3 SYN_RECV>ESTABLISHED'],
    findings: ['L2 handshake-incomplete', 'L3 syn-retransmission'],
  },
  'SYN-ACK with a bad ack, answered by RST seq=SEG.ACK (row 4, RFC 9293 Fig. 8)': {
    trace: [
      SYN,
      `${S} Flags [S.], seq 5000, ack 2000, win 65535, length 0`,
      `${C} Flags [R], seq 2000, win 0, length 0`,
    ],
    states: ['L1 SYN_SENT>SYN_RECV', 'L2 SYN_RECV>SYN_SENT', 'L3 SYN_SENT>LISTEN'],
    findings: ['L2 handshake-bad-ack'],
  },
  'refused (row 8)': {
    trace: [SYN, `${S} Flags [R.], seq 0, ack 1001, win 0, length 0`],
    states: ['L1 SYN_SENT>CLOSED', 'L2 CLOSED>CLOSED'],
    findings: ['L2 connection-refused'],
    summary: 'REJ Sr refused',
  },
  'SYN-ACK without a SYN: capture started late': {
    trace: [SYNACK, ACK3],
    states: ['L1 SYN_RECV>ESTABLISHED?', 'L2 ESTABLISHED?>ESTABLISHED'],
    findings: ['L1 synack-without-syn'],
  },
  'SYN with a new ISN while the first is unanswered': {
    trace: [
      SYN,
      `${C} Flags [S], seq 7000, win 65535, length 0`,
      `${S} Flags [S.], seq 5000, ack 7001, win 65535, length 0`,
    ],
    findings: ['L2 syn-isn-changed', 'L3 handshake-incomplete'],
  },
  'new SYN after a reset: port reuse starts a second connection': {
    trace: [
      ...HS,
      `${C} Flags [R.], seq 1, ack 1, win 0, length 0`,
      `${C} Flags [S], seq 90000, win 65535, length 0`,
    ],
    findings: ['L4 connection-reset', 'L5 port-reuse', 'L5 handshake-incomplete'],
  },
  'data before the handshake completed': {
    trace: [SYN, `${C} Flags [P.], seq 1001:1011, win 512, length 10`],
    findings: ['L1 handshake-incomplete', 'L2 data-before-established'],
  },
  'data after the sender’s own FIN': {
    trace: [
      ...HS,
      `${C} Flags [F.], seq 1, ack 1, win 512, length 0`,
      `${C} Flags [P.], seq 2:12, ack 1, win 512, length 10`,
    ],
    findings: ['L5 data-after-fin'],
  },
  'data after a RST': {
    trace: [
      ...HS,
      `${S} Flags [R.], seq 1, ack 1, win 0, length 0`,
      `${C} Flags [P.], seq 1:11, ack 1, win 512, length 10`,
    ],
    states: [
      'L1 SYN_SENT>SYN_RECV',
      'L2 SYN_RECV>ESTABLISHED',
      'L3 ESTABLISHED>ESTABLISHED',
      'L4 CLOSED>CLOSED',
      'L5 CLOSED>CLOSED',
    ],
    findings: ['L4 connection-reset', 'L5 data-after-reset'],
    summary: 'RSTR ShArD reset by server',
  },
  'ACK beyond the peer’s FIN': {
    trace: [
      ...HS,
      `${C} Flags [F.], seq 1, ack 1, win 512, length 0`,
      `${S} Flags [.], ack 5, win 512, length 0`,
    ],
    findings: ['L5 fin-bad-ack'],
  },
  'Christmas-tree flags': {
    trace: [...HS, `${C} Flags [FSRP.U], seq 1, ack 1, win 512, length 0`],
    findings: ['L4 unusual-flags'],
  },
  'RST in the window but not at RCV.NXT draws a challenge ACK; the real RST follows (rows 19-20)': {
    trace: [
      ...HS,
      `${C} Flags [R], seq 1500, win 0, length 0`,
      `${S} Flags [.], ack 1, win 65535, length 0`,
      `${C} Flags [R], seq 1001, win 0, length 0`,
    ],
    states: [
      'L1 SYN_SENT>SYN_RECV',
      'L2 SYN_RECV>ESTABLISHED',
      'L3 ESTABLISHED>ESTABLISHED',
      'L4 ESTABLISHED?>ESTABLISHED',
      'L5 ESTABLISHED>ESTABLISHED?',
      'L6 CLOSED>CLOSED',
    ],
    findings: ['L5 challenge-ack', 'L6 connection-reset'],
  },
  'combined FIN/ACK close: FIN_WAIT_1 straight to TIME_WAIT (note 2)': {
    trace: [
      ...HS,
      `${C} Flags [F.], seq 1, ack 1, win 512, length 0`,
      `${S} Flags [F.], seq 1, ack 2, win 512, length 0`,
      `${C} Flags [.], ack 2, win 512, length 0`,
    ],
    states: [
      'L1 SYN_SENT>SYN_RECV',
      'L2 SYN_RECV>ESTABLISHED',
      'L3 ESTABLISHED>ESTABLISHED',
      'L4 FIN_WAIT_1>CLOSE_WAIT',
      'L5 LAST_ACK>TIME_WAIT',
      'L6 TIME_WAIT>CLOSED',
    ],
    findings: [],
    summary: 'SF ShAFf closed normally',
  },
  'simultaneous close: crossing FINs go through CLOSING (Fig. 13)': {
    trace: [
      ...HS,
      `${C} Flags [F.], seq 1, ack 1, win 512, length 0`,
      `${S} Flags [F.], seq 1, ack 1, win 512, length 0`,
      `${S} Flags [.], ack 2, win 512, length 0`,
      `${C} Flags [.], ack 2, win 512, length 0`,
    ],
    states: [
      'L1 SYN_SENT>SYN_RECV',
      'L2 SYN_RECV>ESTABLISHED',
      'L3 ESTABLISHED>ESTABLISHED',
      'L4 FIN_WAIT_1>CLOSE_WAIT',
      'L5 FIN_WAIT_1>CLOSING',
      'L6 CLOSING>TIME_WAIT',
      'L7 TIME_WAIT>TIME_WAIT',
    ],
    findings: [],
  },
  'capture starting mid-stream, one direction only, with a retransmission': {
    trace: [
      `${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
      `${C} Flags [P.], seq 101:201, ack 1, win 512, length 100`,
      `${C} Flags [P.], seq 101:201, ack 1, win 512, length 100`,
    ],
    states: ['L1 ESTABLISHED?>ESTABLISHED?', 'L2 ESTABLISHED?>ESTABLISHED?', 'L3 ESTABLISHED?>ESTABLISHED?'],
    findings: ['L3 retransmission'],
    summary: 'OTH DT mid-stream, open (no close seen)',
  },
  'self-connect: one socket talks to itself': {
    trace: [
      '10.0.0.1.5000 > 10.0.0.1.5000: Flags [S], seq 1000, win 65535, length 0',
      '10.0.0.1.5000 > 10.0.0.1.5000: Flags [S.], seq 1000, ack 1001, win 65535, length 0',
      '10.0.0.1.5000 > 10.0.0.1.5000: Flags [.], ack 1, win 512, length 0',
    ],
    states: ['L1 SYN_RECV>SYN_RECV', 'L2 ESTABLISHED>ESTABLISHED', 'L3 ESTABLISHED>ESTABLISHED'],
    findings: [],
  },
  'sequence numbers wrapping past 2^32': {
    trace: [
      `${C} Flags [S], seq 4294967000, win 65535, length 0`,
      `${S} Flags [S.], seq 4294967290, ack 4294967001, win 65535, length 0`,
      ACK3,
      `${C} Flags [P.], seq 1:1001, ack 1, win 512, length 1000`,
      `${S} Flags [.], ack 1001, win 512, length 0`,
      `${S} Flags [P.], seq 1:101, ack 1001, win 512, length 100`,
      `${C} Flags [F.], seq 1001, ack 101, win 512, length 0`,
      `${S} Flags [F.], seq 101, ack 1002, win 512, length 0`,
      `${C} Flags [.], ack 102, win 512, length 0`,
    ],
    findings: [],
    summary: 'SF ShADadFf closed normally',
  },
};

describe('hand-edited traces', () => {
  for (const [name, c] of Object.entries(cases)) {
    test(name, () => {
      const r = analyze(tcpdump(c.trace));
      assert.equal(r.segments.length, c.trace.length, 'every line parsed');
      if (c.states !== undefined) assert.deepEqual(states(r), c.states);
      assert.deepEqual(findings(r), c.findings);
      if (c.summary !== undefined) {
        const k = r.connections[0];
        assert.equal(`${k.zeekState} ${k.history} ${k.outcome}`, c.summary);
      }
    });
  }

  test('every state inference says why, with the line', () => {
    const r = analyze(tcpdump([...HS, `${C} Flags [F.], seq 1, ack 1, win 512, length 0`]));
    const a = r.perSegment.get(3)!;
    assert.equal(a.sender.rule, 'snd-fin');
    assert.match(a.sender.reason, /^Line 4: .*FIN_WAIT_1/);
    assert.equal(a.receiver.confidence, 'provisional');
    assert.equal(
      r.perSegment.get(1)!.role,
      'SYN-ACK: second step of the three-way handshake, acknowledging ISN 1000 + 1',
    );
  });

  test('a retransmission links its original, an ACK the segment it acknowledges', () => {
    const r = analyze(
      tcpdump([
        ...HS,
        `${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
        `${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
        `${S} Flags [.], ack 101, win 512, length 0`,
      ]),
    );
    assert.equal(r.perSegment.get(4)!.original, 3);
    assert.equal(r.perSegment.get(5)!.acknowledges, 3);
    const f = r.diagnostics.find((d) => d.code === 'spurious-retransmission' || d.code === 'retransmission');
    assert.ok(f);
    assert.deepEqual(
      f.related.map((x) => x.line),
      [3],
    );
  });

  test('disabled codes are dropped', () => {
    const text = '# tcptrace-disable syn-retransmission\n' + tcpdump([SYN, SYN]);
    const r = analyze(text);
    assert.deepEqual(findings(r), ['L2 handshake-incomplete']);
  });

  test('SYN flood: thresholds come from the options', () => {
    const lines: string[] = [];
    for (let k = 0; k < 6; k++) {
      lines.push(
        `10.9.0.${k + 1}.${30000 + k} > 10.0.0.2.80: Flags [S], seq ${1000 + k}, win 65535, length 0`,
      );
      lines.push(
        `10.0.0.2.80 > 10.9.0.${k + 1}.${30000 + k}: Flags [S.], seq ${9000 + k}, ack ${1001 + k}, win 65535, length 0`,
      );
    }
    const text = tcpdump(lines);
    assert.ok(!findings(analyze(text)).some((f) => f.endsWith('syn-flood')), 'default needs 20 attempts');
    const r = analyze(text, { synFloodMinHalfOpen: 5, synFloodMinSources: 5, synFloodWindowSeconds: 1 });
    const flood = r.diagnostics.filter((d) => d.code === 'syn-flood');
    assert.equal(flood.length, 1);
    assert.equal(flood[0].line, 0);
    assert.equal(flood[0].details?.sources, 6);
  });

  test("SYN flood: half-open attempts that are a small share of a busy listener's traffic are not a flood", () => {
    // 24 half-open attempts from 24 sources (over the default thresholds of 20
    // from 5) among 100 completed handshakes within the same 10 s.
    const lines: string[] = [];
    for (let k = 0; k < 124; k++) {
      const client = `10.9.${k >> 8}.${(k & 255) + 1}.${30000 + k}`;
      const t = (k * 0.05).toFixed(6).padStart(9, '0');
      lines.push(`10:00:${t} IP ${client} > 10.0.0.2.80: Flags [S], seq ${1000 + k}, win 65535, length 0`);
      lines.push(
        `10:00:${t} IP 10.0.0.2.80 > ${client}: Flags [S.], seq ${9000 + k}, ack ${1001 + k}, win 65535, length 0`,
      );
      if (k % 5 !== 0 || k >= 120)
        lines.push(`10:00:${t} IP ${client} > 10.0.0.2.80: Flags [.], ack 1, win 512, length 0`);
    }
    const text = lines.join('\n') + '\n';
    const busy = analyze(text);
    assert.equal(busy.diagnostics.filter((d) => d.code === 'handshake-incomplete').length, 24);
    assert.ok(!busy.diagnostics.some((d) => d.code === 'syn-flood'), 'a 19 % failure share is not a flood');
    // The same traffic is a flood when the user lowers the share threshold.
    const strict = analyze(text, { synFloodMinHalfOpenShare: 0.1 });
    const flood = strict.diagnostics.filter((d) => d.code === 'syn-flood');
    assert.equal(flood.length, 1);
    assert.equal(flood[0].details?.halfOpen, 24);
    assert.match(flood[0].message, /% of the \d+ connection attempts/);
  });

  test('vantage: a capture on the client sees SYN→SYN-ACK take the RTT and the ACK follow at once', () => {
    const text =
      [`10:00:00.000000 IP ${SYN}`, `10:00:00.040000 IP ${SYNACK}`, `10:00:00.040050 IP ${ACK3}`].join('\n') +
      '\n';
    assert.equal(analyze(text).vantage, 'client');
    assert.equal(analyze(text, { vantage: 'middle' }).vantage, 'middle');
    const server =
      [`10:00:00.000000 IP ${SYN}`, `10:00:00.000050 IP ${SYNACK}`, `10:00:00.040000 IP ${ACK3}`].join('\n') +
      '\n';
    assert.equal(analyze(server).vantage, 'server');
  });

  test('at the sender a late lower segment is a retransmission, not out-of-order', () => {
    const trace = [
      `10:00:00.000000 IP ${SYN}`,
      `10:00:00.040000 IP ${SYNACK}`,
      `10:00:00.040050 IP ${ACK3}`,
      `10:00:00.041000 IP ${C} Flags [P.], seq 101:201, ack 1, win 512, length 100`,
      `10:00:00.041010 IP ${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
    ].join('\n');
    const middle = analyze(trace, { vantage: 'middle' });
    assert.deepEqual(middle.perSegment.get(4)!.analysis, ['out-of-order']);
    const client = analyze(trace, { vantage: 'client' });
    assert.deepEqual(client.perSegment.get(4)!.analysis, ['retransmission']);
    assert.match(
      client.diagnostics.find((d) => d.code === 'retransmission')?.message ?? '',
      /capture was taken at this sender/,
    );
  });
});

describe('TCP Fast Open and parse errors', () => {
  test('a SYN with data: the SYN-ACK says whether it accepted the data', () => {
    const syn = `${C} Flags [S], seq 1000:1011, win 65535, options [tfo  cookie d9aa1f953beb2802], length 11`;
    const accepted = analyze(tcpdump([syn, `${S} Flags [S.], seq 5000, ack 1012, win 65535, length 0`]));
    assert.match(accepted.perSegment.get(1)!.role, /and the 11 bytes of TCP Fast Open data$/);
    assert.deepEqual(findings(accepted), ['L2 handshake-incomplete']);
    const rejected = analyze(tcpdump([syn, SYNACK]));
    assert.match(rejected.perSegment.get(1)!.role, /but not the 11 bytes/);
    const bad = analyze(tcpdump([syn, `${S} Flags [S.], seq 5000, ack 1013, win 65535, length 0`]));
    assert.equal(findings(bad)[0], 'L2 handshake-bad-ack');
  });

  test('parse errors pass through, sorted by line with the analysis findings', () => {
    const lines = tcpdump([SYN, SYN]).split('\n');
    lines.splice(
      1,
      0,
      '10:00:00.000500 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq x1000, win 65535, length 0',
    );
    const r = analyze(lines.join('\n'));
    assert.deepEqual(findings(r), ['L1 handshake-incomplete', 'L2 parse-error', 'L3 syn-retransmission']);
  });
});

/** Runs a stepwise computation to its end, counting its pauses. */
function runCountingPauses<T>(steps: Generator<void, T>): { pauses: number; value: T } {
  let pauses = 0;
  let r = steps.next();
  while (r.done !== true) {
    pauses++;
    r = steps.next();
  }
  return { pauses, value: r.value };
}

describe('stepwise analysis', () => {
  test('analyzeInSteps pauses every stepSize segments of the vote and of the walk and returns what analyzeParsed returns', () => {
    const text = tcpdump([
      ...HS,
      `${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
      `${C} Flags [P.], seq 1:101, ack 1, win 512, length 100`,
      `${S} Flags [.], ack 101, win 512, length 0`,
      `${C} Flags [F.], seq 101, ack 1, win 512, length 0`,
    ]);
    const parsed = parseTrace(text);
    const { pauses, value } = runCountingPauses(analyzeInSteps(parsed, {}, 2));
    // 7 segments: 3 pauses in the vantage vote, 3 in the walk.
    assert.equal(pauses, 6);
    assert.deepEqual(value, analyzeParsed(parsed));
  });

  test('analyzeInSteps also pauses every stepSize connections of the checks after the walk', () => {
    // Five unanswered SYNs from five client ports: five connections, five segments.
    const syns = [40001, 40002, 40003, 40004, 40005].map(
      (port) => `10.0.0.1.${port} > 10.0.0.2.80: Flags [S], seq 1000, win 65535, length 0`,
    );
    const parsed = parseTrace(tcpdump(syns));
    const { pauses, value } = runCountingPauses(analyzeInSteps(parsed, {}, 2));
    // 2 pauses in the vote and 2 in the walk (after segments 2 and 4), then 2 in the pass over
    // the connections (handshake ends, SYN-flood attempts and summaries, each connection once).
    assert.equal(pauses, 6);
    assert.equal(value.connections.length, 5);
    assert.deepEqual(value, analyzeParsed(parsed));
  });

  test('segments whose flags the trace does not show move no state and raise nothing', () => {
    const text = tcpdump([...HS]) + '10:00:00.010000 IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 100\n';
    const r = analyze(text);
    assert.equal(r.segments[3].flagsUnknown, true);
    assert.deepEqual(findings(r), []);
    // The same inference as the segment before (the stored rows make a new object per read).
    const { state, confidence, rule, reason } = r.perSegment.get(2)!.sender;
    const same = r.perSegment.get(3)!.sender;
    assert.deepEqual(
      { state: same.state, confidence: same.confidence, rule: same.rule, reason: same.reason },
      { state, confidence, rule, reason },
    );
  });
});
