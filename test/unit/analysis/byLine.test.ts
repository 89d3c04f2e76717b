// sortByLine (the order of a trace's findings): the same order as a stable
// Array.sort by line, whether the lines are in order, shuffled, or out of the
// range its numeric keys cover (then it falls back to that sort).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sortByLine } from '../../../server/src/analysis/byLine';

interface Item {
  readonly line: number;
  readonly tag: number;
}

/** A small deterministic generator (the same items every run). */
function items(count: number, lines: number, seed: number): Item[] {
  let x = seed;
  const out: Item[] = [];
  for (let k = 0; k < count; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push({ line: x % lines, tag: k });
  }
  return out;
}

function expected(list: readonly Item[]): Item[] {
  return list.slice().sort((a, b) => a.line - b.line);
}

describe('sortByLine', () => {
  test('orders by line and keeps the order of items on one line', () => {
    for (const [count, lines] of [
      [0, 1],
      [1, 1],
      [2, 1],
      [50, 3],
      [1000, 40],
      [5000, 1_000_000],
    ]) {
      const list = items(count, lines, count + lines);
      const want = expected(list);
      sortByLine(list);
      assert.deepEqual(list, want, `${count} items on ${lines} lines`);
    }
  });

  test('leaves items already in order as they are', () => {
    const list = expected(items(300, 20, 7));
    const before = list.slice();
    sortByLine(list);
    assert.deepEqual(list, before);
  });

  test('lines its keys cannot hold exactly are sorted all the same', () => {
    const huge: Item[] = [
      { line: 2 ** 52, tag: 0 },
      { line: 5, tag: 1 },
      { line: 2 ** 52, tag: 2 },
      { line: 0, tag: 3 },
    ];
    const odd: Item[] = [
      { line: 3, tag: 0 },
      { line: -1, tag: 1 },
      { line: 2.5, tag: 2 },
      { line: 3, tag: 3 },
    ];
    for (const list of [huge, odd]) {
      const want = expected(list);
      sortByLine(list);
      assert.deepEqual(list, want);
    }
  });
});
