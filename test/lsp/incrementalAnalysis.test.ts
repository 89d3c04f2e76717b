// The incremental analysis (analysis/incremental.ts, driven the way the
// language server drives it: IncrementalParse remembers the records an analysis
// was made from) must equal a from-scratch analysis of the edited text: every
// segment, per-segment state and analysis, connection summary and finding.
// Random edits on every real capture's text renderings, several edits between
// analyses, each analysis starting from the previous one: characters changed in
// place, and edits that insert or delete lines (a line break typed or deleted, a
// line deleted, lines pasted).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  analyzeParsed,
  parseTrace,
  type AnalysisOptions,
  type AnalysisResult,
} from '../../server/src/analysis';
import {
  reanalyseInSteps,
  reanalyseWindowInSteps,
  type Analysed,
} from '../../server/src/analysis/incremental';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineStore, type LineChange } from '../../server/src/documents/lineStore';
import { capturesDir, captureTraces } from '../support/paths';
import { comparable } from '../support/results';
import { plainSegments } from '../support/segments';

const traces = captureTraces();

type EditKind = 'digit' | 'flag' | 'delete' | 'insert' | 'enter' | 'join' | 'delete-line' | 'paste';

interface Edit {
  readonly kind: EditKind;
  readonly line: number;
  readonly at: number;
  readonly char: string;
  /** Analyse after this edit (otherwise the next edit comes first, as when typing fast). */
  readonly analyse: boolean;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  // Mostly what people change in a trace: a digit of a number, a flag letter.
  kind: fc.constantFrom<EditKind>(
    'digit',
    'digit',
    'digit',
    'flag',
    'delete',
    'insert',
    'enter',
    'join',
    'delete-line',
    'paste',
  ),
  line: fc.nat(100_000),
  at: fc.nat(1000),
  char: fc.constantFrom('0', '1', '2', '5', '9', 'S', 'F', 'R', 'P', '.', ' ', 'x', ','),
  analyse: fc.boolean(),
});

/** Applies `e` to a line of `store`; undefined when it does not apply. */
function apply(store: LineStore, e: Edit): LineChange | undefined {
  const line = e.line % store.lineCount;
  const text = store.line(line);
  switch (e.kind) {
    case 'enter': {
      // A line break typed, mostly at the end of a line (a new empty line).
      const at = e.at % 3 === 0 ? e.at % (text.length + 1) : text.length;
      return store.apply({
        range: { start: { line, character: at }, end: { line, character: at } },
        text: '\n',
      });
    }
    case 'join':
      if (line + 1 >= store.lineCount) return undefined;
      return store.apply({
        range: { start: { line, character: text.length }, end: { line: line + 1, character: 0 } },
        text: '',
      });
    case 'delete-line':
      if (line + 1 >= store.lineCount) return undefined;
      return store.apply({
        range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
        text: '',
      });
    case 'paste': {
      // Lines copied from elsewhere in the trace, pasted at the start of a line.
      const count = 1 + (e.at % 4);
      const from = (line + e.at) % store.lineCount;
      const copied: string[] = [];
      for (let k = 0; k < count && from + k < store.lineCount; k++) copied.push(store.line(from + k));
      return store.apply({
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        text: copied.join('\n') + '\n',
      });
    }
    default:
      break;
  }
  let at: number;
  let removed = 1;
  let char = e.char;
  switch (e.kind) {
    case 'digit': {
      const digits = [...text.matchAll(/\d/g)].map((m) => m.index);
      if (digits.length === 0) return undefined;
      at = digits[e.at % digits.length];
      char = String((Number(text[at]) + 1 + (e.at % 9)) % 10);
      break;
    }
    case 'flag': {
      const open = text.indexOf('Flags [');
      const close = text.indexOf(']', open);
      if (open < 0 || close <= open + 7) return undefined;
      at = open + 7 + (e.at % (close - open - 7));
      char = 'SFRP.EW'[e.at % 7];
      break;
    }
    case 'delete':
      if (text.length === 0) return undefined;
      at = e.at % text.length;
      char = '';
      break;
    case 'insert':
      at = e.at % (text.length + 1);
      removed = 0;
      break;
  }
  return store.apply({
    range: { start: { line, character: at }, end: { line, character: at + removed } },
    text: char,
  });
}

type Steps = Generator<void, Analysed | undefined, void>;

const DROPPED = Symbol('dropped');

function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** Drives the steps to their result, or DROPPED when they are not done after `limit` steps. */
function runUpTo<T>(steps: Generator<void, T, void>, limit: number): T | typeof DROPPED {
  for (let k = 0; k < limit; k++) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
  return DROPPED;
}

