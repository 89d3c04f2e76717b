// Documents of 64 KB and more arrive over stdio split into lines straight from
// the message (documents/bigMessages.ts): the server must see the same text as
// when the same document arrives in small pieces (read by JSON.parse).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Position } from 'vscode-languageserver-protocol';
import { BIG_STRING } from '../../server/src/documents/bigMessages';
import { fixturesDir } from '../support/paths';
import { LspClient } from './harness';

const captures = path.join(fixturesDir, 'captures', 'interleaved');
const renderings = ['tcpdump-n-X.tcptrace', 'tcpdump-n-tttt-v.tcptrace', 'tshark.tcptrace'];

/** A rendering repeated until the text is well above the size read the lean way. */
function bigText(file: string, lineEnd: string): string {
  const once = fs.readFileSync(path.join(captures, file), 'utf8').replace(/\n/g, lineEnd);
  return once.repeat(Math.ceil((BIG_STRING * 1.5) / once.length));
}

/** Where text appended to `text` starts. */
function endOf(text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

describe('big documents over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const file of renderings) {
    for (const [name, lineEnd] of [
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ] as const) {
      test(`${file}, ${name}: opened whole, as when it arrives in pieces`, async () => {
        const text = bigText(file, lineEnd);
        const whole = await client.open(text);
        // The same text in pieces of less than BIG_STRING, appended at the end one by one.
        const pieceLength = Math.floor(BIG_STRING / 4);
        const pieces = await client.open(text.slice(0, pieceLength));
        let sent = text.slice(0, pieceLength);
        let version = 1;
        for (let at = pieceLength; at < text.length; at += pieceLength) {
          const end = endOf(sent);
          const piece = text.slice(at, at + pieceLength);
          await client.change(pieces, ++version, [{ range: { start: end, end }, text: piece }]);
          sent += piece;
        }
        const [a, b] = [await client.status(whole), await client.status(pieces, version)];
        assert.ok(a.segments > 0);
        assert.deepEqual({ ...a, uri: '', version: 0 }, { ...b, uri: '', version: 0 });
        const shown = async (uri: string, v: number): Promise<string> =>
          JSON.stringify(await client.diagnostics(uri, v)).replaceAll(uri, 'the document');
        assert.equal(await shown(whole, 1), await shown(pieces, version));
        // A full-text change of the same size: split the same way.
        await client.change(whole, 2, [{ text: text + lineEnd + text }]);
        await client.change(pieces, ++version, [
          { range: { start: endOf(sent), end: endOf(sent) }, text: lineEnd + text },
        ]);
        const [c, d] = [await client.status(whole, 2), await client.status(pieces, version)];
        assert.equal(c.segments, 2 * a.segments);
        assert.deepEqual({ ...c, uri: '', version: 0 }, { ...d, uri: '', version: 0 });
      });
    }
  }
});
