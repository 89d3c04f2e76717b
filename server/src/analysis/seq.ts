// 32-bit sequence-number arithmetic (RFC 1982 serial arithmetic, as Linux's
// before()/after()). Never compare sequence numbers with a plain `<`.

/** a + b modulo 2^32. */
export function seqAdd(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** a - b modulo 2^32, as an unsigned distance. */
export function seqDiff(a: number, b: number): number {
  return (a - b) >>> 0;
}

/** Signed distance a - b in (-2^31, 2^31]. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

/** a comes strictly before b. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** The later of two sequence numbers. */
export function seqMax(a: number, b: number): number {
  return seqGe(a, b) ? a : b;
}
