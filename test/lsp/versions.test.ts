// Document versions over the protocol: edits analysed incrementally publish
// what a fresh open of the edited text publishes; a request made for a version
// that a newer one replaces fails with ContentModified; a cancelled request
// fails at once even while the analysis is under way; diagnostics of a
// superseded version are never published. The analysis is held at a known
// point by holding the answer to workspace/configuration (the harness'
// configurationGate), so the order of events is fixed, not timed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LSPErrorCodes, type Diagnostic, type InlayHint } from 'vscode-languageserver-protocol';
import { fixturesDir, repoRoot } from '../support/paths';
import { LspClient } from './harness';

const PING_PONG = fs.readFileSync(
  path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'),
  'utf8',
);

function capture(scenario: string, file: string): string {
  return fs.readFileSync(path.join(fixturesDir, 'captures', scenario, file), 'utf8');
}

/** Diagnostics with the document's URI left out (two documents are compared). */
function comparable(ds: readonly Diagnostic[], uri: string): unknown {
  return JSON.parse(JSON.stringify(ds).replaceAll(JSON.stringify(uri).slice(1, -1), '<doc>'));
}

/** An in-place edit: the first digit after `field ` on `line` becomes `digit`. */
function digitEdit(
  lines: string[],
  line: number,
  field: string,
  digit: string,
): {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
} {
  const at = lines[line]!.indexOf(`${field} `);
  assert.ok(at >= 0, `no '${field} ' on line ${line}: ${lines[line]}`);
  const character = at + field.length + 1;
  lines[line] = lines[line]!.slice(0, character) + digit + lines[line]!.slice(character + 1);
  return { range: { start: { line, character }, end: { line, character: character + 1 } }, text: digit };
}

function errorCode(promise: Promise<unknown>): Promise<number | 'answered'> {
  return promise.then(
    () => 'answered',
    (e: { code?: number }) => e.code ?? -1,
  );
}

