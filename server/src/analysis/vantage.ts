// Where was the capture taken? A host capture sees its own segments before the
// wire (bad checksums from offload, oversized TSO segments, initial TTLs) and
// the handshake with a lopsided timing: at the client SYN→SYN-ACK takes a whole
// RTT and SYN-ACK→ACK almost nothing; at the server the other way round.
import type { Segment, VantagePoint } from './model';
import { ACK, RST, SYN } from './model';
import { seqAdd } from './seq';

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
/** Below this total the handshake is local (loopback): no information. */
const MIN_RTT_SECONDS = 0.001;

interface Pending {
  synTime: number;
  synAckTime: number;
  expectAck: number;
}

export function detectVantage(segs: readonly Segment[]): VantageGuess {
  const steps = detectVantageInSteps(segs, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** detectVantage(), pausing after every `stepSize` segments (the language server re-votes after an edit). */
export function* detectVantageInSteps(
  segs: readonly Segment[],
  stepSize = 8192,
): Generator<void, VantageGuess, void> {
  const syns = new Map<string, number>();
  const pending = new Map<string, Pending>();
  const clients = new Set<string>();
  /**
   * Acks that may complete a pending handshake: a numeric test before building any key
   * (never shrunk: two pending handshakes can expect the same ack).
   */
  const expectAcks = new Set<number>();
  let client = 0;
  let server = 0;
  let middle = 0;
  let badClient = 0;
  let badServer = 0;
  let goodClient = 0;
  let goodServer = 0;
  let ttlClientInitial = 0;
  let ttlClientDecremented = 0;
  let ttlServerInitial = 0;
  let ttlServerDecremented = 0;
  let handshakes = 0;
  // The vote settles long before the end of a big trace: look at its beginning only.
  const limit = Math.min(segs.length, MAX_SCANNED);
  let nextPause = stepSize;
  for (let i = 0; i < limit; i++) {
    if (i === nextPause) {
      nextPause += stepSize;
      yield;
    }
    const s = segs[i];
    const f = s.flags;
    if ((f & (SYN | ACK | RST)) === SYN && s.time !== null && syns.size < MAX_HANDSHAKES) {
      syns.set(`${s.src.host}|${s.src.port}|${s.dst.host}|${s.dst.port}`, s.time);
      clients.add(`${s.src.host}|${s.src.port}`);
    } else if ((f & (SYN | ACK | RST)) === (SYN | ACK) && s.time !== null && s.seq !== null) {
      const key = `${s.dst.host}|${s.dst.port}|${s.src.host}|${s.src.port}`;
      const t = syns.get(key);
      if (t !== undefined) {
        pending.set(key, { synTime: t, synAckTime: s.time, expectAck: seqAdd(s.seq, 1) });
        expectAcks.add(seqAdd(s.seq, 1));
      }
    } else if (
      (f & (SYN | ACK | RST)) === ACK &&
      s.time !== null &&
      pending.size > 0 &&
      handshakes < MAX_HANDSHAKES &&
      s.ack !== null &&
      expectAcks.has(s.ack)
    ) {
      const key = `${s.src.host}|${s.src.port}|${s.dst.host}|${s.dst.port}`;
      const p = pending.get(key);
      if (p !== undefined && s.ack === p.expectAck) {
        pending.delete(key);
        handshakes++;
        const t1 = p.synAckTime - p.synTime;
        const t2 = s.time - p.synAckTime;
        // Both ends on one host (loopback): the capture is at both; timing says nothing.
        if (t1 + t2 >= MIN_RTT_SECONDS && s.src.host !== s.dst.host) {
          if (t2 < t1 * 0.1) client++;
          else if (t1 < t2 * 0.1) server++;
          else middle++;
        }
      }
    }
    if ((s.badChecksum !== null || s.ip?.ttl !== undefined) && clients.size > 0) {
      const fromClient = clients.has(`${s.src.host}|${s.src.port}`);
      const fromServer = clients.has(`${s.dst.host}|${s.dst.port}`);
      if (fromClient || fromServer) {
        if (s.badChecksum === true) {
          if (fromClient) badClient++;
          else badServer++;
        } else if (s.badChecksum === false) {
          if (fromClient) goodClient++;
          else goodServer++;
        }
        const ttl = s.ip?.ttl;
        if (ttl !== undefined) {
          const initial = INITIAL_TTLS.has(ttl);
          if (fromClient) {
            if (initial) ttlClientInitial++;
            else ttlClientDecremented++;
          } else if (initial) ttlServerInitial++;
          else ttlServerDecremented++;
        }
      }
    }
  }
  const reasons: string[] = [];
  // Checksum offload: only the capturing host's own segments carry bad checksums.
  if (badClient > 0 && badServer === 0 && goodServer > 0) {
    client += 2;
    reasons.push(
      `only the clients' segments have bad checksums (${badClient}; offload on the capturing host)`,
    );
  } else if (badServer > 0 && badClient === 0 && goodClient > 0) {
    server += 2;
    reasons.push(
      `only the servers' segments have bad checksums (${badServer}; offload on the capturing host)`,
    );
  }
  if (
    ttlClientInitial > 0 &&
    ttlClientDecremented === 0 &&
    ttlServerDecremented > 0 &&
    ttlServerInitial === 0
  ) {
    client += 2;
    reasons.push('the clients send with an initial TTL, the servers’ TTLs arrive decremented');
  } else if (
    ttlServerInitial > 0 &&
    ttlServerDecremented === 0 &&
    ttlClientDecremented > 0 &&
    ttlClientInitial === 0
  ) {
    server += 2;
    reasons.push('the servers send with an initial TTL, the clients’ TTLs arrive decremented');
  } else if (
    ttlClientDecremented > 0 &&
    ttlServerDecremented > 0 &&
    ttlClientInitial === 0 &&
    ttlServerInitial === 0
  ) {
    middle += 2;
    reasons.push('both sides’ TTLs arrive decremented');
  }
  if (client + server + middle > 0 && handshakes > 0) {
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
