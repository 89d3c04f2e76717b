// The lean reading of big document messages must give what JSON.parse gives:
// the same message, and the document text's lines as the line store splits them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseMessage, pendingTexts, takeText } from '../../server/src/documents/bigMessages';
import { splitLines, type DocumentText } from '../../server/src/documents/lineStore';

/** The text a handler gets, as lines and length. */
function linesAndLength(text: DocumentText): { lines: string[]; length: number } {
  return typeof text === 'string'
    ? { lines: splitLines(text), length: text.length }
    : { lines: text.lines.slice(0, text.lines.length), length: text.length };
}

function didOpen(text: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: { textDocument: { uri: 'file:///a.tcptrace', languageId: 'tcptrace', version: 1, text } },
  });
}

interface OpenParams {
  params: { textDocument: { uri: string; version: number; text: string } };
}

// Line ends of every kind, escapes JSON.stringify writes (quote, backslash, tab, control
// characters), non-ASCII characters and a surrogate pair.
const character = fc.constantFrom(
  'a',
  'b',
  ' ',
  '\n',
  '\r',
  '\r\n',
  '"',
  '\\',
  '\t',
  '\u0001',
  'é',
  '→',
  '😀',
);
const documentText = fc.array(character, { maxLength: 60 }).map((cs) => cs.join(''));

describe('big document messages', () => {
  test('didOpen: the text arrives split into the lines of the string', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const json = didOpen(text);
        const message = parseMessage(Buffer.from(json), 8) as OpenParams;
        const expected = JSON.parse(json) as OpenParams;
        const taken = takeText(message.params.textDocument.text);
        assert.equal(typeof taken === 'string', Buffer.byteLength(JSON.stringify(text)) < 8);
        assert.deepEqual(linesAndLength(taken), { lines: splitLines(text), length: text.length });
        assert.equal(message.params.textDocument.uri, expected.params.textDocument.uri);
        assert.equal(message.params.textDocument.version, 1);
        assert.equal(pendingTexts(), 0);
      }),
    );
  });

  test('escapes JSON.stringify does not write (\\u000a line ends, \\/) read the same', () => {
    const json = didOpen('x').replace('"text":"x"', '"text":"ab\\u000acd\\r\\u000Aef\\/g\\u0041\\rh"');
    const message = parseMessage(Buffer.from(json), 8) as OpenParams;
    const split = takeText(message.params.textDocument.text);
    const text = (JSON.parse(json) as OpenParams).params.textDocument.text;
    assert.deepEqual(linesAndLength(split), { lines: ['ab', 'cd', 'ef/gA', 'h'], length: text.length });
    assert.notEqual(typeof split, 'string');
  });

  test('didChange: every content change with a big text', () => {
    const json = JSON.stringify({
      jsonrpc: '2.0',
      method: 'textDocument/didChange',
      params: {
        textDocument: { uri: 'file:///a', version: 2 },
        contentChanges: [
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'short' },
          { text: 'a long text\nof two lines' },
          { text: 'another\r\nlong one' },
        ],
      },
    });
    const message = parseMessage(Buffer.from(json), 12) as { params: { contentChanges: { text: string }[] } };
    const texts = message.params.contentChanges.map((c) => linesAndLength(takeText(c.text)));
    assert.deepEqual(texts, [
      { lines: ['short'], length: 5 },
      { lines: ['a long text', 'of two lines'], length: 24 },
      { lines: ['another', 'long one'], length: 17 },
    ]);
    assert.equal(pendingTexts(), 0);
  });

  test('a big string anywhere else is read as JSON.parse reads it', () => {
    const json = JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      method: 'workspace/executeCommand',
      params: {
        command: 'x',
        arguments: ['a long argument\nwith a line break', { text: 'not a document text' }],
      },
    });
    assert.deepEqual(parseMessage(Buffer.from(json), 8), JSON.parse(json));
    assert.equal(pendingTexts(), 0);
  });

  test('malformed messages fail as JSON.parse fails', () => {
    for (const json of [didOpen('abc\ndef').slice(0, -10), didOpen('abc').replace('abc', 'a\\qc')]) {
      assert.throws(() => parseMessage(Buffer.from(json), 8), SyntaxError);
    }
  });
});
