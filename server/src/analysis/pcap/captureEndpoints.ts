// The endpoints of the direct capture path, as small numbers (ids) for the
// numbering tables and as the Endpoint objects of the segments.
import type { Endpoint } from '../model';
import { endpointAt } from '../parse/endpoints';
import { ipv4Text } from './address';
import { PairSlots } from './pairSlots';

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
  /** IPv4 endpoints by (port, address): their slot's id. */
  private readonly v4 = new PairSlots();
  private readonly v4Ids: number[] = [];
  private readonly byToken = new Map<string, number>();
  private readonly byObject = new Map<Endpoint, number>();

  ipv4(b: Uint8Array, at: number, port: number): number {
    const addr = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    const slot = this.v4.add(port, addr);
    if (slot < this.v4Ids.length) return this.v4Ids[slot];
    const id = this.tokenId(ipv4Text(b, at), port);
    this.v4Ids.push(id);
    return id;
  }

  ipv6(host: string, port: number): number {
    return this.tokenId(host, port);
  }

  /**
   * The text parser's own object for an id made from fields: records handed to
   * its code (the -S vote keys on identity too) must carry the objects it would.
   */
  interned(id: number): Endpoint {
    const ep = this.byId[id] as Endpoint;
    const token = `${ep.host}.${ep.service ?? ep.port}`;
    const shared = endpointAt(token, 0, token.length) as Endpoint;
    this.byObject.set(shared, id);
    return shared;
  }

  /** The id of an endpoint the text parser read. */
  of(ep: Endpoint): number {
    let id = this.byObject.get(ep);
    if (id !== undefined) return id;
    const token = `${ep.host}.${ep.service ?? ep.port}`;
    if (endpointAt(token, 0, token.length) === ep) {
      id = this.byToken.get(token);
      if (id === undefined) {
        id = this.add(ep);
        this.byToken.set(token, id);
      }
    } else id = this.add(ep);
    this.byObject.set(ep, id);
    return id;
  }

  private tokenId(host: string, port: number): number {
    const token = `${host}.${port}`;
    let id = this.byToken.get(token);
    if (id === undefined) {
      const ep = { host, port };
      id = this.add(ep);
      this.byToken.set(token, id);
      // Lines read from text later may carry this object (held records do).
      this.byObject.set(ep, id);
    }
    return id;
  }

  private add(ep: Endpoint): number {
    this.byId.push(ep);
    return this.byId.length - 1;
  }
}
