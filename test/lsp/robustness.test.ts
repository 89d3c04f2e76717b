// Bad input never crashes the server: it keeps answering and publishes
// diagnostics for whatever it was given.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import { CAPABILITIES, LspClient } from './harness';

describe('server robustness', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  const inputs: [string, string][] = [
    ['empty file', ''],
    ['binary content', String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['a 1 MB line', `12:00:00.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, ${'x'.repeat(1 << 20)}`],
    ['only comments', '# tcptrace-disable retransmission\n# nothing else\n'],
    ['NUL bytes and lone surrogates', '\u0000\u0000\ud800\n\udfff 1 > 2: Flags ['],
  ];

  for (const [name, text] of inputs) {
    test(name, async () => {
      const uri = await client.open(text);
      const diagnostics = await client.diagnostics(uri);
      assert.ok(Array.isArray(diagnostics));
      const lines = text.split('\n').length;
      const range = { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } };
      const hints = await client.request<InlayHint[] | null>('textDocument/inlayHint', {
        textDocument: { uri },
        range,
      });
      assert.ok(hints === null || Array.isArray(hints));
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 0, character: 5 },
      });
      assert.ok(hover === null || typeof hover.contents === 'object');
      for (const method of [
        'textDocument/documentSymbol',
        'textDocument/codeLens',
        'textDocument/foldingRange',
      ]) {
        const result = await client.request<unknown>(method, { textDocument: { uri } });
        assert.ok(result === null || Array.isArray(result), method);
      }
      await client.close(uri);
      assert.ok(client.alive, `server died: ${client.stderr.join('')}`);
    });
  }

  test('requests on a document that is not open answer null', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: 'file:///nowhere.tcptrace' },
      position: { line: 0, character: 0 },
    });
    assert.equal(hover, null);
  });

  test('positions past the end of the document', async () => {
    const uri = await client.open('just one line');
    await client.diagnostics(uri);
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 99, character: 99 },
    });
    assert.equal(hover, null);
    const edit = {
      range: { start: { line: 50, character: 3 }, end: { line: 60, character: 0 } },
      text: 'tail',
    };
    await client.change(uri, 2, [edit]);
    await client.diagnostics(uri, 2);
    assert.ok(client.alive);
  });
});

describe('capabilities', () => {
  test('advertised only when the client supports them', async () => {
    const bare = await LspClient.start({});
    try {
      const { capabilities } = bare.initializeResult as { capabilities: Record<string, unknown> };
      assert.deepEqual(Object.keys(capabilities).sort(), ['textDocumentSync']);
    } finally {
      await bare.stop();
    }
  });

  test('a full client gets every feature, with incremental sync', async () => {
    const full = await LspClient.start(CAPABILITIES);
    try {
      const { capabilities } = full.initializeResult as { capabilities: Record<string, unknown> };
      assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
      for (const key of [
        'hoverProvider',
        'inlayHintProvider',
        'codeLensProvider',
        'documentSymbolProvider',
        'workspaceSymbolProvider',
        'definitionProvider',
        'referencesProvider',
        'documentHighlightProvider',
        'codeActionProvider',
        'foldingRangeProvider',
        'semanticTokensProvider',
      ]) {
        assert.ok(capabilities[key], key);
      }
    } finally {
      await full.stop();
    }
  });
});
