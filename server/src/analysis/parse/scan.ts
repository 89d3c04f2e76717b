// Character-level helpers over (text, position): the hot loop of the parser
// reads with charCodeAt and never splits or slices the text it skips.

export const SPACE = 32;
export const TAB = 9;
export const DOT = 46;
export const COLON = 58;
export const COMMA = 44;
export const ZERO = 48;
export const NINE = 57;

export function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

export function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Does `text` hold `word` at `pos` (and before `end`)? */
export function startsAt(text: string, pos: number, end: number, word: string): boolean {
  const n = word.length;
  if (pos + n > end) return false;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(pos + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}

export function skipSpaces(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c !== SPACE && c !== TAB) break;
    pos++;
  }
  return pos;
}

/** End of the run of digits starting at pos. */
export function digitsEnd(text: string, pos: number, end: number): number {
  while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Value of the decimal digits in [start, stop); callers check stop > start. */
export function digitsValue(text: string, start: number, stop: number): number {
  let v = 0;
  for (let i = start; i < stop; i++) v = v * 10 + (text.charCodeAt(i) - ZERO);
  return v;
}

/** End of the token (run of non-space characters) starting at pos. */
export function tokenEnd(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === SPACE || c === TAB) break;
    pos++;
  }
  return pos;
}

/** Index of `ch` in [pos, end), or -1. */
export function findChar(text: string, ch: number, pos: number, end: number): number {
  while (pos < end) {
    if (text.charCodeAt(pos) === ch) return pos;
    pos++;
  }
  return -1;
}

/**
 * text[start, end) as a string of its own. V8 keeps a slice of 13 characters or
 * more as a view into its parent, so one such slice kept after parsing (an
 * endpoint in the intern cache, application text, an option as printed) would
 * keep the whole trace text alive; strings that outlive the parse go through here.
 */
export function detachedSlice(text: string, start: number, end: number): string {
  return detach(text.slice(start, end));
}

/** A flat copy of `s` that shares no memory with the string it may be a slice of. */
export function detach(s: string): string {
  return s.length < 13 ? s : s.split('').join('');
}

/** Largest value a 32-bit sequence, ack or timestamp field can hold. */
export const UINT32_MAX = 4294967295;
