// Every language feature over stdio, data driven: trace text (with a `$0`
// cursor where the feature needs one) in, a compact dump of the answer out.
// The trace is a real loopback capture (test/e2e/workspace/ping-pong.tcptrace).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  SemanticTokens,
  SymbolInformation,
} from 'vscode-languageserver-protocol';
import { repoRoot } from '../support/paths';
import { LspClient, withCursor } from './harness';

const PING_PONG = fs.readFileSync(
  path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'),
  'utf8',
);
const LINES = PING_PONG.split('\n');
/** 0-based line of the n-th packet (1-based) of ping-pong: two comment lines come first. */
const packet = (n: number): number => n + 1;

/** Inserts the cursor marker into `text` at `line`, before the first occurrence of `before`. */
function mark(text: string, line: number, before: string): string {
  const lines = text.split('\n');
  const at = lines[line]!.indexOf(before);
  assert.ok(at >= 0, `'${before}' not on line ${line}`);
  lines[line] = lines[line]!.slice(0, at) + '$0' + lines[line]!.slice(at);
  return lines.join('\n');
}

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  return typeof c === 'object' && 'value' in c ? c.value : JSON.stringify(c);
}

function labelOf(h: InlayHint): string {
  return typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
}

describe('language features over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function openAt(marked: string): Promise<{ uri: string; line: number; character: number }> {
    const { text, position } = withCursor(marked);
    const uri = await client.open(text);
    await client.diagnostics(uri);
    return { uri, ...position };
  }

  async function inlayDump(text: string): Promise<string[]> {
    const uri = await client.open(text);
    await client.diagnostics(uri);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
    });
    return hints.map((h) => `${h.position.line}: ${labelOf(h)}`);
  }

  describe('inlay hints', () => {
    test('states of both endpoints on every segment line, at the line end', async () => {
      const uri = await client.open(PING_PONG);
      await client.diagnostics(uri);
      const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: LINES.length, character: 0 } },
      });
      assert.equal(hints.length, 10);
      for (const h of hints) assert.equal(h.position.character, LINES[h.position.line]!.length);
      const dump = hints.map((h) => `${h.position.line}: ${labelOf(h)}`);
      assert.match(dump[0]!, /^2: SYN_SENT → /);
      assert.match(dump[1]!, /^3: SYN_RECV → ESTABLISHED/);
      assert.match(dump[2]!, /^4: ESTABLISHED → ESTABLISHED/);
      // Packet 8: the server closes first.
      assert.match(dump[7]!, /^9: FIN_WAIT_1 → CLOSE_WAIT/);
      // Packet 9: the client's FIN acknowledges the server's: LAST-ACK, and the server goes to TIME-WAIT.
      assert.match(dump[8]!, /^10: LAST_ACK → TIME_WAIT/);
      assert.match(dump[9]!, /^11: TIME_WAIT → CLOSED/);
    });

    test('only the requested range', async () => {
      const uri = await client.open(PING_PONG);
      await client.diagnostics(uri);
      const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: packet(4), character: 0 }, end: { line: packet(5), character: 0 } },
      });
      assert.deepEqual(
        hints.map((h) => h.position.line),
        [packet(4), packet(5)],
      );
    });

    test('settings: sender only, compact, off', async () => {
      client.settings = { inlayHints: { states: 'sender' } };
      await client.configurationChanged();
      assert.match((await inlayDump(PING_PONG))[1]!, /^3: SYN_RECV$/);
      client.settings = { inlayHints: { compact: true } };
      await client.configurationChanged();
      assert.match((await inlayDump(PING_PONG))[1]!, /^3: SR → EST/);
      client.settings = { inlayHints: { states: 'off' } };
      await client.configurationChanged();
      assert.deepEqual(await inlayDump(PING_PONG), []);
      client.settings = {};
      await client.configurationChanged();
    });

    test('connection names where connections interleave', async () => {
      // Two real connections of ping-pong's shape, the second shifted to other ports, lines interleaved.
      const a = LINES.slice(2, 12);
      const b = a.map((l) => l.replaceAll('54498', '54500').replaceAll('47123', '47125'));
      const mixed = a.flatMap((l, i) => [l, b[i]!]).join('\n');
      const dump = await inlayDump(mixed);
      assert.match(dump[0]!, /^0: #1 SYN_SENT/);
      assert.match(dump[1]!, /^1: #2 SYN_SENT/);
    });
  });

  describe('hover', () => {
    const cases: [string, string, number, string, RegExp[]][] = [
      [
        'SYN: role, state explanation, RFC name and section',
        PING_PONG,
        packet(1),
        '08:13',
        [/SYN-SENT/, /RFC 9293 §3/, /Why:/],
      ],
      [
        'SYN-ACK: relative and absolute numbers',
        PING_PONG,
        packet(2),
        '08:13',
        [/\| seq \| 0 \| 2941440719 \|/, /\| ack \| 1 \| 501287961 \|/],
      ],
      [
        'data: time since the first segment, window scaling',
        PING_PONG,
        packet(4),
        '08:13',
        [/since the connection's first segment/, /window 64 × 2\^10 = 65536 bytes/],
      ],
      [
        'pure ACK without a printed seq: absolute from the server ISN',
        PING_PONG,
        packet(5),
        '08:13',
        [/\| seq \| 1 \| 2941440720 \|/, /\| ack \| 6 \| 501287966 \|/],
      ],
      ['flag letter', PING_PONG, packet(1), 'S]', [/\*\*SYN\*\* `S`/, /synchronize/]],
      ['source port', PING_PONG, packet(1), '54498 >', [/Source port.*54498.*client/]],
      ['options: MSS and window scale', PING_PONG, packet(1), 'mss', [/MSS 65495 bytes/, /window scale 10/]],
    ];
    for (const [name, text, line, before, expected] of cases) {
      test(name, async () => {
        const at = await openAt(mark(text, line, before));
        const hover = await client.request<Hover | null>('textDocument/hover', {
          textDocument: { uri: at.uri },
          position: { line: at.line, character: at.character },
        });
        const value = hoverText(hover);
        for (const re of expected) assert.match(value, re);
      });
    }

    test('a blank line has no hover', async () => {
      const at = await openAt(`$0\n${PING_PONG}`);
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: at.uri },
        position: { line: at.line, character: at.character },
      });
      assert.equal(hover, null);
    });
  });

  describe('diagnostics', () => {
    test('an unreadable packet line: code, severity, link to the docs', async () => {
      const uri = await client.open(
        `${PING_PONG}\n08:13:18.485100 IP 127.0.0.1.54498 > 127.0.0.1: Flags [.], ack banana\n`,
      );
      const ds: Diagnostic[] = await client.diagnostics(uri);
      const parse = ds.find((d) => d.code === 'parse-error');
      assert.ok(parse, JSON.stringify(ds));
      assert.equal(parse.range.start.line, LINES.length);
      assert.equal(parse.source, 'tcptrace');
      assert.match(parse.codeDescription?.href ?? '', /docs\/diagnostics\.md#parse-error$/);
    });

    test('hover on a diagnostic: the rule and a link to its documentation', async () => {
      const broken = PING_PONG.replace('ack 6, win 64', 'ack x, win 64');
      const line = broken.split('\n').findIndex((l) => l.includes('ack x'));
      const at = await openAt(mark(broken, line, 'x, win'));
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: at.uri },
        position: { line: at.line, character: at.character },
      });
      const value = hoverText(hover);
      assert.match(value, /\*\*parse-error\*\* \(error\) — ack/);
      assert.match(
        value,
        /\[About parse-error\]\(https:\/\/github\.com\/.*docs\/diagnostics\.md#parse-error\)/,
      );
    });

    test('the analysis-notes switch hides information and hint findings (real loss capture)', async () => {
      const loss = fs.readFileSync(
        path.join(repoRoot, 'test', 'fixtures', 'captures', 'loss-sack', 'tcpdump-n.tcptrace'),
        'utf8',
      );
      const codes = async (): Promise<string[]> => {
        const uri = await client.open(loss);
        return [
          ...new Set((await client.diagnostics(uri)).map((d) => `${String(d.code)}:${d.severity}`)),
        ].sort();
      };
      const all = await codes();
      // The analysis reports retransmissions and window updates as notes (information / hint).
      assert.deepEqual(all, ['retransmission:3', 'window-update:4']);
      client.settings = { diagnostics: { analysisNotes: false } };
      await client.configurationChanged();
      assert.deepEqual(await codes(), []);
      // A code with its own severity is shown with it, notes switch or not.
      client.settings = { diagnostics: { analysisNotes: false, severity: { retransmission: 'warning' } } };
      await client.configurationChanged();
      assert.deepEqual(await codes(), ['retransmission:2']);
      client.settings = {};
      await client.configurationChanged();
    });

    test('per-code severity "off" hides a code', async () => {
      client.settings = { diagnostics: { severity: { 'parse-error': 'off' } } };
      await client.configurationChanged();
      const uri = await client.open(
        '08:13:18.485100 IP 127.0.0.1.54498 > 127.0.0.1: Flags [.], ack banana\n',
      );
      assert.deepEqual(await client.diagnostics(uri), []);
      client.settings = {};
      await client.configurationChanged();
    });

    test('a clean capture has no warnings or errors; the status counts the connection', async () => {
      const uri = await client.open(PING_PONG);
      const ds = await client.diagnostics(uri);
      assert.deepEqual(
        ds.filter((d) => d.severity !== undefined && d.severity <= 2),
        [],
      );
      const status = await client.status(uri);
      assert.equal(status.connections, 1);
      assert.equal(status.segments, 10);
      assert.equal(status.errors, 0);
    });

    test('an edit updates the diagnostics of the new version', async () => {
      const uri = await client.open(PING_PONG);
      assert.equal((await client.diagnostics(uri, 1)).filter((d) => d.code === 'parse-error').length, 0);
      // One character: the ack number of packet 5 becomes a letter.
      const line = packet(5);
      const at = LINES[line]!.indexOf('ack 6') + 4;
      await client.change(uri, 2, [
        { range: { start: { line, character: at }, end: { line, character: at + 1 } }, text: 'x' },
      ]);
      const ds = await client.diagnostics(uri, 2);
      assert.ok(
        ds.some((d) => d.code === 'parse-error' && d.range.start.line === line),
        JSON.stringify(ds),
      );
    });
  });

  describe('code lenses, symbols, navigation, folding, tokens', () => {
    test('code lens: summary, Show diagram, Select connection', async () => {
      const uri = await client.open(PING_PONG);
      await client.diagnostics(uri);
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(
        lenses.map((l) => [
          l.range.start.line,
          l.command?.title.replace(/handshake [\d.]+ ms/, 'handshake N ms'),
          l.command?.command,
        ]),
        [
          [packet(1), '127.0.0.1:54498 ⇄ 127.0.0.1:47123 · SF · 10 segments · handshake N ms', ''],
          [packet(1), 'Show diagram', 'tcptrace.showDiagram'],
          [packet(1), 'Select connection', 'tcptrace.selectConnection'],
        ],
      );
      assert.deepEqual(lenses[1]!.command?.arguments, [uri, 0]);
    });

    test('document symbols: connection → phases → segments', async () => {
      const uri = await client.open(PING_PONG);
      await client.diagnostics(uri);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
        textDocument: { uri },
      });
      const dump = symbols.map((c) => ({
        phases: (c.children ?? []).map(
          (p) => `${p.name}: ${(p.children ?? []).map((s) => s.range.start.line).join(',')}`,
        ),
      }));
      assert.deepEqual(dump, [
        { phases: ['Handshake: 2,3,4', 'Data transfer: 5,6,7,8', 'Teardown: 9,10,11'] },
      ]);
      assert.match(symbols[0]!.name, /^#1 127\.0\.0\.1:54498 → 127\.0\.0\.1:47123/);
    });

    test('workspace symbols find connections by address', async () => {
      const uri = await client.open(PING_PONG, 'workspace-symbols.tcptrace');
      await client.diagnostics(uri);
      const found = await client.request<SymbolInformation[]>('workspace/symbol', { query: '54498' });
      assert.ok(found.some((s) => s.location.uri === uri && s.location.range.start.line === packet(1)));
    });

    const definitions: [string, number, string, number][] = [
      ['ACK of the SYN-ACK → the SYN-ACK', packet(3), 'ack 1', packet(2)],
      ['ACK of the ping → the ping', packet(5), 'ack 6', packet(4)],
      ['ACK of the server FIN → the FIN', packet(9), 'ack 7', packet(8)],
    ];
    for (const [name, line, before, target] of definitions) {
      test(`definition: ${name}`, async () => {
        const at = await openAt(mark(PING_PONG, line, before));
        const loc = await client.request<Location | null>('textDocument/definition', {
          textDocument: { uri: at.uri },
          position: { line: at.line, character: at.character + 1 },
        });
        assert.equal(loc?.range.start.line, target);
      });
    }

    test('references: all segments of the connection', async () => {
      const at = await openAt(mark(PING_PONG, packet(5), 'Flags'));
      const refs = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: at.uri },
        position: { line: at.line, character: at.character },
        context: { includeDeclaration: true },
      });
      assert.deepEqual(
        refs.map((r) => r.range.start.line),
        [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      );
    });

    test('document highlight: the connection of the segment at the cursor', async () => {
      const a = LINES.slice(2, 12);
      const b = a.map((l) => l.replaceAll('54498', '54500').replaceAll('47123', '47125'));
      const mixed = a.flatMap((l, i) => [l, b[i]!]).join('\n');
      const uri = await client.open(mixed);
      await client.diagnostics(uri);
      const highlights = await client.request<{ range: { start: { line: number } } }[]>(
        'textDocument/documentHighlight',
        { textDocument: { uri }, position: { line: 3, character: 0 } },
      );
      assert.deepEqual(
        highlights.map((h) => h.range.start.line),
        [1, 3, 5, 7, 9, 11, 13, 15, 17, 19],
      );
    });

    test('folding: runs of one connection when several interleave', async () => {
      const a = LINES.slice(2, 12);
      const b = a.map((l) => l.replaceAll('54498', '54500').replaceAll('47123', '47125'));
      const text = [...a.slice(0, 5), ...b, ...a.slice(5)].join('\n');
      const uri = await client.open(text);
      await client.diagnostics(uri);
      const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', {
        textDocument: { uri },
      });
      assert.deepEqual(
        ranges.map((r) => `${r.startLine}-${r.endLine}`),
        ['0-4', '5-14', '15-19'],
      );
    });

    test('semantic tokens colour the endpoints by connection', async () => {
      const uri = await client.open(PING_PONG);
      await client.diagnostics(uri);
      const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', {
        textDocument: { uri },
      });
      // Four endpoint fields per segment line (source host and port, destination host and port), type 0 (#1).
      assert.equal(tokens.data.length, 10 * 4 * 5);
      for (let i = 3; i < tokens.data.length; i += 5) assert.equal(tokens.data[i], 0);
    });

    test('code action: disable a code for this file', async () => {
      const text = `${PING_PONG}\n08:13:18.485100 IP 127.0.0.1.54498 > 127.0.0.1: Flags [.], ack banana\n`;
      const uri = await client.open(text);
      const ds = await client.diagnostics(uri);
      const parse = ds.filter((d) => d.code === 'parse-error');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: parse[0]!.range,
        context: { diagnostics: parse },
      });
      const disable = actions.find((a) => a.title === 'Disable parse-error for this file');
      assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
      assert.deepEqual(disable.edit?.changes?.[uri], [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: '# tcptrace-disable parse-error\n',
        },
      ]);
    });

    test('handshake-bad-ack: related SYN, quick fix to ISN+1, and the disable comment silences it', async () => {
      // ping-pong with the SYN-ACK's ack changed from ISN+1 (501287961) to 501287999.
      const text = PING_PONG.replace('ack 501287961', 'ack 501287999');
      const uri = await client.open(text);
      const bad = (await client.diagnostics(uri)).filter((d) => d.code === 'handshake-bad-ack');
      assert.deepEqual(
        bad.map((d) => [
          d.range.start.line,
          d.severity,
          d.relatedInformation?.map((r) => r.location.range.start.line),
        ]),
        [[packet(2), 1, [packet(1)]]],
      );
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: bad[0]!.range,
        context: { diagnostics: bad },
      });
      const fix = actions.find((a) => a.title === 'Set ack to ISN+1 (501287961)');
      assert.ok(fix?.isPreferred, JSON.stringify(actions.map((a) => a.title)));
      const edit = fix.edit!.changes![uri]![0]!;
      const line = LINES[packet(2)]!;
      assert.equal(edit.range.start.line, packet(2));
      assert.equal(
        text.split('\n')[packet(2)]!.slice(edit.range.start.character, edit.range.end.character),
        '501287999',
      );
      // Applying the fix gives back the real capture's line and no finding.
      await client.change(uri, 2, [{ range: edit.range, text: edit.newText }]);
      assert.deepEqual(
        (await client.diagnostics(uri, 2)).filter((d) => d.code === 'handshake-bad-ack'),
        [],
      );
      assert.ok(line.includes('ack 501287961'));
      // The disable comment (what the other quick fix inserts) also silences it.
      const disabled = await client.open(`# tcptrace-disable handshake-bad-ack\n${text}`);
      assert.deepEqual(
        (await client.diagnostics(disabled)).filter((d) => d.code === 'handshake-bad-ack'),
        [],
      );
    });

    test('code action: show the segment in the diagram', async () => {
      const at = await openAt(mark(PING_PONG, packet(4), 'Flags'));
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: at.uri },
        range: {
          start: { line: at.line, character: at.character },
          end: { line: at.line, character: at.character },
        },
        context: { diagnostics: [] },
      });
      const show = actions.find((a) => a.title === 'Show in diagram');
      assert.deepEqual(show?.command?.arguments, [at.uri, 0, 3]);
    });
  });
});
