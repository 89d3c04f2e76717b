import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packColumn, unpackColumn } from '../../../server/src/analysis/diagram/packedColumn';

/** The unpacked values with null for NaN, as plain numbers. */
const unpacked = (text: string, count: number): (number | null)[] =>
  Array.from(unpackColumn(text, count), (v) => (Number.isNaN(v) ? null : v));
const roundTrip = (values: (number | null)[]): (number | null)[] =>
  unpacked(JSON.parse(JSON.stringify(packColumn(values))) as string, values.length);

test('values, nulls, negatives and numbers up to 2^53 come back exactly', () => {
  const values = [
    0,
    1,
    -1,
    31,
    32,
    -32,
    1023,
    1024,
    null,
    4294967295,
    -4294967296,
    2 ** 52,
    -(2 ** 52),
    null,
    7,
  ];
  assert.deepEqual(roundTrip(values), values);
});

test('the text is JSON-safe: no character that JSON escapes', () => {
  const values = Array.from({ length: 2000 }, (_, i) => (((i * 7919) % 4001) - 2000) * 1e6);
  const text = packColumn(values);
  assert.equal(JSON.stringify(text), `"${text}"`);
  assert.deepEqual(roundTrip(values), values);
});

test('runs and repeated patterns take a few characters and expand again', () => {
  const run = new Array<number>(100_000).fill(5);
  assert.ok(packColumn(run).length <= 8, packColumn(run));
  assert.deepEqual(roundTrip(run), run);
  // data, data, ACK, as a bulk transfer sends them
  const pattern = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 2 ? 16 : 24));
  assert.ok(packColumn(pattern).length <= 12, packColumn(pattern));
  assert.deepEqual(roundTrip(pattern), pattern);
  const mixed = [null, null, null, null, null, 3, 3, 3, 3, 3, 3, -2, 9, -2, 9, -2, 9, -2, 9, 1];
  assert.deepEqual(roundTrip(mixed), mixed);
});

test('malformed text gives nulls where values are missing, never an exception', () => {
  assert.deepEqual(unpacked('', 3), [null, null, null]);
  // A repeat reaching before the start, a digit outside the alphabet, a truncated number.
  assert.deepEqual(unpacked('$!.%', 2), [0, null]);
  assert.deepEqual(unpacked('$"$', 3), [0, null, null]);
  assert.deepEqual(unpacked('$]', 2), [0, null]);
  // Never more values than asked for.
  assert.deepEqual(unpacked(packColumn([1, 1, 1, 1, 1, 1]), 2), [1, 1]);
});
