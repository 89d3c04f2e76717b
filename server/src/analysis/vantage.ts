// Where was the capture taken? A host capture sees its own segments before the
// wire (bad checksums from offload, oversized TSO segments, initial TTLs) and
// the handshake with a lopsided timing: at the client SYN→SYN-ACK takes a whole
// RTT and SYN-ACK→ACK almost nothing; at the server the other way round.
import type { Endpoint, Segment, VantagePoint } from './model';
import { ACK, RST, SYN } from './model';
import { seqAdd } from './seq';
import { runToEnd } from './steps';

export interface VantageGuess {
  readonly vantage: VantagePoint;
  /** Why, in one sentence (for the CLI and hovers). */
  readonly reason: string;
}

const INITIAL_TTLS = new Set([32, 64, 128, 255]);
/** Handshakes sampled: enough for a vote, bounded for huge traces. */
const MAX_HANDSHAKES = 4096;
/** Segments looked at. */
export const MAX_SCANNED = 200000;
/**
 * Endpoint numbers of a pair key: below this (ids stay far below: a vote reads MAX_SCANNED segments,
 * and a numbering kept across votes adds only the endpoints that edits bring).
 */
const PAIR_FACTOR = 2 ** 26;
/** Below this total the handshake is local (loopback): no information. */
const MIN_RTT_SECONDS = 0.001;

interface Pending {
  synTime: number;
  synAckTime: number;
  expectAck: number;
}

export function detectVantage(segs: readonly Segment[]): VantageGuess {
  return runToEnd(detectVantageInSteps(segs, Number.MAX_SAFE_INTEGER));
}

/** detectVantage(), pausing after every `stepSize` segments. */
export function* detectVantageInSteps(
  segs: readonly Segment[],
  stepSize = 8192,
): Generator<void, VantageGuess, void> {
  return yield* voteInSteps(segs.length, (i) => segs[i], stepSize);
}

/**
 * The vote over `count` segments read by index, pausing after every `stepSize`
 * (the language server votes again after an edit, on the edited segments
 * before they are written into the trace's array).
 */
export function* voteInSteps(
  count: number,
  segmentAt: (index: number) => Segment,
  stepSize: number,
  ids: EndpointIds = new EndpointIds(),
): Generator<void, VantageGuess, void> {
  const vote = new VantageVote(ids);
  // The vote settles long before the end of a big trace: look at its beginning only.
  const limit = Math.min(count, MAX_SCANNED);
  for (let from = 0; from < limit; from += stepSize) {
    if (from > 0) yield;
    addRange(vote, segmentAt, from, Math.min(limit, from + stepSize));
  }
  return vote.result();
}

/** Segments [from, to) into the vote: a plain function, whose loop V8 optimises (none in a generator's body). */
function addRange(vote: VantageVote, segmentAt: (index: number) => Segment, from: number, to: number): void {
  for (let i = from; i < to; i++) vote.add(segmentAt(i));
}

/**
 * A small number per distinct `host|port`, for the vote's pair keys: by object first (parsers
 * share one object per address and port), so that no key string is built for an object seen
 * before. Any numbering that gives one endpoint one number votes the same, so the language
 * server keeps one per document and every vote after an edit reuses it (endpointIdsOf): made
 * afresh for each, the ~15,000 endpoints of the 50 MB bench trace's first 200,000 segments cost
 * a key string and two map entries each, per ack edit, and as the vote spans many slices they
 * outlived the young generation (~150 KB promoted per vote, 26 MB over 150 ack edits).
 */
export class EndpointIds {
  private readonly byObject = new Map<Endpoint, number>();
  private readonly byText = new Map<string, number>();

  of(e: Endpoint): number {
    let id = this.byObject.get(e);
    if (id === undefined) {
      const text = `${e.host}|${e.port}`;
      id = this.byText.get(text);
      if (id === undefined) {
        id = this.byText.size;
        this.byText.set(text, id);
      }
      this.byObject.set(e, id);
    }
    return id;
  }

  /** How many endpoint objects are numbered (for tests). */
  get objects(): number {
    return this.byObject.size;
  }
}

/** Numberings kept per owner: the segments array an analysis and the edits after it share. */
const kept = new WeakMap<object, EndpointIds>();

/** The numbering kept for `owner` (made on first use; dropped with the owner). */
export function endpointIdsOf(owner: object): EndpointIds {
  let ids = kept.get(owner);
  if (ids === undefined) kept.set(owner, (ids = new EndpointIds()));
  return ids;
}

/**
 * The vote of detectVantage(), one segment at a time: add() the trace's first
 * MAX_SCANNED segments (or all of a shorter trace) in order, then result().
 */
export class VantageVote {
  /** SYN times by (client, server) pair (pairKey). */
  private readonly syns = new Map<number, number>();
  private readonly pending = new Map<number, Pending>();
  /** Endpoint numbers (endpointId) of the clients. */
  private readonly clients = new Set<number>();
  /**
   * Acks that may complete a pending handshake: a numeric test before any endpoint is
   * looked up (never shrunk: two pending handshakes can expect the same ack).
   */
  private readonly expectAcks = new Set<number>();
  /** Marks the low 16 bits of every ack in expectAcks: most acks are ruled out by one array read. */
  private readonly expectLow = new Uint8Array(1 << 16);
  private client = 0;
  private server = 0;
  private middle = 0;
  private badClient = 0;
  private badServer = 0;
  private goodClient = 0;
  private goodServer = 0;
  private ttlClientInitial = 0;
  private ttlClientDecremented = 0;
  private ttlServerInitial = 0;
  private ttlServerDecremented = 0;
  private handshakes = 0;

