// tcpdump's relative numbers replayed over many interleaved connections: the
// normaliser finds a line's numbering entry through the last entry of either
// endpoint (a client's endpoint is in one connection, a server's in many), so
// connections that share a server, and endpoints in more than one connection,
// must still read back the numbers on the wire, with and without the fast reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TraceParser } from '../../../server/src/analysis/parse';
import type { Segment } from '../../../server/src/analysis/model';

interface Wire {
  readonly src: string;
  readonly dst: string;
  readonly flags: string;
  readonly seq: number;
  readonly ack: number | null;
  readonly len: number;
}

/** One connection's segments on the wire: handshake, then data both ways. */
function connection(
  client: string,
  server: string,
  isnC: number,
  isnS: number,
  exchanges: readonly { c2s: boolean; len: number }[],
): Wire[] {
  let nextC = (isnC + 1) >>> 0;
  let nextS = (isnS + 1) >>> 0;
  const out: Wire[] = [
    { src: client, dst: server, flags: 'S', seq: isnC, ack: null, len: 0 },
    { src: server, dst: client, flags: 'S.', seq: isnS, ack: nextC, len: 0 },
  ];
  for (const x of exchanges) {
    const flags = x.len > 0 ? 'P.' : '.';
    if (x.c2s) out.push({ src: client, dst: server, flags, seq: nextC, ack: nextS, len: x.len });
    else out.push({ src: server, dst: client, flags, seq: nextS, ack: nextC, len: x.len });
    if (x.c2s) nextC = (nextC + x.len) >>> 0;
    else nextS = (nextS + x.len) >>> 0;
  }
  return out;
}

/** The lines as tcpdump prints them without -S: one entry of bases per address pair. */
function render(segments: readonly Wire[]): string {
  const bases = new Map<string, { a: string; baseA: number; baseB: number }>();
  return segments
    .map((s, i) => {
      const key = s.src < s.dst ? `${s.src} ${s.dst}` : `${s.dst} ${s.src}`;
      let seq = s.seq;
      let ack = s.ack;
      if (ack !== null) {
        const e = bases.get(key);
        if (e === undefined || s.flags.includes('S'))
          bases.set(key, { a: s.src, baseA: s.seq, baseB: (ack - 1) >>> 0 });
        else {
          const mine = e.a === s.src;
          seq = (s.seq - (mine ? e.baseA : e.baseB)) >>> 0;
          ack = (ack - (mine ? e.baseB : e.baseA)) >>> 0;
        }
      }
      const seqText = s.len > 0 ? `, seq ${seq}:${(seq + s.len) >>> 0}` : `, seq ${seq}`;
      const ackText = ack === null ? '' : `, ack ${ack}`;
      const t = `10:00:${String(Math.floor(i / 1e6) % 60).padStart(2, '0')}.${String(i % 1e6).padStart(6, '0')}`;
      return `${t} IP ${s.src} > ${s.dst}: Flags [${s.flags}]${seqText}${ackText}, win 512, length ${s.len}\n`;
    })
    .join('');
}

function parse(text: string, spans: boolean): Segment[] {
  const segments: Segment[] = [];
  const parser = new TraceParser({ spans, onSegment: (s) => segments.push(s) });
  if (spans) parser.push(text);
  else parser.pushBytes(new TextEncoder().encode(text));
  parser.finish();
  return segments;
}

test('interleaved connections that share servers and clients read back the numbers on the wire', () => {
  const isn = fc.integer({ min: 2 ** 20, max: 2 ** 32 - 2 ** 20 - 1 });
  const conn = fc.record({
    client: fc.integer({ min: 0, max: 5 }),
    server: fc.integer({ min: 0, max: 2 }),
    isnC: isn,
    isnS: isn,
    exchanges: fc.array(fc.record({ c2s: fc.boolean(), len: fc.integer({ min: 0, max: 3000 }) }), {
      maxLength: 12,
    }),
  });
  fc.assert(
    fc.property(
      fc.array(conn, { minLength: 1, maxLength: 12 }),
      fc.infiniteStream(fc.nat()),
      (conns, picks) => {
        // One connection per address pair (a pair used again would be a new incarnation).
        const pairs = new Set<string>();
        const queues: Wire[][] = [];
        for (const c of conns) {
          const client = `10.1.0.${c.client}.4000${c.client}`;
          const server = `10.9.0.${c.server}.443`;
          if (pairs.has(`${client} ${server}`)) continue;
          pairs.add(`${client} ${server}`);
          queues.push(connection(client, server, c.isnC, c.isnS, c.exchanges));
        }
        // Interleaved at random, each connection in its own order.
        const wire: Wire[] = [];
        const pick = picks[Symbol.iterator]();
        for (let left = queues.length; left > 0;) {
          const open = queues.filter((q) => q.length > 0);
          const q = open[(pick.next().value as number) % open.length] as Wire[];
          wire.push(q.shift() as Wire);
          if (q.length === 0) left--;
        }
        const text = render(wire);
        for (const spans of [true, false]) {
          const got = parse(text, spans);
          assert.deepEqual(
            got.map((s) => [s.seq, s.ack, s.len]),
            wire.map((s) => [s.seq, s.ack, s.len]),
            `spans ${spans}`,
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});
