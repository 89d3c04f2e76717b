// StreamAnalyzer (segments analysed as the parser makes them, then dropped) must
// give the connections, findings and vantage of analyzeParsed(perSegment: false)
// on every trace: the real captures in every rendering, the examples, the
// benchmark's generated traffic, and traces with late disable comments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';
import { withoutSegmentLists } from '../../support/streamed';
import {
  analyzeParsed,
  parseTrace,
  StreamAnalyzer,
  TraceParser,
  type AnalysisOptions,
  type ParseResult,
} from '../../../server/src/analysis';
import { parseCapture } from '../../../server/src/analysis/pcap';

/** Streams `parsed`'s segments into a StreamAnalyzer and checks the result against the whole analysis. */
function assertSameAsWhole(parsed: ParseResult, what: string, options: AnalysisOptions = {}): void {
  const whole = analyzeParsed(parsed, { ...options, perSegment: false });
  const analyzer = new StreamAnalyzer(options);
  for (const s of parsed.segments) analyzer.push(s);
  const streamed = analyzer.finish(parsed);
  assert.equal(streamed.segmentCount, parsed.segments.length, what);
  assert.deepEqual(streamed.connections, withoutSegmentLists(whole.connections), `${what}: connections`);
  assert.deepEqual(streamed.diagnostics, whole.diagnostics, `${what}: findings`);
  assert.equal(streamed.vantage, whole.vantage, `${what}: vantage`);
  assert.equal(streamed.format, whole.format, what);
  assert.equal(streamed.lineCount, whole.lineCount, what);
  assert.equal(streamed.perSegment.length, 0, what);
  assert.equal(streamed.replayWith, undefined, what);

  // Replay mode: analysed at once, again with the voted vantage point when the walk needed it.
  const run = (o: AnalysisOptions) => {
    const a = new StreamAnalyzer(o, 'replay');
    for (const s of parsed.segments) a.push(s);
    return a.finish(parsed);
  };
  const first = run(options);
  if (first.replayWith !== undefined) replays++;
  const replayed = first.replayWith === undefined ? first : run({ ...options, vantage: first.replayWith });
  assert.equal(replayed.replayWith, undefined, what);
  assert.deepEqual(
    replayed.connections,
    withoutSegmentLists(whole.connections),
    `${what}: connections (replay)`,
  );
  assert.deepEqual(replayed.diagnostics, whole.diagnostics, `${what}: findings (replay)`);
  assert.equal(replayed.vantage, whole.vantage, `${what}: vantage (replay)`);
}

/** How many traces needed the replay (the path must be exercised). */
let replays = 0;