  constructor(private readonly ids: EndpointIds = new EndpointIds()) {}

  private endpointId(e: Endpoint): number {
    return this.ids.of(e);
  }

  /** The key of the ordered endpoint pair (from, to). */
  private pairKey(from: Endpoint, to: Endpoint): number {
    return this.endpointId(from) * PAIR_FACTOR + this.endpointId(to);
  }

  private isClient(e: Endpoint): boolean {
    return this.clients.has(this.endpointId(e));
  }

  add(s: Segment): void {
    const f = s.flags;
    if ((f & (SYN | ACK | RST)) === SYN && s.time !== null && this.syns.size < MAX_HANDSHAKES) {
      this.syns.set(this.pairKey(s.src, s.dst), s.time);
      this.clients.add(this.endpointId(s.src));
    } else if ((f & (SYN | ACK | RST)) === (SYN | ACK) && s.time !== null && s.seq !== null) {
      const key = this.pairKey(s.dst, s.src);
      const t = this.syns.get(key);
      if (t !== undefined) {
        const expect = seqAdd(s.seq, 1);
        this.pending.set(key, { synTime: t, synAckTime: s.time, expectAck: expect });
        this.expectAcks.add(expect);
        this.expectLow[expect & 0xffff] = 1;
      }
    } else if (
      (f & (SYN | ACK | RST)) === ACK &&
      s.time !== null &&
      this.pending.size > 0 &&
      this.handshakes < MAX_HANDSHAKES &&
      s.ack !== null &&
      this.expectLow[s.ack & 0xffff] === 1 &&
      this.expectAcks.has(s.ack)
    ) {
      const key = this.pairKey(s.src, s.dst);
      const p = this.pending.get(key);
      if (p !== undefined && s.ack === p.expectAck) {
        this.pending.delete(key);
        this.handshakes++;
        const t1 = p.synAckTime - p.synTime;
        const t2 = s.time - p.synAckTime;
        // Both ends on one host (loopback): the capture is at both; timing says nothing.
        if (t1 + t2 >= MIN_RTT_SECONDS && s.src.host !== s.dst.host) {
          if (t2 < t1 * 0.1) this.client++;
          else if (t1 < t2 * 0.1) this.server++;
          else this.middle++;
        }
      }
    }
    if ((s.badChecksum !== null || s.ip?.ttl !== undefined) && this.clients.size > 0) {
      const fromClient = this.isClient(s.src);
      const fromServer = this.isClient(s.dst);
      if (fromClient || fromServer) {
        if (s.badChecksum === true) {
          if (fromClient) this.badClient++;
          else this.badServer++;
        } else if (s.badChecksum === false) {
          if (fromClient) this.goodClient++;
          else this.goodServer++;
        }
        const ttl = s.ip?.ttl;
        if (ttl !== undefined) {
          const initial = INITIAL_TTLS.has(ttl);
          if (fromClient) {
            if (initial) this.ttlClientInitial++;
            else this.ttlClientDecremented++;
          } else if (initial) this.ttlServerInitial++;
          else this.ttlServerDecremented++;
        }
      }
    }
  }

  result(): VantageGuess {
    const reasons: string[] = [];
    let client = this.client;
    let server = this.server;
    let middle = this.middle;
    // Checksum offload: only the capturing host's own segments carry bad checksums.
    if (this.badClient > 0 && this.badServer === 0 && this.goodServer > 0) {
      client += 2;
      reasons.push(
        `only the clients' segments have bad checksums (${this.badClient}; offload on the capturing host)`,
      );
    } else if (this.badServer > 0 && this.badClient === 0 && this.goodClient > 0) {
      server += 2;
      reasons.push(
        `only the servers' segments have bad checksums (${this.badServer}; offload on the capturing host)`,
      );
    }
    if (
      this.ttlClientInitial > 0 &&
      this.ttlClientDecremented === 0 &&
      this.ttlServerDecremented > 0 &&
      this.ttlServerInitial === 0
    ) {
      client += 2;
      reasons.push('the clients send with an initial TTL, the servers’ TTLs arrive decremented');
    } else if (
      this.ttlServerInitial > 0 &&
      this.ttlServerDecremented === 0 &&
      this.ttlClientDecremented > 0 &&
      this.ttlClientInitial === 0
    ) {
      server += 2;
      reasons.push('the servers send with an initial TTL, the clients’ TTLs arrive decremented');
    } else if (
      this.ttlClientDecremented > 0 &&
      this.ttlServerDecremented > 0 &&
      this.ttlClientInitial === 0 &&
      this.ttlServerInitial === 0
    ) {
      middle += 2;
      reasons.push('both sides’ TTLs arrive decremented');
    }
    if (client + server + middle > 0 && this.handshakes > 0) {
      reasons.push(`handshake timing votes client ${client} / server ${server} / middle ${middle}`);
    }
    const best = Math.max(client, server, middle);
    const second = client + server + middle - best - Math.min(client, server, middle);
    // A clear majority only: a few slow handshakes on a busy host must not decide it.
    if (best === 0 || best < 2 * second) {
      return { vantage: 'unknown', reason: 'the trace does not tell where it was captured' };
    }
    const vantage: VantagePoint =
      client === best ? (server === best ? 'unknown' : 'client') : server === best ? 'server' : 'middle';
    return { vantage, reason: reasons.join('; ') };
  }
}
