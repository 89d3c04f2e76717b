// Every real capture rendering (test/fixtures/captures/<scenario>/*.tcptrace):
// the server answers every feature without failing, one inlay hint and a hover
// per segment, and the outline has as many connections (and, for tcpdump
// renderings, the hints as many segments) as tshark counted in the same
// capture (tshark-fields.tsv).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DocumentSymbol, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { parseTrace } from '../../server/src/analysis';
import { fixturesDir, repoRoot } from '../support/paths';
import { LspClient } from './harness';

const capturesDir = path.join(fixturesDir, 'captures');

interface TsharkCounts {
  readonly segments: number;
  readonly connections: number;
}

function tsharkCounts(dir: string): TsharkCounts | undefined {
  const file = path.join(dir, 'tshark-fields.tsv');
  if (!fs.existsSync(file)) return undefined;
  const [header, ...rows] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const stream = header!.split('\t').indexOf('tcp.stream');
  return { segments: rows.length, connections: new Set(rows.map((r) => r.split('\t')[stream])).size };
}

const scenarios = fs.existsSync(capturesDir)
  ? fs.readdirSync(capturesDir).filter((d) => fs.existsSync(path.join(capturesDir, d, 'tcpdump-n.tcptrace')))
  : [];

describe('real captures over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  test('fixtures are present', () => {
    assert.ok(scenarios.length >= 5, `only ${scenarios.length} scenarios under ${capturesDir}`);
  });

  const examplesDir = path.join(repoRoot, 'examples');
  const examples = fs.existsSync(examplesDir)
    ? fs.readdirSync(examplesDir).filter((f) => f.endsWith('.tcptrace'))
    : [];
  for (const example of examples) {
    test(`examples/${example}`, async () => {
      const text = fs.readFileSync(path.join(examplesDir, example), 'utf8');
      const uri = await client.open(text, `example-${example}`);
      await client.diagnostics(uri);
      const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
      });
      assert.equal(hints.length, parseTrace(text).segments.length, 'one inlay hint per segment');
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
        textDocument: { uri },
      });
      const lenses = await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lenses.length, 3 * symbols.length, 'three lenses per connection');
      await client.close(uri);
    });
  }

  for (const scenario of scenarios) {
    const dir = path.join(capturesDir, scenario);
    const flavours = fs.readdirSync(dir).filter((f) => f.endsWith('.tcptrace'));
    for (const flavour of flavours) {
      test(`${scenario}/${flavour}`, async () => {
        const text = fs.readFileSync(path.join(dir, flavour), 'utf8');
        const uri = await client.open(text, `${scenario}-${flavour}`);
        await client.diagnostics(uri);
        const lineCount = text.split('\n').length;
        const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } },
        });
        const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
          textDocument: { uri },
        });
        const counts = tsharkCounts(dir);
        assert.equal(hints.length, parseTrace(text).segments.length, 'one inlay hint per segment');
        if (counts) {
          // tshark's one-line summary names the application protocol instead of the ports on some
          // lines (`HTTP 107 HTTP/1.0 200 OK`): those segments cannot be read from that rendering.
          if (flavour.startsWith('tcpdump')) {
            assert.equal(hints.length, counts.segments, 'one inlay hint per segment tshark saw');
          }
          assert.equal(symbols.length, counts.connections, 'one outline entry per tshark tcp.stream');
        }
        for (const h of hints) {
          const hover = await client.request<Hover | null>('textDocument/hover', {
            textDocument: { uri },
            position: { line: h.position.line, character: 0 },
          });
          assert.ok(hover, `no hover on line ${h.position.line}`);
        }
        // The flag letters of the first SYN, wherever the flavour prints them (also the second line of -v).
        const synLine = text.split('\n').findIndex((l) => l.includes('Flags [S]'));
        if (synLine >= 0) {
          const column = text.split('\n')[synLine]!.indexOf('Flags [S]') + 7;
          const hover = await client.request<Hover | null>('textDocument/hover', {
            textDocument: { uri },
            position: { line: synLine, character: column },
          });
          const value =
            hover && typeof hover.contents === 'object' && 'value' in hover.contents
              ? hover.contents.value
              : '';
          assert.match(value, /\*\*SYN\*\* `S`/, `hover on the S of line ${synLine}`);
        }
        for (const method of [
          'textDocument/codeLens',
          'textDocument/foldingRange',
          'textDocument/semanticTokens/full',
        ]) {
          await client.request<unknown>(method, { textDocument: { uri } });
        }
        await client.close(uri);
      });
    }
  }
});