function fromScratch(text: string, options: AnalysisOptions): AnalysisResult {
  return analyzeParsed(parseTrace(text, { spans: false }), options);
}

interface Tally {
  incremental: number;
  full: number;
  /** Analyses after edits that inserted or deleted lines, and how many of them were incremental. */
  moved: number;
  movedIncremental: number;
  /** Analyses dropped after a few steps. */
  dropped: number;
}

function newTally(): Tally {
  return { incremental: 0, full: 0, moved: 0, movedIncremental: 0, dropped: 0 };
}

/** The state sentences, which are getters (deepStrictEqual does not read them). */
function reasons(r: AnalysisResult): string[] {
  return [...r.perSegment].map((a) => `${a.sender.reason} | ${a.receiver.reason}`);
}

/** Edits `text` as `edits` say; after each batch, the incremental result must equal a fresh analysis. */
function check(text: string, edits: readonly Edit[], options: AnalysisOptions, tally: Tally): void {
  const store = new LineStore(text);
  const parse = new IncrementalParse();
  parse.reset(store.snapshot());
  const parsed = parse.result();
  let base: Analysed = { parsed, result: analyzeParsed(parsed, options) };
  /** What `base.result` must stay until an incremental analysis completes from it (it then takes its arrays). */
  let baseExpected = fromScratch(text, options);
  parse.commit();
  let pending: LineChange[] = [];
  for (const e of edits) {
    const change = apply(store, e);
    if (change) pending.push(change);
    if (!e.analyse || pending.length === 0) continue;
    const lines = store.snapshot();
    const moved = pending.some((c) => c.removed !== c.inserted);
    parse.update(lines, pending);
    pending = [];
    // As the server does: in place when lines stayed, else (or when that cannot splice) the window.
    const recordAt = (l: number): ReturnType<typeof parse.recordAt> => parse.recordAt(l);
    const changes = parse.changesSinceCommit();
    if (!moved) assert.ok(changes, 'in-place edits keep the record-by-record comparison');
    const window = parse.windowSinceCommit();
    assert.ok(window, 'edits close together make one window');
    const windowEdit = { ...window, lineCount: lines.length, recordAt };
    /**
     * A completed analysis from `start`; some are first started and dropped after a few
     * steps, as the server drops the work for a version a newer one replaced: that must
     * leave the previous analysis as it was.
     */
    const analyse = (start: () => Steps): Analysed | undefined => {
      if (e.at % 3 === 0) {
        const outcome = runUpTo(start(), 1 + (e.at % 5));
        if (outcome !== DROPPED) return outcome;
        tally.dropped++;
        assert.deepStrictEqual(comparable(base.result), comparable(baseExpected));
      }
      return runSteps(start());
    };
    // A small step size: the splice must survive being driven in many steps.
    let next = changes
      ? analyse(() => reanalyseInSteps(base, { changes, lineCount: lines.length, recordAt }, options, 3))
      : undefined;
    if (next === undefined) {
      // Declined: nothing written into the previous analysis, the window starts from it.
      assert.deepStrictEqual(comparable(base.result), comparable(baseExpected));
      next = analyse(() => reanalyseWindowInSteps(base, windowEdit, options, 3));
    }
    const expected = fromScratch(store.text(), options);
    if (moved) tally.moved++;
    if (next) {
      tally.incremental++;
      if (moved) tally.movedIncremental++;
      assert.deepStrictEqual(comparable(next.result), comparable(expected));
      assert.deepStrictEqual(plainSegments(next.parsed.segments), plainSegments(expected.segments));
      const parsed = parseTrace(store.text(), { spans: false });
      assert.deepStrictEqual(next.parsed.diagnostics, parsed.diagnostics);
      assert.equal(next.parsed.format, parsed.format);
      assert.deepStrictEqual(reasons(next.result), reasons(expected));
      base = next;
    } else {
      tally.full++;
      assert.deepStrictEqual(comparable(base.result), comparable(baseExpected));
      const p = parse.result();
      base = { parsed: p, result: analyzeParsed(p, options) };
      assert.deepStrictEqual(comparable(base.result), comparable(expected));
    }
    baseExpected = expected;
    parse.commit();
  }
}

