// Stepwise computations are generators that pause (yield) now and then, so that a
// server can answer requests between their steps; callers with nothing else to do
// run them to the end at once.

/** A stepwise computation run to its end in one go. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}
