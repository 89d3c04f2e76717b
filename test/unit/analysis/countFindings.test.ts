// StreamOptions.countFindings (the CLI's summary): no findings, and counts by severity
// in all, per connection and outside any connection that are those of the whole
// analysis' findings, on every fixture and example (text and capture), the benchmark's
// generated traffic, late disable comments and a withdrawn finding.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';
import {
  analyzeParsed,
  COUNTED_SEVERITIES,
  parseTrace,
  StreamAnalyzer,
  type FindingCounts,
  type ParseResult,
} from '../../../server/src/analysis';
import { parseCapture } from '../../../server/src/analysis/pcap';

/** The counts of the whole analysis' findings, as FindingCounts gives them (as plain arrays). */
function countsOfWhole(parsed: ParseResult): { total: number[]; byConnection: number[]; outside: number[] } {
  const whole = analyzeParsed(parsed, { perSegment: false });
  const n = COUNTED_SEVERITIES.length;
  const total = new Array<number>(n).fill(0);
  const byConnection = new Array<number>(n * whole.connections.length).fill(0);
  const outside = new Array<number>(n).fill(0);
  for (const f of whole.diagnostics) {
    const s = COUNTED_SEVERITIES.indexOf(f.severity);
    total[s]++;
    if (f.connection === undefined) outside[s]++;
    else byConnection[n * f.connection + s]++;
  }
  return { total, byConnection, outside };
}

function plain(c: FindingCounts): { total: number[]; byConnection: number[]; outside: number[] } {
  return { total: [...c.total], byConnection: [...c.byConnection], outside: [...c.outside] };
}

/** Streams `parsed` with countFindings and checks its counts against the whole analysis'. */
function assertCounts(parsed: ParseResult, what: string): number {
  const analyzer = new StreamAnalyzer({ countFindings: true, findingText: false });
  for (const s of parsed.segments) analyzer.push(s);
  const streamed = analyzer.finish(parsed);
  assert.deepEqual(streamed.diagnostics, [], `${what}: no findings listed`);
  assert.ok(streamed.findingCounts !== undefined, what);
  const expected = countsOfWhole(parsed);
  assert.deepEqual(plain(streamed.findingCounts), expected, `${what}: counts`);
  return expected.total.reduce((a, b) => a + b, 0);
}

function traceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path.join(fixturesDir, 'captures'));
  walk(path.join(repoRoot, 'examples'));
  return files;
}

/** An ACK captured before the data it acknowledges: acked-unseen, withdrawn when the data shows up. */
const LATE_DATA = [
  '10:00:00.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 100, win 65535, length 0',
  '10:00:00.001000 IP 10.0.0.2.80 > 10.0.0.1.1000: Flags [S.], seq 500, ack 101, win 65535, length 0',
  '10:00:00.002000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [.], ack 1, win 65535, length 0',
  '10:00:00.003000 IP 10.0.0.2.80 > 10.0.0.1.1000: Flags [.], ack 101, win 65535, length 0',
  '10:00:00.004000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 65535, length 100',
];

describe('streaming analysis that only counts findings', () => {
  test('every fixture and example, text and capture: the counts of the whole analysis', () => {
    let traces = 0;
    let findings = 0;
    for (const file of traceFiles()) {
      const what = path.relative(repoRoot, file);
      if (file.endsWith('.tcptrace') || file.endsWith('.txt'))
        findings += assertCounts(parseTrace(fs.readFileSync(file, 'utf8'), { spans: false }), what);
      else if (file.endsWith('.pcap') || file.endsWith('.pcapng'))
        findings += assertCounts(
          parseCapture(fs.readFileSync(file), { spans: false, timeZone: 'UTC' }),
          what,
        );
      else continue;
      traces++;
    }
    assert.ok(traces > 60, `${traces} traces`);
    assert.ok(findings > 500, `${findings} findings`);
  });

  test("the benchmark's generated traffic", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-count-'));
    try {
      const r = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bench', 'gen-trace.mjs'), '--seed', '7', '40000', dir],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const parsed = parseTrace(fs.readFileSync(path.join(dir, 'trace-40000.tcptrace'), 'utf8'), {
        spans: false,
      });
      assert.ok(assertCounts(parsed, 'seed 7') > 1000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a withdrawn finding and late disable comments are not counted', () => {
    const early = parseTrace(`${LATE_DATA.slice(0, 4).join('\n')}\n`);
    assert.deepEqual(
      analyzeParsed(early).diagnostics.map((d) => d.code),
      ['acked-unseen'],
    );
    const late = parseTrace(`${LATE_DATA.join('\n')}\n`);
    assert.ok(!analyzeParsed(late).diagnostics.some((d) => d.code === 'acked-unseen'));
    assertCounts(late, 'late data');
    // The same with sequence numbers past 2^31 (DirTrack.unseenAck keeps them as signed 32-bit integers).
    const high = LATE_DATA.map((l) =>
      l.replace('seq 100,', 'seq 3000000000,').replace('seq 500, ack 101,', 'seq 500, ack 3000000001,'),
    );
    assert.deepEqual(
      analyzeParsed(parseTrace(`${high.slice(0, 4).join('\n')}\n`)).diagnostics.map((d) => d.code),
      ['acked-unseen'],
    );
    const lateHigh = parseTrace(`${high.join('\n')}\n`);
    assert.ok(!analyzeParsed(lateHigh).diagnostics.some((d) => d.code === 'acked-unseen'));
    assertCounts(lateHigh, 'late data past 2^31');

    const text = fs.readFileSync(
      path.join(fixturesDir, 'captures', 'loss-sack', 'tcpdump-n.tcptrace'),
      'utf8',
    );
    const codes = [...new Set(analyzeParsed(parseTrace(text)).diagnostics.map((d) => d.code))];
    assert.ok(codes.length >= 2, codes.join(','));
    for (const code of codes)
      assertCounts(parseTrace(`${text}# tcptrace-disable ${code}\n`), `disable ${code}`);
  });
});