describe('incremental analysis equals a from-scratch analysis', () => {
  const overall: Tally = newTally();
  for (const trace of traces) {
    test(trace, () => {
      const text = fs.readFileSync(path.join(capturesDir, trace), 'utf8');
      const tally: Tally = newTally();
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => check(text, edits, {}, tally)),
        { numRuns: 6, seed: 4 },
      );
      overall.incremental += tally.incremental;
      overall.full += tally.full;
      overall.moved += tally.moved;
      overall.movedIncremental += tally.movedIncremental;
      overall.dropped += tally.dropped;
    });
  }

  test('with the vantage point set by the user', () => {
    const text = fs.readFileSync(path.join(capturesDir, 'loss-sack', 'tcpdump-n.tcptrace'), 'utf8');
    const tally: Tally = newTally();
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) =>
        check(text, edits, { vantage: 'client' }, tally),
      ),
      { numRuns: 40, seed: 5 },
    );
    assert.ok(tally.incremental > 0, 'some edits were analysed incrementally');
  });

  test('a good part of the random edits take the incremental path', () => {
    // Runs after the per-trace tests (node:test runs a describe's tests in order). Edits of
    // addresses and ports, of accumulated (delta) times, of lines that are not packets and
    // edits that make or unmake a connection are analysed from scratch (43 % were incremental
    // when this was written).
    const total = overall.incremental + overall.full;
    assert.ok(total > 0);
    console.log(
      `incremental ${overall.incremental} of ${total} analyses; after edits that moved lines ${overall.movedIncremental} of ${overall.moved}; ${overall.dropped} dropped half-way first`,
    );
    assert.ok(overall.dropped > 0, 'some analyses were dropped half-way');
    assert.ok(overall.incremental / total > 0.35, `incremental ${overall.incremental} of ${total} analyses`);
    assert.ok(
      overall.movedIncremental / overall.moved > 0.2,
      `moved lines: ${overall.movedIncremental} of ${overall.moved}`,
    );
  });
});

describe('an edited ack and the vantage vote', () => {
  // One handshake timed as a client sees it (SYN-ACK a whole RTT after the SYN, the ACK at
  // once): the vote says client. Absolute numbers (tcpdump -S), so an edit changes one ack.
  const lines = [
    '10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, length 0',
    '10:00:00.050000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, length 0',
    '10:00:00.050100 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 502, length 0',
    '10:00:00.060000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100',
    '10:00:00.110000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, length 0',
  ];

  /** The ack of `line` given `digit` as its last digit: the incremental result against a fresh one. */
  function editAck(text: string, line: number, digit: string): { incremental: boolean; vantage: string } {
    const store = new LineStore(text);
    const parse = new IncrementalParse();
    parse.reset(store.snapshot());
    const parsed = parse.result();
    const base: Analysed = { parsed, result: analyzeParsed(parsed) };
    parse.commit();
    const row = store.line(line);
    const at = row.indexOf(', win') - 1;
    const change = store.apply({
      range: { start: { line, character: at }, end: { line, character: at + 1 } },
      text: digit,
    });
    parse.update(store.snapshot(), [change]);
    const changes = parse.changesSinceCommit();
    assert.ok(changes);
    const recordAt = (l: number): ReturnType<typeof parse.recordAt> => parse.recordAt(l);
    const next = runSteps(reanalyseInSteps(base, { changes, lineCount: store.lineCount, recordAt }, {}, 2));
    const expected = fromScratch(store.text(), {});
    if (next) assert.deepStrictEqual(comparable(next.result), comparable(expected));
    return { incremental: next !== undefined, vantage: expected.vantage };
  }

  test('the trace votes client', () => {
    assert.equal(fromScratch(lines.join('\n'), {}).vantage, 'client');
  });

  test('an ACK that no longer completes the handshake changes the vote', () => {
    // The data segment's ack completes it instead, 10 ms later: timing of neither end.
    const r = editAck(lines.join('\n'), 2, '2');
    assert.equal(r.vantage, 'middle');
    assert.equal(r.incremental, false, 'the vote moved: analysed from scratch');
  });

  test('an ACK that comes to complete the handshake changes the vote', () => {
    const broken = lines.map((l, k) => (k === 2 ? l.replace('ack 5001', 'ack 5002') : l)).join('\n');
    assert.equal(fromScratch(broken, {}).vantage, 'middle');
    const r = editAck(broken, 2, '1');
    assert.equal(r.vantage, 'client');
    assert.equal(r.incremental, false, 'the vote moved: analysed from scratch');
  });

  test('an ack that completes no handshake before or after leaves the vote, analysed in place', () => {
    const r = editAck(lines.join('\n'), 4, '2');
    assert.equal(r.vantage, 'client');
    assert.equal(r.incremental, true);
  });
});