/** The text through TraceParser in `pieceSize` pieces with onSegment feeding the analyser. */
function streamText(text: string, pieceSize: number, options: AnalysisOptions = {}) {
  const analyzer = new StreamAnalyzer(options);
  const parser = new TraceParser({ spans: false, onSegment: (s) => analyzer.push(s) });
  for (let i = 0; i < text.length; i += pieceSize) parser.push(text.slice(i, i + pieceSize));
  const facts = parser.finish();
  assert.deepEqual(facts.segments, [], 'onSegment: the parser keeps no segments');
  return analyzer.finish(facts);
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

describe('streaming analysis', () => {
  test('every fixture and example, text and capture: the same as the whole analysis', () => {
    let texts = 0;
    let captures = 0;
    for (const file of traceFiles()) {
      const what = path.relative(repoRoot, file);
      if (file.endsWith('.tcptrace') || file.endsWith('.txt')) {
        const text = fs.readFileSync(file, 'utf8');
        const parsed = parseTrace(text, { spans: false });
        assertSameAsWhole(parsed, what);
        assertSameAsWhole(parsed, `${what} (vantage client)`, { vantage: 'client' });
        const whole = analyzeParsed(parsed, { perSegment: false });
        const streamed = streamText(text, 977);
        assert.deepEqual(
          streamed.connections,
          withoutSegmentLists(whole.connections),
          `${what}: through the parser`,
        );
        assert.deepEqual(streamed.diagnostics, whole.diagnostics, `${what}: through the parser`);
        texts++;
      } else if (file.endsWith('.pcap') || file.endsWith('.pcapng')) {
        assertSameAsWhole(parseCapture(fs.readFileSync(file), { spans: false, timeZone: 'UTC' }), what);
        captures++;
      }
    }
    assert.ok(texts > 40, `${texts} text traces`);
    assert.ok(replays > 0, 'some captures were taken at a client or server');
    assert.ok(captures > 15, `${captures} captures`);
  });

  test("the benchmark's generated traffic (loss, reordering, resets, half-open SYNs)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-stream-'));
    try {
      for (const [seed, n] of [
        [1, 3000],
        [7, 40000],
      ]) {
        const out = path.join(dir, String(seed));
        const r = spawnSync(
          process.execPath,
          [path.join(repoRoot, 'bench', 'gen-trace.mjs'), '--seed', String(seed), String(n), out],
          { encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
        const text = fs.readFileSync(path.join(out, `trace-${n}.tcptrace`), 'utf8');
        const parsed = parseTrace(text, { spans: false });
        assert.equal(parsed.segments.length, n);
        assertSameAsWhole(parsed, `seed ${seed}, ${n} segments`);
        const whole = analyzeParsed(parsed, { perSegment: false });
        const streamed = streamText(text, 1 << 16, {});
        assert.deepEqual(
          streamed.connections,
          withoutSegmentLists(whole.connections),
          `seed ${seed}: through the parser`,
        );
        assert.deepEqual(streamed.diagnostics, whole.diagnostics, `seed ${seed}: through the parser`);
        assert.ok(whole.diagnostics.some((d) => d.code === 'retransmission'));
        assert.ok(whole.diagnostics.some((d) => d.code === 'connection-reset'));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a connection keeps only the segments its bookkeeping points at, dropped as soon as it moves on', () => {
    // One connection of 114 segments: 200 kB into a zero window, duplicate ACKs, probes, a FIN each way.
    const parsed = parseCapture(
      fs.readFileSync(path.join(fixturesDir, 'captures', 'zero-window', 'capture.pcap')),
      {
        spans: false,
        timeZone: 'UTC',
      },
    );
    assert.equal(parsed.segments.length, 114);
    const analyzer = new StreamAnalyzer({ vantage: 'middle' });
    let most = 0;
    for (const s of parsed.segments) {
      analyzer.push(s);
      most = Math.max(most, analyzer.keptCount);
    }
    // Its SYN (the first segment), SYN-ACK and two FINs: what its pointers may still name (isLive).
    // No other segment is kept past its walk (its latest segments' lines are in the bookkeeping).
    assert.ok(most <= 4, `at most ${most} kept`);
    const streamed = analyzer.finish(parsed);
    assert.ok(analyzer.keptCount <= 4, `${analyzer.keptCount} kept at the end`);
    assert.deepEqual(
      streamed.connections,
      withoutSegmentLists(analyzeParsed(parsed, { perSegment: false, vantage: 'middle' }).connections),
    );
  });

  test('a disable comment at the end applies to the findings streamed before it', () => {
    const text = fs.readFileSync(
      path.join(fixturesDir, 'captures', 'loss-sack', 'tcpdump-n.tcptrace'),
      'utf8',
    );
    const parsedPlain = parseTrace(text, { spans: false });
    const codes = [...new Set(analyzeParsed(parsedPlain).diagnostics.map((d) => d.code))];
    assert.ok(codes.length >= 2, codes.join(','));
    for (const code of codes) {
      const late = `${text}# tcptrace-disable ${code}\n`;
      const parsed = parseTrace(late, { spans: false });
      assertSameAsWhole(parsed, `disable ${code}`);
      const streamed = streamText(late, 4096);
      assert.ok(!streamed.diagnostics.some((d) => d.code === code), code);
    }
  });
});
