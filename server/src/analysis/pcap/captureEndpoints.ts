// The endpoints of the direct capture path, as small numbers (ids) for the
// numbering tables and as the Endpoint objects of the segments.
import type { Endpoint } from '../model';
import { endpointAt } from '../parse/endpoints';
import { ipv4Text } from './address';
import { PairSlots } from '../tables/pairSlots';

/**
 * Endpoint ids that stand for identity as the text parser has it: the text
 * path's numbering tables key on Endpoint objects, and its parser interns one
 * object per `host.port` token. So two endpoints share an id exactly when
 * the text path would have one object for them: the same token, whether the
 * line was built from its fields or read from its text (and an object the
 * parser made otherwise, tshark style, gets an id of its own).
 */
export class CaptureEndpoints {
  /** Endpoints by id. */
  readonly byId: Endpoint[] = [];
  /** IPv4 endpoints (token `a.b.c.d.port`) by (port, address): their slot's id. */
  private readonly v4 = new PairSlots();
  private readonly v4Ids: number[] = [];
  /**
   * IPv4 addresses' text by address: one string per host, not per endpoint (the 1M bench
   * capture's 25,000 client endpoints come from a few dozen hosts; each endpoint lives to the end).
   */
  private readonly v4Hosts = new Map<number, string>();
  /** Other endpoints by token. */
  private readonly byToken = new Map<string, number>();
  /** Endpoints the text parser made, by object. */
  private readonly byObject = new Map<Endpoint, number>();
  private readonly internedById: (Endpoint | undefined)[] = [];

  ipv4(b: Uint8Array, at: number, port: number): number {
    const addr = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    const slot = this.v4.add(port, addr);
    if (slot < this.v4Ids.length) return this.v4Ids[slot];
    let host = this.v4Hosts.get(addr);
    if (host === undefined) {
      host = ipv4Text(b, at);
      this.v4Hosts.set(addr, host);
    }
    const id = this.add({ host, port });
    this.v4Ids.push(id);
    return id;
  }

  ipv6(host: string, port: number): number {
    const token = `${host}.${port}`;
    let id = this.byToken.get(token);
    if (id === undefined) {
      id = this.add({ host, port });
      this.byToken.set(token, id);
    }
    return id;
  }

  /**
   * The text parser's own object for an id made from fields: records handed to
   * its code (the -S vote keys on identity too) must carry the objects it would.
   */
  interned(id: number): Endpoint {
    let shared = this.internedById[id];
    if (shared === undefined) {
      const ep = this.byId[id] as Endpoint;
      const token = `${ep.host}.${ep.service ?? ep.port}`;
      shared = endpointAt(token, 0, token.length) as Endpoint;
      this.internedById[id] = shared;
      this.byObject.set(shared, id);
    }
    return shared;
  }

  /** The id of an endpoint the text parser read. */
  of(ep: Endpoint): number {
    let id = this.byObject.get(ep);
    if (id !== undefined) return id;
    const token = `${ep.host}.${ep.service ?? ep.port}`;
    if (endpointAt(token, 0, token.length) !== ep) id = this.add(ep);
    else {
      const addr = ep.service === undefined ? ipv4Value(ep.host) : null;
      if (addr !== null) {
        const slot = this.v4.add(ep.port, addr);
        if (slot < this.v4Ids.length) id = this.v4Ids[slot] as number;
        else {
          id = this.add(ep);
          this.v4Ids.push(id);
        }
      } else {
        id = this.byToken.get(token);
        if (id === undefined) {
          id = this.add(ep);
          this.byToken.set(token, id);
        }
      }
    }
    this.byObject.set(ep, id);
    return id;
  }

  private add(ep: Endpoint): number {
    this.byId.push(ep);
    return this.byId.length - 1;
  }
}

/** The address of a dotted quad as ipv4Text() writes it (as a signed 32-bit number), or null. */
function ipv4Value(host: string): number | null {
  const parts = host.split('.');
  if (parts.length !== 4) return null;
  let addr = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^[0-9]{1,3}$/.test(p) || String(v) !== p || v > 255) return null;
    addr = (addr << 8) | v;
  }
  return addr;
}
