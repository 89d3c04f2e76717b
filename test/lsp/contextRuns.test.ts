// A version's reader contexts kept as runs must read as the per-line contexts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { contextOf, INITIAL_CONTEXT, TsMode, type LineContext } from '../../server/src/analysis/parse';
import { ContextRuns } from '../../server/src/documents/contextRuns';

const CONTEXTS: readonly LineContext[] = [
  INITIAL_CONTEXT,
  contextOf(TsMode.TimeOfDay, false, true),
  contextOf(TsMode.TimeOfDay, true, false),
  contextOf(TsMode.Epoch, false, false),
];

describe('context runs', () => {
  test('read as the contexts they were made of, before and after each line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 50 })), { maxLength: 30 }),
        (runs) => {
          const contexts: LineContext[] = [];
          for (const [which, length] of runs)
            for (let k = 0; k < length; k++) contexts.push(CONTEXTS[which]!);
          const kept = ContextRuns.of(contexts, contexts.length);
          for (let i = 0; i < contexts.length; i++) {
            assert.equal(kept.after(i), contexts[i]);
            assert.equal(kept.before(i), i === 0 ? INITIAL_CONTEXT : contexts[i - 1]);
          }
          assert.equal(kept.after(-1), undefined);
          assert.equal(kept.after(contexts.length), undefined);
        },
      ),
    );
  });
});
