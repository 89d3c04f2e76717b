// The language server's use of the two phases: keep one record per line,
// re-read only edited lines, normalize again. The result must equal a full
// parse, and segments of unchanged lines are reused, not rebuilt.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import {
  INITIAL_CONTEXT,
  nextContext,
  normalize,
  parseTrace,
  readLine,
  type LineContext,
  type LineRecord,
} from '../../../server/src/analysis/parse';

function readAll(lines: readonly string[]): { records: LineRecord[]; contexts: LineContext[] } {
  const records: LineRecord[] = [];
  const contexts: LineContext[] = [];
  let ctx = INITIAL_CONTEXT;
  lines.forEach((line, i) => {
    const r = readLine(line, i, ctx);
    records.push(r);
    ctx = nextContext(ctx, r);
    contexts.push(ctx);
  });
  return { records, contexts };
}

const trace = fs
  .readFileSync(path.join(fixturesDir, 'captures', 'close-client', 'tcpdump-n-tttt-v.tcptrace'), 'utf8')
  .trimEnd()
  .split('\n');

describe('incremental re-parse', () => {
  test('a fixture trace has IPv4 -v two-line packets to edit', () => {
    assert.ok(trace.length >= 10);
    assert.ok(trace[1]?.startsWith('    '));
  });

  test('normalize twice gives the same segments, reusing the objects', () => {
    const { records } = readAll(trace);
    const a = normalize(records);
    const b = normalize(records);
    assert.deepEqual(b, a);
    assert.ok(a.segments.length > 0);
    a.segments.forEach((s, i) => assert.equal(b.segments[i], s, `segment ${i} reused`));
  });

  test('editing one line: re-read it, normalize = full parse; other segments reused', () => {
    const { records, contexts } = readAll(trace);
    const before = normalize(records);
    // Change the window of the second packet (its TCP line is line 3, index 3).
    const lines = trace.slice();
    const i = 3;
    lines[i] = (lines[i] as string).replace(/win \d+/, 'win 7');
    assert.notEqual(lines[i], trace[i]);
    const r = readLine(lines[i] as string, i, contexts[i - 1] ?? INITIAL_CONTEXT);
    assert.equal(
      nextContext(contexts[i - 1] ?? INITIAL_CONTEXT, r),
      contexts[i],
      'context unchanged: stop re-reading',
    );
    records[i] = r;
    const after = normalize(records);
    const full = parseTrace(lines.join('\n'));
    assert.deepEqual(after.segments, full.segments);
    assert.deepEqual(after.diagnostics, full.diagnostics);
    assert.equal(after.segments[1]?.win, 7);
    after.segments.forEach((s, k) => {
      if (k !== 1) assert.equal(s, before.segments[k], `segment ${k} reused`);
    });
  });

  test('contexts are interned: equal contexts are the same object', () => {
    const a = readAll(trace).contexts;
    const b = readAll(trace).contexts;
    a.forEach((c, k) => assert.equal(b[k], c));
  });
});
