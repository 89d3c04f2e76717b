// tcpdump's relative sequence numbers (print-tcp.c, without -S) and the
// capture's conversations they are kept in. Only packets with ACK take part.
// The conversation is keyed by its address/port pair in a fixed order (the
// lower port first; on equal ports the lower address): a packet whose
// conversation has no entry yet, or any SYN, (re)sets the entry from its own
// numbers and prints them absolute; later packets print seq and ack relative
// to the entry. SACK edges are always taken relative to the entry (even the
// one the packet just created), and are absolute without ACK.
//
// One record per conversation, keyed by the raw address bytes and ports in
// that order, holds tcpdump's bases and what the direct path keeps for the
// pair (endpoint ids, the normaliser's slot) in one stretch of an Int32Array:
// a packet finds all it needs with one hash probe and its record, where a map
// and arrays per item cost a cache miss each on a big capture.

export interface Numbered {
  seq: number;
  ack: number;
  /** What SACK edges are relative to. */
  sackBase: number;
}

/** Words per record. */
const STRIDE = 16;
/** Conversation number + 1 (0: a free slot). */
const USED = 0;
/** First port << 16 | second port (key order). */
const PORTS = 1;
/** IP version in the low byte, the record's flags (ConversationFlag) above. */
export const KIND = 2;
/** Addresses in key order, 4 words each (IPv4: the first word only). */
const ADDR_A = 3;
const ADDR_B = 7;
/** tcpdump's bases: of the first endpoint's sequence space, and of the second's. */
export const SEQ_BASE = 11;
export const ACK_BASE = 12;
/** The normaliser's slot of the endpoint pair (CaptureNumbering), -1 until made. */
export const PAIR = 13;
/** Endpoint ids (CaptureEndpoints) of the first and second endpoint, once Endpoints is set. */
export const ID_A = 14;
export const ID_B = 15;