describe('document versions', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const [scenario, file] of [
    ['loss-sack', 'tcpdump-n.tcptrace'],
    ['interleaved', 'tcpdump-n.tcptrace'],
    ['reordering', 'tcpdump-n-tttt-v.tcptrace'],
  ] as const) {
    test(`edits of ${scenario}/${file} publish what a fresh open of the edited text publishes`, async () => {
      const text = capture(scenario, file);
      const lines = text.split('\n');
      const uri = await client.open(text);
      await client.diagnostics(uri, 1);
      // Window and ack digits on lines spread over the file (ack changes the analysis' verdicts).
      const targets = lines
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => / win \d/.test(l))
        .filter((_, k, all) => k % Math.max(1, Math.floor(all.length / 6)) === 0);
      let version = 1;
      for (const [k, { i }] of targets.entries()) {
        const field = k % 2 === 0 || !/ ack \d/.test(lines[i]!) ? 'win' : 'ack';
        version++;
        await client.change(uri, version, [digitEdit(lines, i, field, String((k * 3) % 10))]);
        const edited = await client.diagnostics(uri, version);
        const fresh = await client.open(lines.join('\n'));
        const expected = await client.diagnostics(fresh, 1);
        assert.deepStrictEqual(comparable(edited, uri), comparable(expected, fresh), `after edit ${k}`);
        const range = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
        const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
          textDocument: { uri },
          range,
        });
        const freshHints = await client.request<InlayHint[]>('textDocument/inlayHint', {
          textDocument: { uri: fresh },
          range,
        });
        assert.deepStrictEqual(hints, freshHints);
        await client.close(fresh);
      }
    });
  }

  test('a finding kept across an edit follows the new text of its lines (hex dump line edited)', async () => {
    const lines = capture('loss-sack', 'tcpdump-n-X.tcptrace').split('\n');
    const uri = await client.open(lines.join('\n'));
    const before = await client.diagnostics(uri, 1);
    const multiLine = before.find((d) => d.range.end.line > d.range.start.line);
    assert.ok(multiLine, 'a finding on a packet with its hex dump');
    const end = multiLine.range.end;
    await client.change(uri, 2, [{ range: { start: end, end }, text: ' ..' }]);
    const after = await client.diagnostics(uri, 2);
    const moved = after.find(
      (d) => d.code === multiLine.code && d.range.start.line === multiLine.range.start.line,
    );
    assert.deepStrictEqual(moved?.range.end, { line: end.line, character: end.character + 3 });
  });

  test('a request made before an edit fails with ContentModified once the edit arrives', async () => {
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    try {
      const uri = await client.open(PING_PONG);
      const hover = errorCode(
        client.request('textDocument/hover', {
          textDocument: { uri },
          position: { line: 3, character: 10 },
        }),
      );
      await client.change(uri, 2, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' },
      ]);
      release();
      assert.equal(await hover, LSPErrorCodes.ContentModified);
      await client.diagnostics(uri, 2);
    } finally {
      release();
      client.configurationGate = undefined;
    }
  });

  test(
    'a cancelled request fails at once, while the analysis it waits for is still under way',
    { timeout: 20_000 },
    async () => {
      let release!: () => void;
      client.configurationGate = new Promise((resolve) => (release = resolve));
      try {
        const uri = await client.open(PING_PONG);
        const source = new CancellationTokenSource();
        const hover = errorCode(
          client.request(
            'textDocument/hover',
            { textDocument: { uri }, position: { line: 3, character: 10 } },
            source.token,
          ),
        );
        source.cancel();
        // Settled before the analysis could even start (it waits for the settings still held).
        assert.equal(await hover, LSPErrorCodes.RequestCancelled);
        release();
        await client.diagnostics(uri, 1);
      } finally {
        release();
        client.configurationGate = undefined;
      }
    },
  );

  // An edit's analysis is written into the previous version's arrays (analysis/incremental.ts):
  // a request still at work on the previous version must stop, not read the newer data as its own.
  for (const method of ['textDocument/semanticTokens/full', 'textDocument/documentSymbol']) {
    test(`${method} at work when a line break moves every later line: ContentModified, or its own version's answer`, async () => {
      const text = capture('interleaved', 'tcpdump-n.tcptrace').repeat(40);
      const lines = text.split('\n');
      const fresh = await client.open(text);
      await client.diagnostics(fresh, 1);
      const expected = await client.request(method, { textDocument: { uri: fresh } });
      await client.close(fresh);
      const uri = await client.open(text);
      await client.diagnostics(uri, 1);
      const answer = client.request(method, { textDocument: { uri } }).then(
        (r) => r,
        (e: { code?: number }) => e.code ?? -1,
      );
      const line = Math.floor(lines.length / 2);
      const end = { line, character: lines[line]!.length };
      await client.change(uri, 2, [{ range: { start: end, end }, text: '\n' }]);
      await client.diagnostics(uri, 2);
      const got = await answer;
      if (got !== LSPErrorCodes.ContentModified) assert.deepStrictEqual(got, expected);
    });
  }

  test('workspace symbols never read a version whose arrays a newer one took over', async () => {
    const text = capture('interleaved', 'tcpdump-n.tcptrace').repeat(4);
    const lines = text.split('\n');
    const a = await client.open(text);
    await client.diagnostics(a, 1);
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    try {
      // The request takes the first document's analysis, then waits for the second's
      // (held at its settings) while an edit of the first is analysed.
      const b = await client.open(capture('loss-sack', 'tcpdump-n.tcptrace'));
      const racing = client.request('workspace/symbol', { query: '' });
      const line = Math.floor(lines.length / 2);
      const end = { line, character: lines[line]!.length };
      await client.change(a, 2, [{ range: { start: end, end }, text: '\n' }]);
      await client.diagnostics(a, 2);
      release();
      const got = await racing;
      assert.deepStrictEqual(got, await client.request('workspace/symbol', { query: '' }));
      await client.close(b);
    } finally {
      release();
      client.configurationGate = undefined;
    }
    await client.close(a);
  });

  test('diagnostics of a superseded version are never published', async () => {
    let release!: () => void;
    client.configurationGate = new Promise((resolve) => (release = resolve));
    try {
      const lines = PING_PONG.split('\n');
      const line = lines.findIndex((l) => / win \d/.test(l));
      const uri = await client.open(PING_PONG);
      await client.change(uri, 2, [digitEdit(lines, line, 'win', '1')]);
      await client.change(uri, 3, [digitEdit(lines, line, 'win', '2')]);
      release();
      await client.diagnostics(uri, 3);
      const versions = client.publishHistory.filter((p) => p.uri === uri).map((p) => p.version);
      assert.deepStrictEqual(versions, [3]);
    } finally {
      release();
      client.configurationGate = undefined;
    }
  });
});
