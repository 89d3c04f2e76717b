// Cooperative scheduling: long loops give the event loop a turn every few
// milliseconds so that no request blocks the server (target: < 50 ms).
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Time slice after which loops yield. */
export const SLICE_MS = 8;

/**
 * Calls `body(i)` for i in [0, n), yielding to the event loop every ~8 ms.
 * Returns false (and stops) when `stillWanted()` turns false after a yield.
 */
export async function chunkedFor(
  n: number,
  body: (i: number) => void,
  stillWanted: () => boolean = () => true,
): Promise<boolean> {
  let sliceStart = performance.now();
  for (let i = 0; i < n; i++) {
    body(i);
    if ((i & 255) === 255 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      if (!stillWanted()) return false;
      sliceStart = performance.now();
    }
  }
  return true;
}
