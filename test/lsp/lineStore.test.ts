// The line store must give the same text as applying the edits to a string.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LineStore, type LineEdit } from '../../server/src/documents/lineStore';
import { splitText } from '../support/splitText';

function offsetAt(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let l = 0; l < Math.min(line, lines.length - 1); l++) offset += lines[l]!.length + 1;
  const last = lines[Math.min(line, lines.length - 1)]!;
  return offset + (line > lines.length - 1 ? last.length : Math.min(character, last.length));
}

function applyToString(text: string, edit: LineEdit): string {
  if (typeof edit.text !== 'string') throw new Error('string edits only');
  if (!edit.range) return edit.text;
  const a = offsetAt(text, edit.range.start.line, edit.range.start.character);
  const b = offsetAt(text, edit.range.end.line, edit.range.end.character);
  return text.slice(0, a) + edit.text + text.slice(b);
}

describe('LineStore', () => {
  test('one-character edit changes one line', () => {
    const store = new LineStore('a\nbc\nd');
    const change = store.apply({
      range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } },
      text: 'X',
    });
    assert.deepEqual(change, { first: 1, removed: 1, inserted: 1 });
    assert.equal(store.text(), 'a\nbXc\nd');
    assert.equal(store.length, 7);
  });

  test('inserting and deleting line breaks', () => {
    const store = new LineStore('one\ntwo\nthree');
    store.apply({ range: { start: { line: 0, character: 3 }, end: { line: 2, character: 0 } }, text: '\n' });
    assert.equal(store.text(), 'one\nthree');
    store.apply({
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      text: 'x\ny\n',
    });
    assert.deepEqual(
      [store.line(0), store.line(1), store.line(2), store.line(3)],
      ['one', 'x', 'y', 'three'],
    );
  });

  test('CRLF documents keep their characters', () => {
    const store = new LineStore('ab\r\ncd\r\n');
    assert.equal(store.lineCount, 3);
    assert.equal(store.line(1), 'cd');
  });

  test('snapshots do not see later edits', () => {
    const store = new LineStore('a\nb');
    const snap = store.snapshot();
    store.apply({ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 1 } }, text: 'z' });
    assert.deepEqual(snap.toArray(), ['a', 'b']);
    assert.equal(store.text(), 'z');
  });

  test('random edits agree with string edits', () => {
    const pos = fc.record({ line: fc.nat(6), character: fc.nat(8) });
    const edit = fc.record({
      range: fc
        .record({ start: pos, end: pos })
        .map(({ start, end }) =>
          start.line < end.line || (start.line === end.line && start.character <= end.character)
            ? { start, end }
            : { start: end, end: start },
        ),
      text: fc.stringMatching(/^[ab\n]{0,6}$/),
    });
    fc.assert(
      fc.property(fc.stringMatching(/^[xy\n]{0,20}$/), fc.array(edit, { maxLength: 8 }), (initial, edits) => {
        const store = new LineStore(initial);
        let expected = initial;
        for (const e of edits) {
          store.apply(e);
          expected = applyToString(expected, e);
          assert.equal(store.text(), expected);
          assert.equal(store.length, expected.length);
        }
      }),
    );
  });

  test('texts that arrive split into lines give the same lines as strings', () => {
    const text = fc.stringMatching(/^[ab\r\n]{0,8}$/);
    const range = fc.record({ line: fc.nat(4), character: fc.nat(4) }).map((p) => ({ start: p, end: p }));
    fc.assert(
      fc.property(text, fc.array(fc.record({ range, text }), { maxLength: 6 }), (initial, edits) => {
        const split = new LineStore(splitText(initial));
        const plain = new LineStore(initial);
        for (const e of edits) {
          split.apply({ range: e.range, text: splitText(e.text) });
          plain.apply(e);
          assert.deepEqual(split.snapshot().toArray(), plain.snapshot().toArray());
          assert.equal(split.length, plain.length);
        }
      }),
    );
  });
});
