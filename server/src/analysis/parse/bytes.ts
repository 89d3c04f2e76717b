// Decimal digits over the ASCII bytes of the text, for the fast reader of the
// common tcpdump line (tcpdumpFast.ts) and its dotted-quad endpoints
// (endpoints.ts): the byte twins of scan.ts's character helpers.

/** Where the last digits() call stopped. */
export let digitsStop = 0;

/** The value of the decimal digits at p (any number of them, maybe none); digitsStop after them. */
export function digits(b: Uint8Array, p: number, end: number): number {
  let v = 0;
  while (p < end) {
    const d = (b[p] as number) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    p++;
  }
  digitsStop = p;
  return v;
}

const decoder = new TextDecoder();

/** The ASCII bytes [start, end) as a string (a new flat one: it refers to no bigger text). */
export function asciiText(b: Uint8Array, start: number, end: number): string {
  return decoder.decode(b.subarray(start, end));
}