/** Flags in the KIND word. */
export const enum ConversationFlag {
  /** tcpdump has an entry for the pair (made by its first packet with ACK). */
  Numbered = 1 << 8,
  /** ID_A/ID_B are set. */
  Endpoints = 2 << 8,
  /**
   * The bases have been numbered only by the direct path since it last
   * compared them with the normaliser's entry (CaptureNumbering.sync): the
   * long way (TcpDecoder.decode) clears it when it numbers a packet.
   */
  Checked = 4 << 8,
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

/** Hash of a key laid out as in a record: the addresses at `at + ADDR_A` and `at + ADDR_B`. */
function hashKey(k: Int32Array, at: number, ports: number, version: number): number {
  let h = Math.imul(ports ^ version, 0x9e3779b1);
  const n = version === 4 ? 1 : 4;
  for (let i = 0; i < n; i++)
    h =
      Math.imul(h ^ k[at + ADDR_A + i], 0x85ebca6b) ^ Math.imul(k[at + ADDR_B + i] ^ (h >>> 15), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class Conversations {
  /**
   * The records, STRIDE words each in order of appearance (conversation n at n ×
   * STRIDE, the offset find() returns), grown by doubling at the end. Kept apart
   * from the hash places: records in the places themselves, half of them free,
   * took 4 MB for the 1M bench trace's 25,210 conversations instead of 1.6 MB.
   */
  words = new Int32Array(1024 * STRIDE);
  /** Conversations so far, numbered 0 … size − 1 in order of appearance. */
  size = 0;
  /** Open-addressed hash places: conversation number + 1 (0: free), at most half of them used. */
  private places = new Int32Array(2048);
  /** The key of the packet in hand, laid out as in a record. */
  private readonly key = new Int32Array(STRIDE);

  /**
   * The offset in `words` of the record of the conversation between these
   * endpoints (made when new), valid until the next call. `reversed`: the
   * source is the key's second endpoint (isReversed).
   */
  find(
    b: Uint8Array,
    version: number,
    srcAt: number,
    dstAt: number,
    sport: number,
    dport: number,
    reversed: boolean,
  ): number {
    const k = this.key;
    const aAt = reversed ? dstAt : srcAt;
    const bAt = reversed ? srcAt : dstAt;
    const ports = reversed ? (dport << 16) | sport : (sport << 16) | dport;
    const v4 = version === 4;
    for (let i = 0; i < (v4 ? 1 : 4); i++) {
      const o = 4 * i;
      k[ADDR_A + i] = (b[aAt + o] << 24) | (b[aAt + o + 1] << 16) | (b[aAt + o + 2] << 8) | b[aAt + o + 3];
      k[ADDR_B + i] = (b[bAt + o] << 24) | (b[bAt + o + 1] << 16) | (b[bAt + o + 2] << 8) | b[bAt + o + 3];
    }
    const h = hashKey(k, 0, ports, version);
    const words = this.words;
    const places = this.places;
    const mask = places.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const n = places[i];
      if (n === 0) return this.make(i, version, ports);
      const at = (n - 1) * STRIDE;
      if (
        words[at + PORTS] === ports &&
        (words[at + KIND] & 0xff) === version &&
        words[at + ADDR_A] === k[ADDR_A] &&
        words[at + ADDR_B] === k[ADDR_B] &&
        (v4 ||
          (words[at + ADDR_A + 1] === k[ADDR_A + 1] &&
            words[at + ADDR_A + 2] === k[ADDR_A + 2] &&
            words[at + ADDR_A + 3] === k[ADDR_A + 3] &&
            words[at + ADDR_B + 1] === k[ADDR_B + 1] &&
            words[at + ADDR_B + 2] === k[ADDR_B + 2] &&
            words[at + ADDR_B + 3] === k[ADDR_B + 3]))
      )
        return at;
    }
  }

  /** The conversation number of the record at `at`. */
  number(at: number): number {
    return this.words[at + USED] - 1;
  }

  /** Makes the key's record, the next conversation, in free hash place `place`. */
  private make(place: number, version: number, ports: number): number {
    const at = this.size * STRIDE;
    if (at + STRIDE > this.words.length) {
      const words = new Int32Array(2 * this.words.length);
      words.set(this.words);
      this.words = words;
    }
    const k = this.key;
    if (version === 4) k.fill(0, ADDR_A + 1, ADDR_A + 4).fill(0, ADDR_B + 1, ADDR_B + 4);
    k[USED] = ++this.size;
    k[PORTS] = ports;
    k[KIND] = version;
    k[PAIR] = -1;
    this.words.set(k, at);
    this.places[place] = this.size;
    if (this.size * 2 > this.places.length) this.rehash();
    return at;
  }

  /** Twice the hash places, each record placed again by its key. */
  private rehash(): void {
    const words = this.words;
    const places = new Int32Array(2 * this.places.length);
    const mask = places.length - 1;
    for (let n = 0; n < this.size; n++) {
      const at = n * STRIDE;
      let i = hashKey(words, at, words[at + PORTS], words[at + KIND] & 0xff) & mask;
      while (places[i] !== 0) i = (i + 1) & mask;
      places[i] = n + 1;
    }
    this.places = places;
  }
}

/** tcpdump's numbers for a packet with ACK of the conversation whose record is at `at`. */
export function numberInConversation(
  words: Int32Array,
  at: number,
  reversed: boolean,
  syn: boolean,
  seq: number,
  ack: number,
  out: Numbered,
): void {
  const kind = words[at + KIND];
  if (syn || (kind & ConversationFlag.Numbered) === 0) {
    words[at + KIND] = kind | ConversationFlag.Numbered;
    // Int32Array keeps the low 32 bits: ack − 1 of 0 is 0xffffffff, as tcpdump's unsigned arithmetic.
    words[at + SEQ_BASE] = reversed ? ack - 1 : seq;
    words[at + ACK_BASE] = reversed ? seq : ack - 1;
    out.seq = seq;
    out.ack = ack;
  } else {
    out.seq = (seq - words[at + (reversed ? ACK_BASE : SEQ_BASE)]) >>> 0;
    out.ack = (ack - words[at + (reversed ? SEQ_BASE : ACK_BASE)]) >>> 0;
  }
  out.sackBase = words[at + (reversed ? SEQ_BASE : ACK_BASE)] >>> 0;
}
