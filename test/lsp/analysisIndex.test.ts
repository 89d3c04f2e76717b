// The look-ups of an analysed version search the segments and findings in place
// (documents/analysisIndex.ts): they must answer as tables made line by line
// from the analysis do, on every real capture's text renderings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeParsed, parseTrace, type AnalysisResult } from '../../server/src/analysis';
import { buildIndex } from '../../server/src/documents/analysisIndex';
import { capturesDir, captureTraces } from '../support/paths';

const traces = captureTraces();

/** For each line, the index of the segment covering it, or -1: the table the index replaces. */
function lineTable(result: AnalysisResult, lineCount: number): Int32Array {
  const table = new Int32Array(lineCount).fill(-1);
  for (const s of result.segments) {
    for (let l = s.line; l <= Math.min(Math.max(s.endLine, s.line), lineCount - 1); l++) table[l] = s.index;
  }
  return table;
}

describe('analysis index', () => {
  for (const trace of traces) {
    test(trace, () => {
      const text = fs.readFileSync(path.join(capturesDir, trace), 'utf8');
      const lineCount = text.split(/\r\n|\r|\n/).length;
      const result = analyzeParsed(parseTrace(text, { spans: false }));
      const index = buildIndex(result, lineCount);
      const table = lineTable(result, lineCount);
      assert.equal(index.lineCount, lineCount);
      for (let line = -2; line < lineCount + 2; line++) {
        assert.equal(index.segmentAt(line), table[line] ?? -1, `segment at line ${line}`);
        // The scans semantic tokens made over the table: the first covered line from here on,
        // the last covered line up to here.
        let first = result.segments.length;
        for (let l = Math.max(0, line); l < lineCount; l++) {
          if (table[l]! >= 0) {
            first = table[l]!;
            break;
          }
        }
        assert.equal(index.firstSegmentFrom(Math.max(0, line)), first, `first from ${line}`);
        let last = -1;
        for (let l = Math.min(line, lineCount - 1); l >= 0; l--) {
          if (table[l]! >= 0) {
            last = table[l]!;
            break;
          }
        }
        assert.equal(index.lastSegmentUpTo(Math.min(line, lineCount - 1)), last, `last up to ${line}`);
        assert.deepEqual(
          index.findingsOn(line),
          result.diagnostics.filter((f) => f.line === line),
        );
      }
      for (const c of result.connections) {
        assert.equal(index.connection(c.id), c);
        const overlaps = result.connections.some(
          (o) => o !== c && o.firstLine <= c.lastLine && c.firstLine <= o.lastLine,
        );
        assert.equal(index.interleaved(c.id), overlaps, `connection ${c.id} interleaves`);
      }
      assert.equal(index.connection(result.connections.length), undefined);
    });
  }

  test('some traces have interleaved connections and multi-line packets', () => {
    // What the comparisons above must cover to mean something.
    let interleaved = 0;
    let multiLine = 0;
    for (const trace of traces) {
      const result = analyzeParsed(parseTrace(fs.readFileSync(path.join(capturesDir, trace), 'utf8')));
      const index = buildIndex(result, result.lineCount);
      interleaved += result.connections.filter((c) => index.interleaved(c.id)).length;
      multiLine += result.segments.filter((s) => s.endLine > s.line).length;
    }
    assert.ok(interleaved > 0);
    assert.ok(multiLine > 0);
  });
});
