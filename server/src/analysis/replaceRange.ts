// Replacing a range of a big array in place (an edit's segments and analyses in
// the trace's arrays): the elements after it move, the array keeps its storage
// when it has room, and no copy of the whole array is made.

/** Above this many new elements, spread arguments to splice() could overflow the stack. */
const SPREAD_LIMIT = 10_000;

/** Replaces `removed` elements of `array` at `at` with `inserted`, in place. */
export function replaceRange<T>(array: T[], at: number, removed: number, inserted: readonly T[]): void {
  if (inserted.length <= SPREAD_LIMIT) {
    array.splice(at, removed, ...inserted);
    return;
  }
  const shift = inserted.length - removed;
  const end = array.length;
  if (shift > 0) {
    // Room at the end first, by push (writing past the end would leave holes in the array).
    for (let k = 0; k < shift; k++) array.push(inserted[0]!);
    for (let k = end - 1; k >= at + removed; k--) array[k + shift] = array[k]!;
  } else if (shift < 0) {
    for (let k = at + removed; k < end; k++) array[k + shift] = array[k]!;
    array.length = end + shift;
  }
  for (let j = 0; j < inserted.length; j++) array[at + j] = inserted[j]!;
}
