import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, PROGRESS_MIN_BYTES } from '../../../server/src/cli/progress';

function sink(isTTY: boolean): { isTTY: boolean; out: string[]; write(s: string): void } {
  const out: string[] = [];
  return { isTTY, out, write: (s: string) => void out.push(s) };
}

describe('cli progress indicator', () => {
  test('silent when stderr is not a terminal or the input is small', () => {
    for (const [tty, bytes] of [
      [false, PROGRESS_MIN_BYTES * 10],
      [true, PROGRESS_MIN_BYTES - 1],
    ] as const) {
      const s = sink(tty);
      const p = Progress.for(s, bytes);
      p.phase('parsing');
      p.fraction('parsing', 5, 10);
      p.clear();
      assert.deepEqual(s.out, []);
    }
  });

  test('phases at once, percentages throttled to ten a second, erased at the end', () => {
    const s = sink(true);
    let now = 1000;
    const p = new Progress(s, true, () => now);
    p.phase('parsing', '150 MB');
    p.fraction('parsing', 1, 4); // 0 ms after the phase: throttled
    now += 150;
    p.fraction('parsing', 1, 4);
    now += 50;
    p.fraction('parsing', 3, 4); // throttled
    p.phase('analysing');
    p.clear();
    assert.deepEqual(s.out, [
      '\r\x1b[Ktcptrace-inspect: parsing 150 MB…',
      '\r\x1b[Ktcptrace-inspect: parsing… 25%',
      '\r\x1b[Ktcptrace-inspect: analysing…',
      '\r\x1b[K',
    ]);
  });

  test('standard input: megabytes read, only past the size threshold', () => {
    const s = sink(true);
    const p = new Progress(s, true, () => 0);
    p.bytes(1024);
    p.bytes(PROGRESS_MIN_BYTES * 2);
    assert.deepEqual(s.out, ['\r\x1b[Ktcptrace-inspect: reading standard input… 16.0 MB']);
  });
});
