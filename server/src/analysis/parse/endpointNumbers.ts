// Small numbers for interned endpoints, so that tables keyed on endpoint identity
// (the normaliser's numbering) key on a small integer instead of hashing the object.
import type { Endpoint } from '../model';

/**
 * Each interned endpoint carries its number (0, 1, 2 ... in the order they were
 * made). It is not enumerable: copies, JSON and comparisons of endpoints do not see it.
 */
const NUMBER = Symbol('endpoint number');
type Numbered = Endpoint & { readonly [NUMBER]?: number };
let numbered = 0;
/** Numbers of endpoints that were not made here (records built by hand). */
const otherNumbers = new WeakMap<Endpoint, number>();

/** `ep`, a new endpoint object, given the next number. */
export function interned(ep: Endpoint): Endpoint {
  Object.defineProperty(ep, NUMBER, { value: numbered++ });
  return ep;
}

/** The number of an endpoint: the same number exactly for the same object. */
export function endpointNumber(ep: Endpoint): number {
  const n = (ep as Numbered)[NUMBER];
  if (n !== undefined) return n;
  let other = otherNumbers.get(ep);
  if (other === undefined) {
    other = numbered++;
    otherNumbers.set(ep, other);
  }
  return other;
}
