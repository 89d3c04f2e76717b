// One column of integers (or nulls) packed into a string for the wire. A JSON
// string of 100,000 values costs next to nothing to stringify, parse, send and
// structured-clone, where an array of 100,000 numbers costs tens of
// milliseconds at each of those steps.
//
// Each value is a base-32 number, least significant digit first: digits that
// continue the number and the last digit come from two separate character
// ranges, so no separator is needed. null is 0, v >= 0 is 2v + 1 and v < 0 is
// -2v; beyond 2^51 in size (where 2v + 1 is no longer exact) a value is `}`
// (positive) or `~` (negative) and its size. A value usually takes one or two
// characters. `!` followed by two such
// unsigned numbers (distance, length) repeats the values `distance` back for
// `length` values (they may overlap): runs of one value, and patterns such as
// "data, data, ACK" of a bulk transfer, take three characters however long.
// Every character is printable ASCII that JSON never escapes (no `"`, no `\`).

/** Digits that end a number: '#' (35) … 'B' (66). */
const LAST = 35;
/** Digits followed by more digits: ']' (93) … '|' (124). */
const MORE = 93;
const BASE = 32;
const COPY = 33; // '!'
/**
 * Distances tried for a repeat: enough for the patterns of interleaved directions
 * (16 packs a realistic download 5 % smaller but takes 1.6 times as long).
 */
const MAX_DISTANCE = 8;
/** A repeat costs at least three characters: shorter matches stay as values. */
const MIN_COPY = 4;

/** The characters of a packed column, as bytes (all ASCII) in a buffer that grows. */
class Chars {
  private bytes = new Uint8Array(1024);
  private length = 0;
  push(code: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = code;
  }
  text(): string {
    return ASCII.decode(this.bytes.subarray(0, this.length));
  }
}
const ASCII = new TextDecoder();

function pushUnsigned(out: Chars, u: number): void {
  while (u >= BASE) {
    const digit = u % BASE;
    out.push(MORE + digit);
    u = (u - digit) / BASE;
  }
  out.push(LAST + u);
}

/** Above this size 2v + 1 is not exact in a double: the value travels as sign and size. */
const LARGE = 2 ** 51;
const LARGE_POSITIVE = 125; // '}'
const LARGE_NEGATIVE = 126; // '~'

function pushValue(out: Chars, v: number | null): void {
  // Non-finite numbers cannot occur in the diagram's integer columns; they travel as null rather than loop.
  if (v === null || !Number.isFinite(v)) {
    out.push(LAST);
    return;
  }
  const i = Math.round(v);
  if (Math.abs(i) < LARGE) pushUnsigned(out, i >= 0 ? 2 * i + 1 : -2 * i);
  else {
    out.push(i > 0 ? LARGE_POSITIVE : LARGE_NEGATIVE);
    pushUnsigned(out, Math.abs(i));
  }
}

/** A repeat this long is taken without looking for a longer one at other distances. */
const GOOD_ENOUGH = 64;

/** Packs a column; null or NaN for no value. */
export function packColumn(column: Float64Array | readonly (number | null)[]): string {
  const values = column instanceof Float64Array ? column : Float64Array.from(column, (v) => v ?? NaN);
  const n = values.length;
  const codes = new Chars();
  for (let at = 0; at < n;) {
    // The longest repeat of earlier values starting here (NaN, null, equals NaN).
    let bestDistance = 0;
    let bestLength = 0;
    const first = values[at]!;
    const firstIsNaN = first !== first;
    for (let d = 1; d <= MAX_DISTANCE && d <= at; d++) {
      const earlier = values[at - d]!;
      // Most distances fail on the first value: one comparison.
      if (earlier !== first && !(firstIsNaN && earlier !== earlier)) continue;
      let length = 1;
      for (; at + length < n; length++) {
        const a = values[at + length]!;
        const b = values[at + length - d]!;
        if (a !== b && !(a !== a && b !== b)) break;
      }
      if (length > bestLength) {
        bestLength = length;
        bestDistance = d;
        if (length >= GOOD_ENOUGH) break;
      }
    }
    if (bestLength >= MIN_COPY) {
      codes.push(COPY);
      pushUnsigned(codes, bestDistance);
      pushUnsigned(codes, bestLength);
      at += bestLength;
    } else {
      pushValue(codes, first);
      at++;
    }
  }
  return codes.text();
}

/** The typed arrays a column unpacks into. */
export type ColumnArray = Float64Array | Int32Array | Int8Array | Uint8Array;

/**
 * Unpacks a column into `out` (its length is the number of values), `missing`
 * standing for null and for values the text lacks: a typed array, no object per
 * value for the collector to follow. Malformed text (it comes from another
 * process) never throws.
 */
export function unpackColumnInto<T extends ColumnArray>(text: string, out: T, missing: number): T {
  const count = out.length;
  let n = 0;
  let at = 0;
  const readUnsigned = (): number => {
    let value = 0;
    let scale = 1;
    while (at < text.length) {
      const c = text.charCodeAt(at++);
      if (c >= MORE && c < MORE + BASE) {
        value += (c - MORE) * scale;
        scale *= BASE;
      } else if (c >= LAST && c < LAST + BASE) return value + (c - LAST) * scale;
      else return -1;
    }
    return -1;
  };
  while (at < text.length && n < count) {
    const first = text.charCodeAt(at);
    if (first >= LAST && first < LAST + BASE) {
      // Most values are one character: read without a call.
      at++;
      const u = first - LAST;
      out[n++] = u === 0 ? missing : u % 2 === 1 ? (u - 1) / 2 : -u / 2;
      continue;
    }
    if (first === COPY) {
      at++;
      const distance = readUnsigned();
      const length = readUnsigned();
      if (distance < 1 || distance > n || length < 0) break;
      const end = Math.min(count, n + length);
      // A repeat of period `distance`: each copy doubles what the next can take.
      const from = n - distance;
      while (n < end) {
        const size = Math.min(n - from, end - n);
        out.copyWithin(n, from, from + size);
        n += size;
      }
      continue;
    }
    if (first === LARGE_POSITIVE || first === LARGE_NEGATIVE) {
      at++;
      const size = readUnsigned();
      if (size < 0) break;
      out[n++] = first === LARGE_POSITIVE ? size : -size;
      continue;
    }
    const u = readUnsigned();
    if (u < 0) break;
    out[n++] = u === 0 ? missing : u % 2 === 1 ? (u - 1) / 2 : -u / 2;
  }
  if (n < count) out.fill(missing, n);
  return out;
}

/** The `count` values of a packed column, NaN standing for null. */
export function unpackColumn(text: string, count: number): Float64Array {
  return unpackColumnInto(text, new Float64Array(count), NaN);
}
