// The feature functions render analysis data: data-driven checks on the real
// ping-pong capture as parsed by the core, with the per-segment states a
// passive observer infers for it (RFC 9293 §3.3.2 as in the formats reference
// §4) written out by hand, so the rendering is tested apart from the analysis.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  parseTrace,
  type AnalysisResult,
  type Connection,
  type Phase,
  type SegmentAnalysis,
  type StateInference,
  type TcpState,
} from '../../server/src/analysis';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../../server/src/config';
import type { DocumentAnalysis } from '../../server/src/documents/analysisCache';
import { buildIndex } from '../../server/src/documents/analysisIndex';
import { codeLensesFor } from '../../server/src/features/codeLens';
import { foldingRangesFor } from '../../server/src/features/folding';
import { hoverAt } from '../../server/src/features/hover';
import { inlayHintsFor } from '../../server/src/features/inlayHints';
import { definitionAt } from '../../server/src/features/navigation';
import { documentSymbolsFor } from '../../server/src/features/symbols';
import { repoRoot } from '../support/paths';
import { DIAGNOSTICS_DOC_URL } from '../../server/src/convert';
import { INITIAL_CONTEXT } from '../../server/src/analysis/parse';
import { SegmentAnalyses } from '../../server/src/analysis/segmentAnalyses';

