// replaceRange() must leave an array as splice() on a copy does, for small
// insertions (splice itself) and for ones too big for spread arguments (moved
// element by element), growing and shrinking the array.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { replaceRange } from '../../../server/src/analysis/replaceRange';

function expected(
  array: readonly number[],
  at: number,
  removed: number,
  inserted: readonly number[],
): number[] {
  const copy = array.slice();
  copy.splice(at, removed, ...inserted);
  return copy;
}

function check(length: number, at: number, removed: number, insertedLength: number): void {
  const array = Array.from({ length }, (_, i) => i);
  const inserted = Array.from({ length: insertedLength }, (_, i) => -1 - i);
  const start = Math.min(at, length);
  const count = Math.min(removed, length - start);
  const want = expected(array, start, count, inserted);
  replaceRange(array, start, count, inserted);
  assert.deepEqual(array, want);
}

describe('replaceRange', () => {
  test('small insertions', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.nat(50), fc.nat(50), (length, at, removed, inserted) =>
        check(length, at, removed, inserted),
      ),
    );
  });

  test('insertions beyond what splice takes as arguments', () => {
    for (const [length, at, removed, inserted] of [
      [30_000, 100, 5, 12_000],
      [30_000, 100, 15_000, 12_000],
      [30_000, 29_990, 10, 12_000],
      [0, 0, 0, 12_000],
      [20_000, 0, 20_000, 12_000],
    ] as const) {
      check(length, at, removed, inserted);
    }
  });

  test('the array keeps its identity', () => {
    const array = [1, 2, 3];
    const same = array;
    replaceRange(array, 1, 1, [7, 8]);
    assert.equal(array, same);
    assert.deepEqual(array, [1, 7, 8, 3]);
  });
});
