// The edited text's reader contexts kept as runs (ContextColumn) must behave as the
// sparse per-line array they replace: holes for lines not read, set, splice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { contextOf, INITIAL_CONTEXT, TsMode, type LineContext } from '../../server/src/analysis/parse';
import { ContextColumn } from '../../server/src/documents/contextColumn';
import { ContextRuns } from '../../server/src/documents/contextRuns';

const CONTEXTS: readonly LineContext[] = [
  INITIAL_CONTEXT,
  contextOf(TsMode.TimeOfDay, false, true),
  contextOf(TsMode.TimeOfDay, true, false),
  contextOf(TsMode.Epoch, false, false),
];

type Op = { set: [number, number] } | { splice: [number, number, number] };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: fc.tuple(fc.nat(80), fc.nat(3)) }),
  fc.record({ splice: fc.tuple(fc.nat(80), fc.nat(10), fc.nat(10)) }),
);

function sameAs(column: ContextColumn, array: (LineContext | undefined)[]): void {
  assert.equal(column.length, array.length);
  for (let i = -1; i <= array.length; i++) assert.equal(column.get(i), array[i], `line ${i}`);
  const runs = column.snapshot();
  const expected = ContextRuns.of(array as LineContext[], array.length);
  for (let i = -1; i <= array.length; i++)
    assert.equal(runs.after(i), expected.after(i), `snapshot line ${i}`);
}

describe('context column', () => {
  test('reads as a sparse array after any sets and splices', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.array(op, { maxLength: 40 }), (length, ops) => {
        const column = new ContextColumn(length);
        const array = new Array<LineContext | undefined>(length).fill(undefined);
        sameAs(column, array);
        for (const o of ops) {
          if ('set' in o) {
            const [i, which] = o.set;
            column.set(i, CONTEXTS[which]!);
            if (i < array.length) array[i] = CONTEXTS[which]!;
          } else {
            const [at0, removed0, inserted] = o.splice;
            const at = Math.min(at0, array.length);
            const removed = Math.min(removed0, array.length - at);
            column.splice(at, removed, inserted);
            array.splice(at, removed, ...new Array<LineContext | undefined>(inserted).fill(undefined));
          }
          sameAs(column, array);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('lines read in order, as a whole read sets them', () => {
    const column = new ContextColumn(1000);
    const array: LineContext[] = [];
    for (let i = 0; i < 1000; i++) {
      const ctx = CONTEXTS[i % 7 === 0 ? 1 : i % 3 === 0 ? 2 : 3]!;
      column.set(i, ctx);
      array.push(ctx);
    }
    sameAs(column, array);
  });
});
