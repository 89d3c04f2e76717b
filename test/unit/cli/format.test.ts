// The formatters on small hand-made analysis results: the conversions every
// format relies on (1-based lines, endpoints, flag letters, severities).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../../../server/src/analysis/model';
import { SegmentAnalyses } from '../../../server/src/analysis/segmentAnalyses';
import type {
  AnalysisResult,
  Connection,
  Finding,
  Segment,
  SegmentAnalysis,
} from '../../../server/src/analysis/model';
import { ANSI, PLAIN, useColor } from '../../../server/src/cli/color';
import { formatJson } from '../../../server/src/cli/format/json';
import { artifactUri, formatSarif } from '../../../server/src/cli/format/sarif';
import { formatSummary } from '../../../server/src/cli/format/summary';
import { formatText } from '../../../server/src/cli/format/text';
import { endpointText, flagLetters, type Report } from '../../../server/src/cli/report';
import { checkSarif } from './sarifCheck';

const TEXT = [
  '# an IPv6 handshake',
  '10:00:00.000001 IP6 2001:db8::1.40000 > 2001:db8::2.443: Flags [S], seq 100, win 65535, length 0',
  '10:00:00.000101 IP6 2001:db8::2.443 > 2001:db8::1.40000: Flags [S.], seq 900, ack 101, win 65535, length 0',
  '',
].join('\n');

function segment(
  index: number,
  line: number,
  fwd: boolean,
  flags: number,
  seq: number,
  ack: number | null,
): Segment {
  const a = { host: '2001:db8::1', port: 40000 };
  const b = { host: '2001:db8::2', port: 443 };
  return {
    index,
    line,
    endLine: line,
    format: 'tcpdump',
    time: 36000 + line * 0.0001,
    src: fwd ? a : b,
    dst: fwd ? b : a,
    flags,
    seq,
    ack,
    printedSeq: seq,
    printedAck: ack,
    len: 0,
    win: 65535,
    urg: null,
    options: {},
    truncated: false,
    badChecksum: null,
    fields: [],
  };
}

function analysis(i: number, sender: string, receiver: string | null, assumed: boolean): SegmentAnalysis {
  return {
    segment: i,
    connection: 1,
    direction: i === 0 ? 'c2s' : 's2c',
    sender: { state: sender as never, confidence: 'observed', rule: 'r', reason: 'r' },
    receiver: {
      state: receiver as never,
      confidence: assumed ? 'assumed' : 'observed',
      rule: 'r',
      reason: 'r',
    },
    phase: 'handshake',
    role: 'handshake',
    relSeq: 0,
    relAck: null,
    analysis: i === 1 ? ['syn-retransmission'] : [],
    bytesInFlight: null,
    sinceStart: null,
  };
}

const finding: Finding = {
  code: 'handshake-incomplete',
  severity: 'warning',
  message: 'SYN-ACK never acknowledged',
  line: 2,
  endLine: 2,
  connection: 1,
  related: [{ line: 1, message: 'the SYN' }],
};

const connection: Connection = {
  id: 1,
  client: { host: '2001:db8::1', port: 40000 },
  server: { host: '2001:db8::2', port: 443 },
  segments: [0, 1],
  firstLine: 1,
  lastLine: 2,
  clientIsn: 100,
  serverIsn: 900,
  clientState: 'SYN_SENT',
  serverState: 'SYN_RECV',
  zeekState: 'S1',
  history: 'Sh',
  completeness: 3,
  handshakeRtt: null,
  duration: 0.0001,
  c2s: { segments: 1, bytes: 0, retransmissions: 0 },
  s2c: { segments: 1, bytes: 0, retransmissions: 0 },
  label: '',
  outcome: 'half-open',
};

const result: AnalysisResult = {
  format: 'tcpdump',
  lineCount: 4,
  segments: [segment(0, 1, true, SYN, 100, null), segment(1, 2, false, SYN | ACK, 900, 101)],
  perSegment: SegmentAnalyses.of([
    analysis(0, 'SYN_SENT', 'LISTEN', true),
    analysis(1, 'SYN_RECV', null, false),
  ]),
  connections: [connection],
  diagnostics: [finding],
  vantage: 'middle',
};

const report: Report = { path: 'dir/a b.tcptrace', inputFormat: 'tcpdump', result, segmentCount: 2 };

