// A realistic single connection for the diagram benchmarks: a seeded download
// of N segments written as `tcpdump -n` prints it (relative numbers after the
// handshake, SACK edges relative too). A perfectly regular trace (one length,
// one time step, one window) would flatter any encoding that folds repeats, so
// this one varies what a real bulk transfer varies: MSS-sized and short
// segments, jittered gaps and RTT pauses between flights, delayed and immediate
// ACKs, a drifting receive window, advancing timestamps, losses recovered by
// duplicate ACKs with SACK blocks and a fast retransmission, reordering.
// Usage: import { bulkTransferTrace } from './bulkTransfer.mjs'; bulkTransferTrace(100_000)

import { prng } from '../gen-trace.mjs';

const MSS = 1448;

function clock(usec) {
  const secs = Math.floor(usec / 1e6);
  const us = usec - secs * 1e6;
  const tod = secs % 86400;
  const p2 = (n) => String(n).padStart(2, '0');
  return `${p2(Math.floor(tod / 3600))}:${p2(Math.floor(tod / 60) % 60)}:${p2(tod % 60)}.${String(us).padStart(6, '0')}`;
}

/** The text of a download of exactly `segments` segments (at least 12). */
export function bulkTransferTrace(segments, seed = 7) {
  const rnd = prng(seed);
  const client = '192.168.1.20.51324';
  const server = '203.0.113.5.443';
  const out = [];
  let usec = 1795500000 * 1e6 + Math.floor(rnd() * 1e6);
  const tsBase = { c: Math.floor(rnd() * 4e9), s: Math.floor(rnd() * 4e9) };
  const tsOf = (who) => (tsBase[who] + Math.floor(usec / 1000)) >>> 0;
  let lastTs = { c: 0, s: 0 };
  const ts = (who) => {
    const val = tsOf(who);
    const ecr = who === 'c' ? lastTs.s : lastTs.c;
    lastTs = { ...lastTs, [who]: val };
    return `TS val ${val} ecr ${ecr}`;
  };
  const gap = (meanUs) => {
    usec += 1 + Math.floor(-Math.log(1 - rnd()) * meanUs);
  };
  const line = (from, rest) => {
    const [src, dst] = from === 'c' ? [client, server] : [server, client];
    out.push(`${clock(usec)} IP ${src} > ${dst}: ${rest}`);
  };
  const cIsn = Math.floor(rnd() * 4294967296) >>> 0;
  const sIsn = Math.floor(rnd() * 4294967296) >>> 0;

  line('c', `Flags [S], seq ${cIsn}, win 64240, options [mss 1460,sackOK,${ts('c')},nop,wscale 7], length 0`);
  gap(400);
  line(
    's',
    `Flags [S.], seq ${sIsn}, ack ${(cIsn + 1) >>> 0}, win 65160, options [mss 1460,sackOK,${ts('s')},nop,wscale 7], length 0`,
  );
  gap(400);
  line('c', `Flags [.], ack 1, win 502, options [nop,nop,${ts('c')}], length 0`);
  gap(60);
  const request = 300 + Math.floor(rnd() * 400);
  line(
    'c',
    `Flags [P.], seq 1:${1 + request}, ack 1, win 502, options [nop,nop,${ts('c')}], length ${request}`,
  );
  const cSeq = 1 + request;
  gap(300);
  line('s', `Flags [.], ack ${cSeq}, win 509, options [nop,nop,${ts('s')}], length 0`);

  let next = 1; // the server's next new byte (relative)
  let acked = 1; // the client's cumulative ACK
  let win = 1800 + Math.floor(rnd() * 1200); // scaled by 2^7
  let unacked = 0; // full segments since the client's last ACK
  const teardown = 3;
  const room = () => segments - teardown - out.length;

  // A duplicate ACK keeps the window (else it is a window update, not a duplicate).
  const clientAck = (extra = '', duplicate = false) => {
    if (!duplicate) win = Math.max(300, Math.min(3000, win + Math.floor((rnd() - 0.45) * 60)));
    line('c', `Flags [.], ack ${acked}, win ${win}, options [nop,nop,${ts('c')}${extra}], length 0`);
  };
  const send = (seq, len, push) => {
    line(
      's',
      `Flags [${push ? 'P.' : '.'}], seq ${seq}:${seq + len}, ack ${cSeq}, win 509, options [nop,nop,${ts('s')}], length ${len}`,
    );
  };

  while (room() > 0) {
    // One flight: 4-40 segments back to back, then a pause of about an RTT.
    const flight = 4 + Math.floor(rnd() * 37);
    for (let k = 0; k < flight && room() > 0; k++) {
      const short = rnd() < 0.1;
      const len = short ? 1 + Math.floor(rnd() * (MSS - 1)) : MSS;
      const seq = next;
      next += len;
      gap(short ? 40 : 15);
      const lost = room() > 14 && rnd() < 0.003;
      if (lost) {
        // The segment never reaches the client: the next ones draw duplicate ACKs with SACK blocks,
        // then the server retransmits it and the client acknowledges everything.
        // Everything before the hole arrived: the first ACK after it moves up to the hole, the next three repeat it.
        acked = seq;
        let sackedEnd = next;
        for (let d = 0; d < 4; d++) {
          const l = MSS;
          const s = next;
          next += l;
          sackedEnd = next;
          gap(15);
          send(s, l, false);
          gap(25);
          clientAck(`,nop,nop,sack 1 {${seq + len}:${sackedEnd}}`, d > 0);
        }
        gap(60);
        send(seq, len, short);
        gap(80);
        acked = next;
        unacked = 0;
        clientAck();
        continue;
      }
      if (room() > 4 && rnd() < 0.002) {
        // Two segments swapped on the way.
        const l2 = MSS;
        const s2 = next;
        next += l2;
        send(s2, l2, false);
        gap(10);
        send(seq, len, short);
        acked = next;
        gap(30);
        clientAck();
        unacked = 0;
        continue;
      }
      send(seq, len, short);
      unacked++;
      // Delayed ACK: every second full segment, at once after a pushed (short) one.
      if ((unacked >= 2 || short) && room() > 0) {
        acked = next;
        unacked = 0;
        gap(30);
        clientAck();
      }
    }
    gap(300 + Math.floor(rnd() * 700));
  }
  gap(200);
  line('s', `Flags [F.], seq ${next}, ack ${cSeq}, win 509, options [nop,nop,${ts('s')}], length 0`);
  gap(300);
  line('c', `Flags [F.], seq ${cSeq}, ack ${next + 1}, win ${win}, options [nop,nop,${ts('c')}], length 0`);
  gap(300);
  line('s', `Flags [.], ack ${cSeq + 1}, win 509, options [nop,nop,${ts('s')}], length 0`);
  return out.join('\n') + '\n';
}
