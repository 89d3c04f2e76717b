// The whole read of an opened document reads the lines where they lie in the
// message bytes (ByteLines, wholeRead.ts) instead of joining them again: it must
// give what reading the same lines as strings gives, also after edits that
// moved the lines read from the bytes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ParseResult } from '../../server/src/analysis';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineList } from '../../server/src/documents/lineList';
import { splitLines } from '../../server/src/documents/lineStore';
import { captureTraces, capturesDir } from '../support/paths';
import { plainSegments } from '../support/segments';
import { splitText } from '../support/splitText';

/** Everything the read makes: segments (by their properties), findings and the context after each line. */
function readAll(lines: LineList): { result: unknown; contexts: unknown[] } {
  const parse = new IncrementalParse();
  parse.reset(lines);
  const contexts = parse.contextsSnapshot();
  const result: ParseResult = parse.result();
  return {
    result: { ...result, segments: plainSegments(result.segments) },
    contexts: Array.from({ length: lines.length }, (_, i) => contexts.after(i)),
  };
}

function assertSameRead(text: string): void {
  const split = splitText(text);
  const lines = splitLines(text);
  assert.deepEqual(split.lines.slice(0, split.lines.length), lines);
  const fromBytes = LineList.fromBytes(split.lines);
  assert.deepEqual(readAll(fromBytes), readAll(LineList.from(lines)));
  // Lines added above and in the middle: the lines still read from the bytes are later ones.
  const middle = Math.floor(lines.length / 2);
  const edited = fromBytes.splice(middle, 1, ['# edited']).splice(0, 0, ['# added']);
  const expected = ['# added', ...lines];
  expected.splice(middle + 1, 1, '# edited');
  assert.deepEqual(edited.toArray(), expected);
  assert.deepEqual(readAll(edited), readAll(LineList.from(expected)));
}

describe('whole read from the message bytes', () => {
  test('every fixture rendering, with LF, CRLF and CR line ends and an escaped line in between', () => {
    for (const trace of captureTraces()) {
      const text = fs.readFileSync(path.join(capturesDir, trace), 'utf8');
      for (const lineEnd of ['\n', '\r\n', '\r']) {
        const lines = text.split('\n');
        // A comment with a quote, a tab and a non-ASCII character a third of the way down.
        lines.splice(Math.floor(lines.length / 3), 0, '# "quoted"\tcafé');
        assertSameRead(lines.join(lineEnd));
      }
    }
  });

  test('windows of the source broken by escaped and non-ASCII lines anywhere', () => {
    const trace = fs.readFileSync(path.join(capturesDir, 'interleaved', 'tcpdump-n.tcptrace'), 'utf8');
    const lines = trace.split('\n');
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(lines.length),
            fc.constantFrom('# "a"', '\tTAB', '# é', 'x\\y', '', lines[3]!.replace(' IP ', ' IP\t')),
          ),
          { maxLength: 12 },
        ),
        (inserts) => {
          const edited = lines.slice();
          for (const [at, line] of inserts) edited.splice(at, 0, line);
          assertSameRead(edited.join('\n'));
        },
      ),
      { numRuns: 40 },
    );
  });
});
