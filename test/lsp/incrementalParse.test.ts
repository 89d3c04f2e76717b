// The incremental re-parse must give what a full parse of the edited text gives,
// and a one-character edit must re-read one line.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseTrace, type ParseResult } from '../../server/src/analysis';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineStore } from '../../server/src/documents/lineStore';
import { repoRoot } from '../support/paths';

const PING_PONG = fs.readFileSync(
  path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'),
  'utf8',
);

/** What must agree: segments (kept without FieldSpans, see fields.ts) and findings. */
function comparable(p: ParseResult): unknown {
  return {
    format: p.format,
    lineCount: p.lineCount,
    segments: p.segments,
    diagnostics: p.diagnostics.map((d) => [d.code, d.line, d.endLine, d.message]),
    disabled: p.disabledCodes,
  };
}

describe('incremental parse', () => {
  test('a one-character edit re-reads one line', () => {
    const store = new LineStore(PING_PONG);
    const parse = new IncrementalParse();
    parse.reset(store.snapshot());
    const line = 6;
    const at = store.line(line).indexOf('win ') + 4;
    const change = store.apply({
      range: { start: { line, character: at }, end: { line, character: at + 1 } },
      text: '7',
    });
    parse.update(store.snapshot(), [change]);
    assert.equal(parse.lastReadLines, 1);
    assert.deepEqual(comparable(parse.result()), comparable(parseTrace(store.text(), { spans: false })));
  });

  test('random edits agree with a full parse', () => {
    const lines = PING_PONG.split('\n');
    const edit = fc.record({
      line: fc.nat(lines.length - 1),
      character: fc.nat(200),
      length: fc.nat(12),
      text: fc.constantFrom(
        '',
        'x',
        '1',
        '\n',
        ' ',
        '# tcptrace-disable parse-error\n',
        lines[3]! + '\n',
        ':',
        ']',
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 5 }), (versions) => {
        const store = new LineStore(PING_PONG);
        const parse = new IncrementalParse();
        parse.reset(store.snapshot());
        for (const edits of versions) {
          const changes = edits.map((e) =>
            store.apply({
              range: {
                start: { line: e.line, character: e.character },
                end: { line: e.line, character: e.character + e.length },
              },
              text: e.text,
            }),
          );
          parse.update(store.snapshot(), changes);
          assert.deepEqual(
            comparable(parse.result()),
            comparable(parseTrace(store.text(), { spans: false })),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  test('the contexts copy is shared while no context changes, and fresh when one does', () => {
    const store = new LineStore(PING_PONG);
    const parse = new IncrementalParse();
    parse.reset(store.snapshot());
    const first = parse.contextsSnapshot();
    const line = 6;
    const at = store.line(line).indexOf('win ') + 4;
    const digit = store.apply({
      range: { start: { line, character: at }, end: { line, character: at + 1 } },
      text: '7',
    });
    parse.update(store.snapshot(), [digit]);
    assert.equal(parse.contextsSnapshot(), first, 'a window digit changes no reader context');
    // A blank line in place of the first packet: the reader learns the timestamp layout later.
    const packet = store.snapshot().findIndex((l) => / > /.test(l));
    const blank = store.apply({
      range: {
        start: { line: packet, character: 0 },
        end: { line: packet, character: store.line(packet).length },
      },
      text: '',
    });
    parse.update(store.snapshot(), [blank]);
    const now = parse.contextsSnapshot();
    assert.notEqual(now, first);
    const fresh = new IncrementalParse();
    fresh.reset(store.snapshot());
    assert.deepStrictEqual(now, fresh.contextsSnapshot());
  });
});