const TEXT = fs.readFileSync(path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'), 'utf8');
const LINES = TEXT.split('\n');

const s = (
  state: TcpState | null,
  confidence: StateInference['confidence'] = 'observed',
): StateInference => ({
  state,
  confidence,
  rule: 'test',
  reason: `the trace shows it (${state})`,
});

// [sender, receiver, phase, role, acknowledges]
const STATES: [StateInference, StateInference, Phase, string, number | undefined][] = [
  [s('SYN_SENT'), s('LISTEN', 'assumed'), 'handshake', 'SYN: first step of the handshake', undefined],
  [s('SYN_RECV'), s('ESTABLISHED', 'provisional'), 'handshake', 'SYN-ACK: second step', 0],
  [s('ESTABLISHED'), s('ESTABLISHED', 'provisional'), 'handshake', 'ACK: third step', 1],
  [s('ESTABLISHED'), s('ESTABLISHED'), 'data', 'data', undefined],
  [s('ESTABLISHED'), s('ESTABLISHED'), 'data', 'ACK of data', 3],
  [s('ESTABLISHED'), s('ESTABLISHED'), 'data', 'data', undefined],
  [s('ESTABLISHED'), s('ESTABLISHED'), 'data', 'ACK of data', 5],
  [s('FIN_WAIT_1'), s('CLOSE_WAIT', 'provisional'), 'teardown', 'FIN', undefined],
  [s('LAST_ACK'), s('TIME_WAIT', 'provisional'), 'teardown', 'FIN+ACK', 7],
  [s('TIME_WAIT'), s('CLOSED', 'provisional'), 'teardown', 'last ACK', 8],
];

function analysed(settings: Settings = DEFAULT_SETTINGS): DocumentAnalysis {
  const parsed = parseTrace(TEXT);
  assert.equal(parsed.segments.length, 10);
  const first = parsed.segments[0]!;
  const perSegment: SegmentAnalysis[] = parsed.segments.map((seg, i) => {
    const [sender, receiver, phase, role, acknowledges] = STATES[i]!;
    return {
      segment: i,
      connection: 0,
      direction: seg.src.port === first.src.port ? 'c2s' : 's2c',
      sender,
      receiver,
      phase,
      role,
      relSeq: 0,
      relAck: null,
      analysis: [],
      bytesInFlight: 0,
      sinceStart: seg.time !== null && first.time !== null ? seg.time - first.time : null,
      ...(acknowledges !== undefined ? { acknowledges } : {}),
    };
  });
  const connection: Connection = {
    id: 0,
    client: first.src,
    server: first.dst,
    segments: parsed.segments.map((x) => x.index),
    firstLine: first.line,
    lastLine: parsed.segments[9]!.line,
    clientIsn: first.seq,
    serverIsn: parsed.segments[1]!.seq,
    clientState: 'CLOSED',
    serverState: 'TIME_WAIT',
    zeekState: 'SF',
    history: 'ShADadFf',
    completeness: 31,
    handshakeRtt: 0.000154,
    duration: 0.002843,
    c2s: { segments: 5, bytes: 5, retransmissions: 0 },
    s2c: { segments: 5, bytes: 5, retransmissions: 0 },
    label: '127.0.0.1:54498 → 127.0.0.1:47123',
    outcome: 'closed normally',
  };
  const result: AnalysisResult = {
    format: parsed.format,
    lineCount: parsed.lineCount,
    segments: parsed.segments,
    perSegment: SegmentAnalyses.of(perSegment),
    connections: [connection],
    diagnostics: parsed.diagnostics,
    vantage: 'unknown',
  };
  return {
    uri: 'file:///ping-pong.tcptrace',
    version: 1,
    result,
    settings,
    index: buildIndex(result, LINES.length),
    lineCount: LINES.length,
    disabledCodes: new Set(),
    lineText: (l) => LINES[l] ?? '',
    contextBefore: () => INITIAL_CONTEXT,
  };
}

function hints(settings: Settings): string[] {
  return inlayHintsFor(analysed(settings), 0, LINES.length).map(
    (h) =>
      `${h.position.line}:${h.position.character === LINES[h.position.line]!.length ? 'eol' : h.position.character} ${String(h.label)}`,
  );
}

describe('rendering analysis data', () => {
  const hintCases: [string, unknown, string[]][] = [
    [
      'both states, assumed marked with ?',
      {},
      ['2:eol SYN_SENT → LISTEN?', '3:eol SYN_RECV → ESTABLISHED', '10:eol LAST_ACK → TIME_WAIT'],
    ],
    [
      'sender only',
      { inlayHints: { states: 'sender' } },
      ['2:eol SYN_SENT', '3:eol SYN_RECV', '10:eol LAST_ACK'],
    ],
    ['compact', { inlayHints: { compact: true } }, ['2:eol SS → LSN?', '3:eol SR → EST', '10:eol LA → TW']],
    [
      'always named',
      { inlayHints: { connectionNames: 'always' } },
      ['2:eol #1 SYN_SENT → LISTEN?', '3:eol #1 SYN_RECV → ESTABLISHED', '10:eol #1 LAST_ACK → TIME_WAIT'],
    ],
  ];
  for (const [name, raw, expected] of hintCases) {
    test(`inlay hints: ${name}`, () => {
      const all = hints(readSettings(raw));
      assert.equal(all.length, 10);
      assert.deepEqual([all[0], all[1], all[8]], expected);
    });
  }

  test('inlay hints off', () => {
    assert.deepEqual(hints(readSettings({ inlayHints: { states: 'off' } })), []);
  });

  test('hover on the SYN-ACK: role, both states with RFC names, numbers, options', () => {
    const hover = hoverAt(analysed(), { line: 3, character: 2 });
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /^\*\*SYN-ACK: second step\*\*/);
    assert.match(
      value,
      /Sender `127\.0\.0\.1:47123`: \*\*SYN-RECEIVED\*\* \(observed; RFC 9293 §3\.3\.2, §3\.5\)/,
    );
    assert.match(value, /Receiver `127\.0\.0\.1:54498`: \*\*ESTABLISHED\*\* \(provisional/);
    assert.match(value, /\| ack \| — \| 501287961 \|/);
    assert.match(value, /0\.138 ms since the connection's first segment/);
    assert.match(value, /MSS 65495 bytes · window scale 10 \(windows × 1024\)/);
  });

  test('hover on the data segment: effective window from the SYN scale', () => {
    const value = (hoverAt(analysed(), { line: 5, character: 2 })?.contents as { value: string }).value;
    assert.match(value, /window 64 × 2\^10 = 65536 bytes/);
  });

  test('code lens summary', () => {
    const lenses = codeLensesFor(analysed());
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        '127.0.0.1:54498 ⇄ 127.0.0.1:47123 · SF · 10 segments · handshake 0.154 ms',
        'Show diagram',
        'Select connection',
      ],
    );
  });

  test('outline groups segments by phase', async () => {
    const symbols = await documentSymbolsFor(analysed(), () => true);
    assert.deepEqual(
      symbols?.[0]?.children?.map(
        (c) => `${c.name}: ${c.children?.map((x) => x.range.start.line).join(',')}`,
      ),
      ['Handshake: 2,3,4', 'Data transfer: 5,6,7,8', 'Teardown: 9,10,11'],
    );
    assert.equal(symbols?.[0]?.name, '#1 127.0.0.1:54498 → 127.0.0.1:47123 (closed normally)');
    assert.equal(symbols?.[0]?.children?.[0]?.children?.[1]?.name, '← SYN+ACK seq 0 ack 501287961 len 0');
  });

  test('definition: the ACK of the FIN goes to the FIN', () => {
    assert.equal(definitionAt(analysed(), { line: 10, character: 0 })?.range.start.line, 9);
    assert.equal(definitionAt(analysed(), { line: 2, character: 0 }), null);
  });

  test('a single connection has no run folds', () => {
    assert.deepEqual(foldingRangesFor(analysed()), []);
  });
});

test('diagnostic documentation links point at the repository named in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    repository: { url: string };
  };
  const repository = pkg.repository.url.replace(/\.git$/, '');
  assert.equal(DIAGNOSTICS_DOC_URL, `${repository}/blob/main/docs/diagnostics.md`);
});
