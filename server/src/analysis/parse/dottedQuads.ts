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
// to 255, port up to 65535), checked when a token is first seen. This table is
// where such endpoints are made and kept, for the general reader too
// (endpoints.ts asks ipv4EndpointOfToken() first), so a token gives one object
// whichever reader meets it first; a first sight from bytes makes no token
// string and no entry in the general reader's map.
import type { Endpoint } from '../model';
import { asciiText, digits, digitsStop } from './bytes';
import { interned } from './endpointNumbers';

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
  let ep = find(k0, k1, k2, n);
  if (ep === null) {
    if (!canonical(b, start, p)) return null;
    ep = interned({ host: asciiText(b, start, hostEnd), port });
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

/** Where canonical() found the host to end (the last dot), and the port. */
let hostEnd = 0;
let port = 0;

/** Are the bytes [start, stop) four octets and a port, in canonical decimals? Sets hostEnd and port. */
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
      hostEnd = p;
      p++;
    } else if (n > 5 || v > 65535) return false;
    else port = v;
  }
  return p === stop;
}

/** A token's characters, for canonical() (the general reader's tokens are text). */
const tokenBytes = new Uint8Array(MAX_TOKEN);

/**
 * The endpoint of a whole token of text when it is a canonical `a.b.c.d.port`
 * (the same object as ipv4EndpointAt() gives for its bytes, made here if new);
 * null for any other token. `token` is kept by the endpoint made: a string of
 * its own, not a slice of a bigger text.
 */
export function ipv4EndpointOfToken(token: string): Endpoint | null {
  const n = token.length;
  if (n === 0 || n > MAX_TOKEN) return null;
  // Packed as ipv4EndpointAt() packs bytes: eight characters to a word.
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c !== DOT && (c - 48) >>> 0 > 9) return null;
    if (i < 8) k0 = (k0 << 4) | (c & 15);
    else if (i < 16) k1 = (k1 << 4) | (c & 15);
    else k2 = (k2 << 4) | (c & 15);
    tokenBytes[i] = c;
  }
  let ep = find(k0, k1, k2, n);
  if (ep === null) {
    if (!canonical(tokenBytes, 0, n)) return null;
    ep = interned({ host: token.slice(0, hostEnd), port });
    enter(k0, k1, k2, n, ep);
  }
  return ep;
}

/** The endpoint entered for these four numbers, or null. */
function find(k0: number, k1: number, k2: number, n: number): Endpoint | null {
  const keys = tokenKeys;
  for (let s = hashOf(k0, k1, k2, n) & mask; ; s = (s + 1) & mask) {
    const at = 4 * s;
    const len = keys[at + 3] as number;
    if (len === 0) return null;
    if (len === n && keys[at] === k0 && keys[at + 1] === k1 && keys[at + 2] === k2)
      return tokenEndpoints[s] as Endpoint;
  }
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
