// The per-segment results keep the state inferences as rows (inferenceRows.ts):
// read back, copied into another store and moved by inserted or deleted lines,
// every inference of the real captures must say what the walk's objects said,
// with the lines moved exactly as moving the written sentence's text moves them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeTrace } from '../../../server/src/analysis';
import type { AnalysisResult, StateInference } from '../../../server/src/analysis';
import { InferenceRows } from '../../../server/src/analysis/inferenceRows';
import { inferred, RECEIVER_IS_SERVER, Sentence } from '../../../server/src/analysis/inferences';
import { moveLinesInText, type LineMove } from '../../../server/src/analysis/lineMoves';
import { SegmentAnalyses } from '../../../server/src/analysis/segmentAnalyses';
import { capturesDir, captureTraces } from '../../support/paths';

const said = (s: StateInference): string => `${s.state} ${s.confidence} ${s.rule}: ${s.reason}`;

/** Every segment's sender and receiver, as the store says them. */
function inferences(store: SegmentAnalyses): string[] {
  return [...store].map((a) => `${a.segment} ${said(a.sender)} | ${said(a.receiver)}`);
}

/** A dense copy of the store, segment by segment (its rows copied into the copy's table). */
function copyOf(store: SegmentAnalyses): SegmentAnalyses {
  const copy = new SegmentAnalyses(store.length);
  for (let i = 0; i < store.length; i++) copy.copy(i, store, i);
  return copy;
}

describe('inference rows', () => {
  const traces = captureTraces();
  const analysed = new Map<string, AnalysisResult>();
  const resultOf = (trace: string): AnalysisResult => {
    let r = analysed.get(trace);
    if (r === undefined) {
      r = analyzeTrace(fs.readFileSync(path.join(capturesDir, trace), 'utf8'));
      analysed.set(trace, r);
    }
    return r;
  };

  test('a copy into another store says every inference of the captures as the original', () => {
    assert.ok(traces.length > 10);
    for (const trace of traces) {
      const store = resultOf(trace).perSegment as SegmentAnalyses;
      assert.deepEqual(inferences(copyOf(store)), inferences(store), trace);
    }
  });

  test('moved lines: each sentence as moving its text would have it, shared rows moved once', () => {
    let changed = 0;
    for (const trace of traces) {
      const r = resultOf(trace);
      const store = r.perSegment as SegmentAnalyses;
      const before = [...store];
      const copy = copyOf(store);
      const middle = r.segments.length === 0 ? 0 : r.segments[r.segments.length >> 1].line;
      // Lines inserted in the middle, then lines deleted near the start: two moves, in order.
      const moves: LineMove[] = [
        { from: middle, by: 3 },
        { from: 2, by: -1 },
      ];
      for (const move of moves) for (let i = 0; i < copy.length; i++) copy.move(i, null, move);
      const moved = [...copy];
      assert.equal(moved.length, before.length, trace);
      for (let k = 0; k < before.length; k++) {
        for (const who of ['sender', 'receiver'] as const) {
          assert.equal(
            moved[k][who].reason,
            moveLinesInText(before[k][who].reason, moves),
            `${trace} #${k} ${who}`,
          );
          assert.equal(moved[k][who].state, before[k][who].state);
          if (moved[k][who].reason !== before[k][who].reason) changed++;
        }
      }
    }
    assert.ok(changed > 1000, `${changed} sentences moved`);
  });

  test('quoted values of every kind come back as they were quoted', () => {
    const rows = new InferenceRows();
    const made: StateInference[] = [
      // An ISN above 2^31 and a payload length.
      inferred('SYN_SENT', 'observed', 'snd-syn', Sentence.SynSent, 0, 7, 12, 4294967295),
      // No SYN seen: -1, which the sentence leaves out.
      inferred('SYN_RECV', 'observed', 'snd-synack', Sentence.SndSynAck, 1, 9, -1),
      inferred('ESTABLISHED', 'assumed', 'midstream', Sentence.SenderMidstream, 0, 3, true),
      inferred('ESTABLISHED', 'assumed', 'midstream', Sentence.ReceiverMidstream, 0, 3, 'an ACK'),
      // A text and a missing state.
      inferred(
        'CLOSED',
        'provisional',
        'rcv-rst',
        Sentence.RcvRst,
        RECEIVER_IS_SERVER,
        11,
        'seq 5 = RCV.NXT',
        null,
      ),
      inferred(
        'FIN_WAIT_2',
        'provisional',
        'rcv-ack-of-fin',
        Sentence.FinAckedInFinWait1,
        RECEIVER_IS_SERVER,
        12,
        null,
        2147483648,
      ),
    ];
    // An inference quoting another (its sentence is part of this one's).
    made.push(inferred('SYN_SENT', 'observed', 'snd-syn', Sentence.Confirmed, 0, 20, made[0], 99));
    const stored = made.map((m) => rows.add(m));
    // One row per inference, the quoted one not stored twice.
    assert.deepEqual(stored, [0, 1, 2, 3, 4, 5, 6]);
    for (let k = 0; k < made.length; k++) assert.equal(said(rows.view(stored[k])), said(made[k]));
    // And through a copy into another table.
    const other = new InferenceRows();
    for (let k = 0; k < made.length; k++)
      assert.equal(said(other.view(other.import(rows, stored[k]))), said(made[k]));
    assert.equal(other.length, made.length);
  });

  test('an inference that is no row of the walk comes back as itself, copied when a move changes it', () => {
    const rows = new InferenceRows();
    const plain: StateInference = {
      state: null,
      confidence: 'assumed',
      rule: 'x',
      reason: 'Seen at line 40.',
    };
    const row = rows.add(plain);
    assert.equal(rows.add(plain), row);
    assert.equal(rows.view(row), plain);
    assert.equal(rows.move(row, { from: 50, by: 2 }), row);
    const moved = rows.move(row, { from: 10, by: 2 });
    assert.notEqual(moved, row);
    assert.equal(rows.view(moved).reason, 'Seen at line 42.');
    assert.equal(plain.reason, 'Seen at line 40.');
  });
});
