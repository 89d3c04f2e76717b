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

export class SeqTable {
  private readonly table = new Map<string, SeqBases>();

  /**
   * Applies tcpdump's rule to one packet with ACK. `reversed` says the sender
   * is the key's second endpoint; `key` names the conversation in key order.
   */
  number(key: string, reversed: boolean, syn: boolean, seq: number, ack: number, out: Numbered): void {
    let th = this.table.get(key);
    if (th === undefined || syn) {
      th = reversed ? { seq: (ack - 1) >>> 0, ack: seq } : { seq, ack: (ack - 1) >>> 0 };
      this.table.set(key, th);
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
