// tcpdump's relative sequence numbers (print-tcp.c, without -S). Only packets
// with ACK take part. The conversation is keyed by its address/port pair in a
// fixed order (the lower port first; on equal ports the lower address): a
// packet whose conversation is unknown, or any SYN, (re)sets the entry from
// its own numbers and prints them absolute; later packets print seq and ack
// relative to the entry. SACK edges are always taken relative to the entry
// (even the one the packet just created), and are absolute without ACK.

export interface SeqBases {
  /** Base of the sequence space of the key's first endpoint. */
  seq: number;
  /** Base of the sequence space of the key's second endpoint. */
  ack: number;
}

export interface Numbered {
  seq: number;
  ack: number;
  /** What SACK edges are relative to. */
  sackBase: number;
}

interface Entry extends SeqBases {
  /** The key's endpoints: IPv4 addresses as numbers, IPv6 as text (never equal across versions). */
  readonly a: number | string;
  readonly b: number | string;
  next: Entry | undefined;
}

export class SeqTable {
  /** Conversations by their port pair (key order), chained on equal ports: no key strings per packet. */
  private readonly table = new Map<number, Entry>();

  /**
   * Applies tcpdump's rule to one packet with ACK. `a`/`b` and `ports`
   * (first port × 65536 + second) name the conversation in key order;
   * `reversed` says the sender is the key's second endpoint.
   */
  number(
    a: number | string,
    b: number | string,
    ports: number,
    reversed: boolean,
    syn: boolean,
    seq: number,
    ack: number,
    out: Numbered,
  ): void {
    const head = this.table.get(ports);
    let th = head;
    while (th !== undefined && (th.a !== a || th.b !== b)) th = th.next;
    if (th === undefined || syn) {
      const seqBase = reversed ? (ack - 1) >>> 0 : seq;
      const ackBase = reversed ? seq : (ack - 1) >>> 0;
      if (th === undefined) {
        th = { a, b, seq: seqBase, ack: ackBase, next: head };
        this.table.set(ports, th);
      } else {
        th.seq = seqBase;
        th.ack = ackBase;
      }
      out.seq = seq;
      out.ack = ack;
    } else if (reversed) {
      out.seq = (seq - th.ack) >>> 0;
      out.ack = (ack - th.seq) >>> 0;
    } else {
      out.seq = (seq - th.seq) >>> 0;
      out.ack = (ack - th.ack) >>> 0;
    }
    out.sackBase = reversed ? th.seq : th.ack;
  }
}

/** tcpdump's order: the sender is "reversed" when its port is higher, or on equal ports its address bytes are. */
export function isReversed(
  b: Uint8Array,
  srcAt: number,
  dstAt: number,
  addrLen: number,
  sport: number,
  dport: number,
): boolean {
  if (sport !== dport) return sport > dport;
  for (let i = 0; i < addrLen; i++) {
    const d = b[srcAt + i] - b[dstAt + i];
    if (d !== 0) return d > 0;
  }
  return false;
}
