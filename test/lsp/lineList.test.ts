// A LineList is an immutable array of lines in chunks: every version must read
// like the plain array it stands for, and an edit must leave older versions as
// they were.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LineList, linesArray } from '../../server/src/documents/lineList';
import { splitText } from '../support/splitText';

/** Enough lines for several chunks. */
const LINES = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);

function assertReadsAs(list: LineList, expected: readonly string[]): void {
  assert.equal(list.length, expected.length);
  assert.deepEqual(list.toArray(), expected);
  // One after another, backwards, and outside.
  for (let i = 0; i < expected.length; i++) assert.equal(list.at(i), expected[i]);
  for (let i = expected.length - 1; i >= 0; i -= 97) assert.equal(list.at(i), expected[i]);
  assert.equal(list.at(-1), undefined);
  assert.equal(list.at(expected.length), undefined);
}

describe('line list', () => {
  test('reads as the array it was made from', () => {
    assertReadsAs(LineList.from(LINES), LINES);
    assertReadsAs(LineList.from(['']), ['']);
    assertReadsAs(LineList.from([]), []);
    assert.deepEqual(linesArray(LineList.from(LINES)), LINES);
    assert.deepEqual(linesArray(LINES), LINES);
    assertReadsAs(LineList.fromBytes(splitText(LINES.join('\r\n')).lines), LINES);
  });

  test('random splices read as the same splices of an array, and leave the earlier versions alone', () => {
    const splice = fc.record({
      first: fc.nat(LINES.length + 10),
      removed: fc.oneof(fc.nat(3), fc.nat(9000)),
      inserted: fc.oneof(fc.nat(3), fc.nat(9000)),
    });
    fc.assert(
      fc.property(fc.array(splice, { minLength: 1, maxLength: 6 }), fc.boolean(), (splices, fromBytes) => {
        // Also a list of lines in the message bytes, whose edits split its runs.
        let list = fromBytes ? LineList.fromBytes(splitText(LINES.join('\n')).lines) : LineList.from(LINES);
        const array = LINES.slice();
        const versions: [LineList, string[]][] = [[list, array.slice()]];
        splices.forEach((s, n) => {
          const first = Math.min(s.first, Math.max(0, array.length - 1));
          const removed = Math.min(s.removed, array.length - first);
          const inserted = Array.from({ length: s.inserted }, (_, k) => `new ${n}.${k}`);
          list = list.splice(first, removed, inserted);
          array.splice(first, removed, ...inserted);
          versions.push([list, array.slice()]);
        });
        for (const [v, expected] of versions) assertReadsAs(v, expected);
      }),
      { numRuns: 40 },
    );
  });
});
