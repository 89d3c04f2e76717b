// The whole read of an opened document reads the lines where they lie in the
// message string (LineOrigin, wholeRead.ts) instead of joining them again: it
// must give what reading the same lines without their origin gives.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ParseResult } from '../../server/src/analysis';
import { parseMessage, takeText } from '../../server/src/documents/bigMessages';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineList } from '../../server/src/documents/lineList';
import type { SplitText } from '../../server/src/documents/lineStore';
import { captureTraces, capturesDir } from '../support/paths';

function opened(text: string): SplitText {
  const json = JSON.stringify({
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: { textDocument: { uri: 'file:///a', languageId: 'tcptrace', version: 1, text } },
  });
  const message = parseMessage(json, 1) as { params: { textDocument: { text: string } } };
  const split = takeText(message.params.textDocument.text);
  assert.notEqual(typeof split, 'string');
  return split as SplitText;
}

/** Everything the read makes: segments, findings and the context after each line. */
function readAll(lines: LineList): { result: ParseResult; contexts: unknown[] } {
  const parse = new IncrementalParse();
  parse.reset(lines);
  const contexts = parse.contextsSnapshot();
  return {
    result: parse.result(),
    contexts: Array.from({ length: lines.length }, (_, i) => contexts.after(i)),
  };
}

function assertSameRead(text: string): void {
  const split = opened(text);
  assert.ok(split.origin !== undefined);
  // The origin says where each line lies; lines with escapes lie nowhere.
  split.lines.forEach((line, i) => {
    const at = split.origin!.offsets[i]!;
    if (at >= 0) assert.equal(split.origin!.source.slice(at, at + line.length), line);
  });
  const fromSource = readAll(LineList.from(split.lines, split.origin));
  const joined = readAll(LineList.from(split.lines));
  assert.deepEqual(fromSource, joined);
}

describe('whole read from the message string', () => {
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
