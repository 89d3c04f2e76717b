// Per-segment analyses made on demand (analysis/segmentAnalyses.ts), as the
// language server makes them for the lines a request reads: on every real
// capture rendering, each one made equals the whole walk's, whole 4-tuples are
// made at a time, and once every one is made the result equals the full analysis.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import {
  analyzeParsed,
  parseTrace,
  type AnalysisResult,
  type SegmentAnalysis,
} from '../../../server/src/analysis';
import { pairKeyOf } from '../../../server/src/analysis/incrementalSegments';
import {
  allMissingConnections,
  fillInSteps,
  missingConnections,
  missingConnectionsFrom,
  withoutSegmentAnalyses,
} from '../../../server/src/analysis/segmentAnalyses';

function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** The state sentences, which are getters (deepStrictEqual does not read them). */
function reasons(r: AnalysisResult, i: number): string {
  const a = r.perSegment[i]!;
  return `${a.sender.reason} | ${a.receiver.reason}`;
}

const captures = path.join(fixturesDir, 'captures');
const files = fs
  .readdirSync(captures)
  .sort()
  .flatMap((scenario) =>
    fs
      .readdirSync(path.join(captures, scenario))
      .filter((f) => f.endsWith('.tcptrace'))
      .sort()
      .map((f) => path.join(scenario, f)),
  );

describe('per-segment analyses made on demand', () => {
  test('every real capture rendering: made a few segments at a time, they equal the full analysis', () => {
    let made = 0;
    for (const file of files) {
      const parsed = parseTrace(fs.readFileSync(path.join(captures, file), 'utf8'));
      const full = analyzeParsed(parsed);
      const lean = withoutSegmentAnalyses(analyzeParsed(parsed, { perSegment: false }));
      const n = lean.segments.length;
      assert.equal(lean.perSegment.length, n, file);
      assert.ok(
        lean.perSegment.every((a) => a === undefined),
        file,
      );
      // Segments asked for in an order that is not the trace's, a few at a time.
      for (let start = (n * 5) >> 3; start < n + (n >> 1); start += 3) {
        const asked = [start % n, (start + 1) % n];
        const conns = missingConnections(lean, asked);
        const before = lean.perSegment.slice();
        // A small step size: the walk must survive being driven in many steps.
        assert.ok(runSteps(fillInSteps(lean, parsed.disabledCodes, conns, 2)), file);
        for (const i of asked) assert.ok(lean.perSegment[i] !== undefined, `${file}: segment ${i}`);
        const keys = new Set(conns.map((c) => pairKeyOf(c.client, c.server)));
        for (let i = 0; i < n; i++) {
          const a: SegmentAnalysis | undefined = lean.perSegment[i];
          if (before[i] !== undefined) {
            assert.equal(a, before[i], `${file}: segment ${i} made once`);
            continue;
          }
          const s = lean.segments[i]!;
          // Whole 4-tuples, nothing else.
          assert.equal(a !== undefined, keys.has(pairKeyOf(s.src, s.dst)), `${file}: segment ${i}`);
          if (a === undefined) continue;
          assert.deepStrictEqual(a, full.perSegment[i], `${file}: segment ${i}`);
          assert.equal(reasons(lean, i), reasons(full, i), `${file}: segment ${i}`);
          made++;
        }
      }
      assert.ok(runSteps(fillInSteps(lean, parsed.disabledCodes, allMissingConnections(lean), 5)), file);
      assert.deepStrictEqual(lean, full, file);
      assert.equal(allMissingConnections(lean).length, 0, file);
    }
    assert.ok(files.length > 20, `${files.length} files`);
    assert.ok(made > 1000, `${made} analyses made`);
  });

  test('long connections first: only the 4-tuples with a connection of at least that many segments', () => {
    let checked = 0;
    for (const file of files) {
      const parsed = parseTrace(fs.readFileSync(path.join(captures, file), 'utf8'));
      const lean = withoutSegmentAnalyses(analyzeParsed(parsed, { perSegment: false }));
      if (lean.connections.length < 2) continue;
      const longest = Math.max(...lean.connections.map((c) => c.segments.length));
      const { conns, next } = missingConnectionsFrom(lean, 0, Number.POSITIVE_INFINITY, longest);
      assert.equal(next, lean.connections.length, file);
      const keys = new Set(
        lean.connections
          .filter((c) => c.segments.length >= longest)
          .map((c) => pairKeyOf(c.client, c.server)),
      );
      // Every incarnation on those 4-tuples, whatever its length, and nothing else.
      assert.deepEqual(
        conns.map((c) => c.id),
        lean.connections.filter((c) => keys.has(pairKeyOf(c.client, c.server))).map((c) => c.id),
        file,
      );
      assert.ok(runSteps(fillInSteps(lean, parsed.disabledCodes, conns)), file);
      assert.equal(missingConnectionsFrom(lean, 0, Number.POSITIVE_INFINITY, longest).conns.length, 0, file);
      checked++;
    }
    assert.ok(checked > 10, `${checked} files`);
  });

  test('codes the trace disables are left out of the analyses made, as in the whole walk', () => {
    const file = path.join(captures, 'zero-window', 'tcpdump-n.tcptrace');
    const text = `# tcptrace-disable window-full,zero-window\n${fs.readFileSync(file, 'utf8')}`;
    const parsed = parseTrace(text);
    assert.deepEqual(parsed.disabledCodes, ['window-full', 'zero-window']);
    const full = analyzeParsed(parsed);
    const lean = withoutSegmentAnalyses(analyzeParsed(parsed, { perSegment: false }));
    assert.ok(runSteps(fillInSteps(lean, parsed.disabledCodes, allMissingConnections(lean))));
    assert.deepStrictEqual(lean, full);
    const plain = analyzeParsed(parseTrace(fs.readFileSync(file, 'utf8')));
    assert.ok(
      plain.perSegment.some((a) => a.analysis.includes('window-full')),
      'the capture has some',
    );
  });
});
