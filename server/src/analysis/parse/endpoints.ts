// `host.port` tokens → shared Endpoint objects. A trace names the same few
// endpoints over and over, so they are interned: one object per distinct token.
import type { Endpoint } from '../model';
import { asciiText } from './bytes';
import { detach, detachedSlice, digitsEnd, digitsValue } from './scan';
import { servicePort } from './services';
import { ipv4EndpointOfToken } from './dottedQuads';
import { interned } from './endpointNumbers';

export { endpointNumber } from './endpointNumbers';

const cache = new Map<string, Endpoint>();
// Never cleared: the numbering tables key on endpoint identity, so one text must
// always give the same object (its size is the number of distinct endpoints seen).
// Canonical `a.b.c.d.port` tokens are not in it: dottedQuads.ts's table holds them
// (the fast reader's), and endpointOfToken() asks that one first.

/** Why endpointAt() failed, for the parse-error message. */
export let endpointProblem = '';
/** Offset of the bad part within the address token (0: the whole token). */
export let endpointProblemAt = 0;

/**
 * Reads `host.port` in [start, stop) (split on the last dot, formats doc §6.2).
 * Returns null (and sets endpointProblem) when there is no port.
 */
export function endpointAt(text: string, start: number, stop: number): Endpoint | null {
  // A direct-mapped table of the tokens seen, probed without building the key string:
  // a hit costs one pass to hash ~20 characters, one to compare, and no allocation.
  // (Trying the last endpoints first cost more than it saved: packets of many
  // connections interleave, and addresses share long prefixes.)
  let h = 0;
  for (let i = start; i < stop; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const slot = (h ^ (h >>> 15)) & SLOT_MASK;
  const key = slotKeys[slot];
  if (key !== undefined && key.length === stop - start) {
    let same = true;
    for (let i = 0; i < key.length; i++) {
      if (key.charCodeAt(i) !== text.charCodeAt(start + i)) {
        same = false;
        break;
      }
    }
    if (same) return slotEndpoints[slot] as Endpoint;
  }
  // Kept in the caches for the whole run: a copy, not a view into the trace text.
  const text2 = detachedSlice(text, start, stop);
  const ep = endpointOfToken(text, start, stop, text2);
  if (ep !== null) {
    slotKeys[slot] = text2;
    slotEndpoints[slot] = ep;
  }
  return ep;
}

/**
 * endpointAt() over the ASCII bytes [start, stop) of a line: the same table, the
 * same hash (a byte is its character's code), the same object for the same token.
 */
export function endpointAtBytes(b: Uint8Array, start: number, stop: number): Endpoint | null {
  let h = 0;
  for (let i = start; i < stop; i++) h = (Math.imul(h, 31) + (b[i] as number)) | 0;
  const slot = (h ^ (h >>> 15)) & SLOT_MASK;
  const key = slotKeys[slot];
  if (key !== undefined && key.length === stop - start) {
    let same = true;
    for (let i = 0; i < key.length; i++) {
      if (key.charCodeAt(i) !== b[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return slotEndpoints[slot] as Endpoint;
  }
  // A new string of its own (nothing else refers to the bytes).
  const token = asciiText(b, start, stop);
  const ep = endpointOfToken(token, 0, token.length, token);
  if (ep !== null) {
    slotKeys[slot] = token;
    slotEndpoints[slot] = ep;
  }
  return ep;
}

const SLOT_MASK = 65535;
const slotKeys: (string | undefined)[] = new Array<string | undefined>(SLOT_MASK + 1).fill(undefined);
const slotEndpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(SLOT_MASK + 1).fill(
  undefined,
);

function endpointOfToken(text: string, start: number, stop: number, key: string): Endpoint | null {
  const ipv4 = ipv4EndpointOfToken(key);
  if (ipv4 !== null) return ipv4;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const dot = key.lastIndexOf('.');
  if (dot <= 0 || dot === key.length - 1) {
    endpointProblem = `address '${key}' has no port`;
    endpointProblemAt = 0;
    return null;
  }
  const host = key.slice(0, dot);
  const portStart = start + dot + 1;
  let ep: Endpoint;
  if (digitsEnd(text, portStart, stop) === stop) {
    const port = stop - portStart <= 5 ? digitsValue(text, portStart, stop) : 65536;
    if (port > 65535) {
      endpointProblem = `port '${key.slice(dot + 1)}' is out of range`;
      endpointProblemAt = dot + 1;
      return null;
    }
    ep = interned({ host, port });
  } else {
    const service = key.slice(dot + 1);
    const port = servicePort(service);
    if (port < 0) {
      endpointProblem = `unknown service name '${service}' (print the trace with -n to get port numbers)`;
      endpointProblemAt = dot + 1;
      return null;
    }
    ep = interned({ host, port, service });
  }
  cache.set(key, ep);
  return ep;
}

/** An endpoint from separately printed host and port (tshark, packetdrill). */
export function endpointOf(host: string, port: number, service?: string): Endpoint {
  const key = service === undefined ? `${host}\u0000${port}` : `${host}\u0000${port}\u0000${service}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  // The host and service may be slices of the trace text: cache copies, not views into it.
  const h = detach(host);
  const ep = interned(
    service === undefined ? { host: h, port } : { host: h, port, service: detach(service) },
  );
  cache.set(detach(key), ep);
  return ep;
}