describe('cli formatters', () => {
  test('flag letters follow FSRPAUEW whatever the bit order', () => {
    assert.equal(flagLetters(SYN | ACK), 'SA');
    assert.equal(flagLetters(FIN | SYN | RST | PSH | ACK | URG | ECE | CWR | AE), 'FSRPAUEW');
    assert.equal(flagLetters(ACK | PSH), 'PA');
    assert.equal(flagLetters(0), '');
  });

  test('endpoints: IPv6 in brackets, IPv4 and names plain', () => {
    assert.equal(endpointText({ host: '::1', port: 80 }), '[::1]:80');
    assert.equal(endpointText({ host: '10.0.0.1', port: 5 }), '10.0.0.1:5');
    assert.equal(endpointText({ host: 'localhost', port: 443, service: 'https' }), 'localhost:443');
  });

  test('json: schema 1 with 1-based lines and the documented fields', () => {
    const doc = JSON.parse([...formatJson(report)].join('')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), [
      'schema',
      'input',
      'vantage',
      'segments',
      'connections',
      'diagnostics',
    ]);
    assert.equal(doc.schema, 1);
    assert.deepEqual(doc.input, { path: 'dir/a b.tcptrace', format: 'tcpdump', lines: 4 });
    const [syn, synack] = doc.segments as Record<string, unknown>[];
    assert.deepEqual(syn, {
      line: 2,
      connection: 1,
      src: '[2001:db8::1]:40000',
      dst: '[2001:db8::2]:443',
      flags: 'S',
      seq: 100,
      ack: null,
      len: 0,
      time: 36000.0001,
      senderState: 'SYN_SENT',
      receiverState: 'LISTEN',
      analysis: [],
    });
    assert.equal(synack.flags, 'SA');
    assert.equal(synack.receiverState, null);
    assert.deepEqual(synack.analysis, ['syn-retransmission']);
    const [c] = doc.connections as Record<string, unknown>[];
    assert.equal(c.firstLine, 2);
    assert.equal(c.lastLine, 3);
    assert.equal(c.client, '[2001:db8::1]:40000');
    assert.equal(c.zeekState, 'S1');
    assert.equal(c.handshakeRtt, null);
    const [d] = doc.diagnostics as Record<string, unknown>[];
    assert.deepEqual(d, {
      line: 3,
      endLine: 3,
      severity: 'warning',
      code: 'handshake-incomplete',
      message: 'SYN-ACK never acknowledged',
      related: [{ line: 2, message: 'the SYN' }],
      connection: 1,
    });
  });

  test('json: empty lists are still valid JSON', () => {
    const empty: Report = {
      path: null,
      inputFormat: 'unknown',
      result: {
        ...result,
        segments: [],
        perSegment: SegmentAnalyses.of([]),
        connections: [],
        diagnostics: [],
      },
      segmentCount: 0,
    };
    const doc = JSON.parse([...formatJson(empty)].join('')) as Record<string, unknown>;
    assert.deepEqual(doc.segments, []);
    assert.equal((doc.input as Record<string, unknown>).path, null);
  });

  test('sarif: valid 2.1.0, rule per code with its docs anchor, levels mapped', () => {
    const log = JSON.parse(formatSarif(report, { version: '9.9.9', cwd: '/work' })) as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri: string }[] } };
        results: Record<string, unknown>[];
      }[];
    };
    checkSarif(log);
    const run = log.runs[0];
    const rule = run.tool.driver.rules.find((r) => r.id === 'handshake-incomplete');
    assert.ok(rule?.helpUri.endsWith('docs/diagnostics.md#handshake-incomplete'));
    const [res] = run.results;
    assert.equal(res.level, 'warning');
    assert.equal(res.ruleId, 'handshake-incomplete');
    assert.deepEqual(res.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'dir/a%20b.tcptrace', index: 0 },
          region: { startLine: 3, endLine: 3 },
        },
      },
    ]);
    assert.equal((res.relatedLocations as { message: { text: string } }[])[0].message.text, 'the SYN');
    for (const [severity, level] of [
      ['error', 'error'],
      ['information', 'note'],
      ['hint', 'note'],
    ] as const) {
      const one = { ...report, result: { ...result, diagnostics: [{ ...finding, severity }] } };
      const parsed = JSON.parse(formatSarif(one, { version: '1', cwd: '/' })) as typeof log;
      assert.equal(parsed.runs[0].results[0].level, level);
    }
  });

  test('sarif: artifact URIs are relative below the working directory, file: URIs elsewhere', () => {
    assert.equal(artifactUri('traces/x.tcptrace', '/home/u'), 'traces/x.tcptrace');
    assert.equal(artifactUri('/tmp/y z.pcap', '/home/u'), 'file:///tmp/y%20z.pcap');
    assert.equal(artifactUri(null, '/home/u'), 'stdin');
  });

  test('summary: a line per connection with states, Zeek state, counts; then totals', () => {
    const out = [...formatSummary(report, PLAIN)].join('');
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^#1 \[2001:db8::1\]:40000 → \[2001:db8::2\]:443 {2}SYN_SENT\/SYN_RECV {2}S1 Sh {2}2 segments/,
    );
    assert.match(lines[0], /lines 2-3, half-open: 1 warning$/);
    assert.match(
      lines[1],
      /^Total: dir\/a b\.tcptrace \(tcpdump, 4 lines\): 1 connection \(S1 1\), 2 segments; 1 warning; vantage middle$/,
    );
  });

  test('text: states beside the segment line, findings under the line they start on', () => {
    const lines = [...formatText(report, TEXT, PLAIN)].join('').split('\n');
    assert.equal(lines[0], '# an IPv6 handshake');
    assert.ok(lines[1].endsWith('length 0  │ #1 SYN_SENT → LISTEN?'), lines[1]);
    assert.ok(lines[2].endsWith('length 0  │ #1 SYN_RECV → ? syn-retransmission'), lines[2]);
    assert.equal(
      lines[3],
      '    ↳ warning handshake-incomplete: SYN-ACK never acknowledged (line 2: the SYN)',
    );
    assert.match(lines[4], /^── 1 connections, 2 segments; 1 warning$/);
    assert.equal(lines.length, 6, 'no blank line for the final newline');
    assert.ok(!lines.join('').includes('\x1b['));
    const coloured = [...formatText(report, TEXT, ANSI)].join('');
    assert.ok(coloured.includes('\x1b[33m↳ warning handshake-incomplete\x1b[39m'));
  });

  test('colour: NO_COLOR and --no-color win, FORCE_COLOR and --color force it on', () => {
    assert.equal(useColor(undefined, true, {}), true);
    assert.equal(useColor(undefined, false, {}), false);
    assert.equal(useColor(undefined, true, { NO_COLOR: '1' }), false);
    assert.equal(useColor(undefined, true, { TERM: 'dumb' }), false);
    assert.equal(useColor(false, true, { FORCE_COLOR: '1' }), false);
    assert.equal(useColor(undefined, false, { FORCE_COLOR: '1' }), true);
    assert.equal(useColor(true, false, { NO_COLOR: '1' }), true);
  });
});
