// The common `a.b.c.d.port` endpoint token of a tcpdump line, found by its
// bytes: two of them on every line of a big trace, so this is the fast
// reader's (tcpdumpFast.ts) busiest look-up.
//
// The token's characters (digits and dots) are packed as they are read, four
// bits each, into three 32-bit words: with its length that names the token
// exactly, and an open-addressing table of those numbers finds its endpoint
// with one pass over the bytes and one mispredicted loop end. (Reading the
// five numbers of the token, as before, cost a mispredicted end per number.)
// Only canonical tokens are entered (decimals without leading zeros, octets up
// to 255, port up to 65535), checked when a token is first seen; the endpoint
// is endpointAtBytes()'s, so the same object as the general reader's.
import type { Endpoint } from '../model';
import { digits, digitsStop } from './bytes';
import { endpointAtBytes } from './endpoints';

const DOT = 46;

/** The longest canonical token: `255.255.255.255.65535`. */
const MAX_TOKEN = 21;

/** Where ipv4EndpointAt() stopped (see there). */
export let ipv4End = 0;

/**
 * The canonical `a.b.c.d.port` token that starts at `start` and ends at the
 * first byte that is neither a digit nor a dot (or at `end`): its endpoint, the
 * same object as endpointAt() gives for the same text, with ipv4End the index
 * after it (the caller checks what follows). null when the bytes there are not
 * such a token (the caller then reads the token generally).
 */
export function ipv4EndpointAt(b: Uint8Array, start: number, end: number): Endpoint | null {
  // Eight characters to a word; a digit's low four bits are its value, a dot's are 14.
  let p = start;
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let stop = Math.min(end, start + 8);
  for (; p < stop; p++) {
    const c = b[p] as number;
    if (c !== DOT && (c - 48) >>> 0 > 9) break;
    k0 = (k0 << 4) | (c & 15);
  }
  if (p === start + 8) {
    stop = Math.min(end, start + 16);
    for (; p < stop; p++) {
      const c = b[p] as number;
      if (c !== DOT && (c - 48) >>> 0 > 9) break;
      k1 = (k1 << 4) | (c & 15);
    }
    if (p === start + 16) {
      stop = Math.min(end, start + 24);
      for (; p < stop; p++) {
        const c = b[p] as number;
        if (c !== DOT && (c - 48) >>> 0 > 9) break;
        k2 = (k2 << 4) | (c & 15);
      }
    }
  }
  const n = p - start;
  if (n === 0 || n > MAX_TOKEN) return null;
  const h = hashOf(k0, k1, k2, n);
  const r = h & RECENT_MASK;
  if (
    recentKeys[4 * r + 3] === n &&
    recentKeys[4 * r] === k0 &&
    recentKeys[4 * r + 1] === k1 &&
    recentKeys[4 * r + 2] === k2
  ) {
    ipv4End = p;
    return recentEndpoints[r] as Endpoint;
  }
  const keys = tokenKeys;
  let ep: Endpoint | null = null;
  for (let s = h & mask; ; s = (s + 1) & mask) {
    const at = 4 * s;
    const len = keys[at + 3] as number;
    if (len === 0) break;
    if (len === n && keys[at] === k0 && keys[at + 1] === k1 && keys[at + 2] === k2) {
      ep = tokenEndpoints[s] as Endpoint;
      break;
    }
  }
  if (ep === null) {
    if (!canonical(b, start, p)) return null;
    ep = endpointAtBytes(b, start, p);
    if (ep === null) return null;
    enter(k0, k1, k2, n, ep);
  }
  recentKeys[4 * r] = k0;
  recentKeys[4 * r + 1] = k1;
  recentKeys[4 * r + 2] = k2;
  recentKeys[4 * r + 3] = n;
  recentEndpoints[r] = ep;
  ipv4End = p;
  return ep;
}

/** Are the bytes [start, stop) four octets and a port, in canonical decimals? */
function canonical(b: Uint8Array, start: number, stop: number): boolean {
  let p = start;
  for (let group = 0; group < 5; group++) {
    const first = p;
    const v = digits(b, p, stop);
    p = digitsStop;
    const n = p - first;
    if (n === 0 || (n > 1 && b[first] === 48)) return false;
    if (group < 4) {
      if (n > 3 || v > 255 || p >= stop || b[p] !== DOT) return false;
      p++;
    } else if (n > 5 || v > 65535) return false;
  }
  return p === stop;
}

// Open addressing; per slot four numbers: the three words and the length (0: a free slot).
let mask = (1 << 12) - 1;
let tokenKeys = new Int32Array(4 * (mask + 1));
let tokenEndpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(mask + 1).fill(undefined);
let count = 0;

function hashOf(k0: number, k1: number, k2: number, n: number): number {
  const h = Math.imul(k0 ^ Math.imul(k1 ^ Math.imul(k2 + n, 0x9e3779b1), 0x85ebca6b), 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/**
 * The token last found under each of 2048 hashes (its four numbers as in a
 * slot, and its endpoint), looked in first: a big trace's table spreads over
 * megabytes, where a probe misses the cache, while few of its endpoints are in
 * use at a time (these 40 KB stay cached). A copy: every token here is in the
 * table too.
 */
const RECENT_MASK = 2047;
const recentKeys = new Int32Array(4 * (RECENT_MASK + 1));
const recentEndpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(RECENT_MASK + 1).fill(
  undefined,
);

function enter(k0: number, k1: number, k2: number, n: number, ep: Endpoint): void {
  if (++count * 2 > mask) grow();
  let s = hashOf(k0, k1, k2, n) & mask;
  while (tokenKeys[4 * s + 3] !== 0) s = (s + 1) & mask;
  tokenKeys[4 * s] = k0;
  tokenKeys[4 * s + 1] = k1;
  tokenKeys[4 * s + 2] = k2;
  tokenKeys[4 * s + 3] = n;
  tokenEndpoints[s] = ep;
}

function grow(): void {
  const keys = tokenKeys;
  const eps = tokenEndpoints;
  mask = mask * 2 + 1;
  tokenKeys = new Int32Array(4 * (mask + 1));
  tokenEndpoints = new Array<Endpoint | undefined>(mask + 1).fill(undefined);
  for (let i = 0; i < eps.length; i++) {
    const n = keys[4 * i + 3] as number;
    if (n === 0) continue;
    const k0 = keys[4 * i] as number;
    const k1 = keys[4 * i + 1] as number;
    const k2 = keys[4 * i + 2] as number;
    let s = hashOf(k0, k1, k2, n) & mask;
    while (tokenKeys[4 * s + 3] !== 0) s = (s + 1) & mask;
    tokenKeys[4 * s] = k0;
    tokenKeys[4 * s + 1] = k1;
    tokenKeys[4 * s + 2] = k2;
    tokenKeys[4 * s + 3] = n;
    tokenEndpoints[s] = eps[i];
  }
}
