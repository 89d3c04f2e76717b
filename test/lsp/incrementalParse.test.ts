// The incremental re-parse must give what a full parse of the edited text gives,
// and a one-character edit must re-read one line.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseTrace, type ParseResult } from '../../server/src/analysis';
import { DECIDE_AFTER } from '../../server/src/analysis/parse/normalize';
import {
  INITIAL_CONTEXT,
  nextContext,
  normalize,
  readLine,
  type LineRecord,
} from '../../server/src/analysis/parse';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineStore, type LineChange } from '../../server/src/documents/lineStore';
import { repoRoot } from '../support/paths';
import { plainSegments } from '../support/segments';

const PING_PONG = fs.readFileSync(
  path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'),
  'utf8',
);

/** What must agree: segments (kept without FieldSpans, see fields.ts) and findings. */
function comparable(p: ParseResult): unknown {
  return {
    format: p.format,
    lineCount: p.lineCount,
    segments: plainSegments(p.segments),
    diagnostics: p.diagnostics.map((d) => [d.code, d.line, d.endLine, d.message]),
    disabled: p.disabledCodes,
  };
}

/** The first digit of the window on `line` becomes `digit` (no reader context changes). */
function editWindowDigit(store: LineStore, line: number, digit: string): LineChange {
  const at = store.line(line).indexOf('win ') + 4;
  return store.apply({
    range: { start: { line, character: at }, end: { line, character: at + 1 } },
    text: digit,
  });
}

describe('incremental parse', () => {
  test('a one-character edit re-reads one line', () => {
    const store = new LineStore(PING_PONG);
    const parse = new IncrementalParse();
    parse.reset(store.snapshot());
    const change = editWindowDigit(store, 6, '7');
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
    const digit = editWindowDigit(store, 6, '7');
    parse.update(store.snapshot(), [digit]);
    assert.equal(parse.contextsSnapshot(), first, 'a window digit changes no reader context');
    // A blank line in place of the first packet: the reader learns the timestamp layout later.
    const packet = store
      .snapshot()
      .toArray()
      .findIndex((l) => / > /.test(l));
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

  test('records not kept after a full read are read again the same', () => {
    const lines = new LineStore(PING_PONG).snapshot().toArray();
    const records = generalRecords(lines);
    const parse = new IncrementalParse();
    parse.reset(lines);
    parse.result();
    // Asked in reverse order: each record depends only on its line and the context before it.
    for (let i = lines.length - 1; i >= 0; i--) assert.deepStrictEqual(parse.recordAt(i), records[i]);
    assert.equal(parse.recordAt(lines.length), undefined);
  });

  test('commit() keeps the records of the first lines only; the next line break reads again what it needs, the same', () => {
    /** The records an edit's analysis read, committed, then a line break after `line`. */
    function run(
      read: (parse: IncrementalParse, lineCount: number) => void,
      kept: (lineCount: number) => number,
    ): void {
      const store = new LineStore(PING_PONG);
      const parse = new IncrementalParse();
      parse.reset(store.snapshot());
      parse.result();
      const line = 6;
      const digit = editWindowDigit(store, line, '7');
      parse.update(store.snapshot(), [digit]);
      read(parse, store.lineCount);
      parse.commit();
      assert.equal(parse.keptRecords, kept(store.lineCount));
      const committed = generalRecords(store.snapshot().toArray());
      const end = store.line(line).length;
      const lineBreak = store.apply({
        range: { start: { line, character: end }, end: { line, character: end } },
        text: '\n',
      });
      parse.update(store.snapshot(), [lineBreak]);
      const window = parse.windowSinceCommit();
      assert.ok(window);
      // A kept record's own line numbers may be out of date (readers go by the index).
      const content = (r: LineRecord | undefined): unknown => r && { ...r, line: 0, endLine: 0 };
      assert.deepStrictEqual(
        window.oldRecords.map(content),
        committed.slice(window.oldStart, window.oldEnd).map(content),
      );
      const now = generalRecords(store.snapshot().toArray());
      for (let i = store.lineCount - 1; i >= 0; i--)
        assert.deepStrictEqual(content(parse.recordAt(i)), content(now[i]));
      assert.deepEqual(comparable(parse.result()), comparable(parseTrace(store.text(), { spans: false })));
    }
    // As an analysis does: the trace's first lines (the relative-numbering vote), then the
    // lines of a connection further on (its absolute numbers), in no particular order.
    const first = 4;
    run(
      (parse, n) => {
        for (let i = first - 1; i >= 0; i--) parse.recordAt(i);
        for (let i = n - 1; i > first + 1; i--) parse.recordAt(i);
        assert.equal(parse.keptRecords, n - 2);
      },
      () => first,
    );
    // Not from the first line: none stays.
    run(
      (parse, n) => {
        for (let i = n - 1; i > 0; i--) parse.recordAt(i);
      },
      () => 0,
    );
    // Every line (a trace without tcpdump packets is read whole): all stay.
    run(
      (parse, n) => {
        for (let i = 0; i < n; i++) parse.recordAt(i);
      },
      (n) => n,
    );
  });

  test('a big trace read in one pass gives what the general reader and the normalizer give', () => {
    // More packets than the normalizer holds before deciding the numbering: after that, the
    // fast reader fills two reused records in turn. Lines with application text and banners
    // go to the general reader in between.
    const packets = PING_PONG.split('\n').filter((l) => / > /.test(l));
    const lines: string[] = ['reading from file big.pcap, link-type EN10MB (Ethernet)'];
    for (let k = 0; lines.length < DECIDE_AFTER + 5000; k++) {
      const port = String(20000 + (k % 30000));
      for (const p of packets) lines.push(p.replaceAll('54498', port));
      if (k % 7 === 0) lines.push(packets[3]!.replaceAll('54498', port) + ': HTTP: GET / HTTP/1.1');
      if (k % 11 === 0) lines.push('');
    }
    const records = generalRecords(lines);
    const parse = new IncrementalParse();
    parse.reset(lines);
    const n = normalize(records);
    const expected: ParseResult = {
      format: n.format,
      lineCount: lines.length,
      segments: n.segments,
      diagnostics: n.diagnostics,
      disabledCodes: n.disabledCodes,
    };
    assert.deepStrictEqual(comparable(parse.result()), comparable(expected));
    let ctx = INITIAL_CONTEXT;
    const contexts = parse.contextsSnapshot();
    for (let i = 0; i < lines.length; i++) {
      ctx = nextContext(ctx, records[i]!);
      assert.equal(contexts.after(i), ctx);
    }
    // Records an edit asks for afterwards are read again, by the fast reader where it takes the line.
    for (let i = lines.length - 1; i >= 0; i -= 7) assert.deepStrictEqual(parse.recordAt(i), records[i]);
  });
});

/** Every line's record from the general reader, without FieldSpans, in order. */
function generalRecords(lines: readonly string[]): LineRecord[] {
  const records: LineRecord[] = [];
  let ctx = INITIAL_CONTEXT;
  for (let i = 0; i < lines.length; i++) {
    const r = readLine(lines[i]!, i, ctx, 0, lines[i]!.length, false);
    records.push(r);
    ctx = nextContext(ctx, r);
  }
  return records;
}
