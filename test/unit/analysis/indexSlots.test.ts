// IndexSlots (KeptSegments' index → slot table): any sequence of sets and
// deletes leaves it answering as a Map does, also when keys collide in long
// probe runs (deleting from the middle of a run must not hide the keys after it)
// and across its growth.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IndexSlots } from '../../../server/src/analysis/tables/indexSlots';

const op = fc.record({
  set: fc.boolean(),
  // A narrow range of keys makes runs collide and deletes hit held keys; a few far ones too.
  key: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 0x7ffffffe })),
  slot: fc.integer({ min: 0, max: 1 << 30 }),
});

function checkLike(table: IndexSlots, map: Map<number, number>, probes: Iterable<number>): void {
  assert.equal(table.size, map.size);
  for (const key of probes) assert.equal(table.get(key), map.get(key) ?? -1, `key ${key}`);
}

describe('IndexSlots', () => {
  test('answers as a Map after any sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4000 }), (ops) => {
        const table = new IndexSlots();
        const map = new Map<number, number>();
        for (const { set, key, slot } of ops) {
          if (set) {
            table.set(key, slot);
            map.set(key, slot);
          } else {
            table.delete(key);
            map.delete(key);
          }
        }
        checkLike(table, map, [...ops.map((o) => o.key), 0, 1, 0x7ffffffe]);
      }),
      { numRuns: 40 },
    );
  });

  test("a walk's pattern: consecutive keys, most deleted a little later, some kept", () => {
    const table = new IndexSlots();
    const map = new Map<number, number>();
    for (let i = 0; i < 300_000; i++) {
      table.set(i, i % 7919);
      map.set(i, i % 7919);
      const old = i - 41;
      if (old >= 0 && old % 13 !== 0) {
        table.delete(old);
        map.delete(old);
      }
    }
    const probes: number[] = [];
    for (let i = 0; i < 300_100; i++) probes.push(i);
    checkLike(table, map, probes);
  });
});
