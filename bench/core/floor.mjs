// The floor of the capture summary's work in plain JavaScript on this machine: the
// 1M bench pcap read in 1 MiB pieces, each Ethernet/IPv4/TCP record decoded into
// typed columns (seq, ack, flags, length, window, TS value, time, connection),
// its 4-tuple found in an open-addressed table, and a minimal per-direction walk
// (next sequence number, retransmission or out-of-order, duplicate ACKs). It is
// NOT an analysis (no states, no checks, no summary): it says how much of the
// 1.0 s target (issue 6) a columnar design leaves to the real analysis.
// Usage: node bench/core/floor.mjs [bench/out/trace-1000000.pcap]
import * as fs from 'node:fs';

const file = process.argv[2] ?? 'bench/out/trace-1000000.pcap';
const started = performance.now();
const fd = fs.openSync(file, 'r');
const buf = Buffer.allocUnsafe(2 << 20);
let have = 0;
let off = 0;
let pos = 0;

/** Moves the unread bytes to the front and reads more; returns the bytes read. */
function refill() {
  if (off > 0) {
    buf.copy(buf, 0, off, have);
    have -= off;
    off = 0;
  }
  const read = fs.readSync(fd, buf, have, buf.length - have, pos);
  pos += read;
  have += read;
  return read;
}

const ROWS = 1 << 21;
const seqC = new Uint32Array(ROWS);
const ackC = new Uint32Array(ROWS);
const flagsC = new Uint8Array(ROWS);
const lenC = new Uint16Array(ROWS);
const winC = new Uint16Array(ROWS);
const tsvC = new Uint32Array(ROWS);
const timeC = new Float64Array(ROWS);
const connC = new Int32Array(ROWS);

const SLOTS = 1 << 17;
const keys = new Int32Array(SLOTS * 3);
const used = new Uint8Array(SLOTS);
const connOfSlot = new Int32Array(SLOTS);
const DIRS = 2 * SLOTS;
const nextSeq = new Uint32Array(DIRS);
const hasNext = new Uint8Array(DIRS);
const lastAck = new Uint32Array(DIRS);

let rows = 0;
let conns = 0;
let retransmissions = 0;
let outOfOrder = 0;
let duplicateAcks = 0;

refill();
off = 24; // the pcap file header (microsecond, little-endian, Ethernet: what gen-trace.mjs writes)
for (;;) {
  if (have - off < 16 && (refill() === 0 || have - off < 16)) break;
  const incl = buf.readUInt32LE(off + 8);
  if (have - off < 16 + incl) {
    if (refill() === 0) break;
    continue;
  }
  const seconds = buf.readUInt32LE(off);
  const micros = buf.readUInt32LE(off + 4);
  const frame = off + 16;
  off += 16 + incl;
  if (buf[frame + 12] !== 8 || buf[frame + 13] !== 0) continue;
  const ip = frame + 14;
  if (buf[ip + 9] !== 6) continue;
  const ihl = (buf[ip] & 15) * 4;
  const total = (buf[ip + 2] << 8) | buf[ip + 3];
  const src = buf.readUInt32BE(ip + 12);
  const dst = buf.readUInt32BE(ip + 16);
  const tcp = ip + ihl;
  const sport = (buf[tcp] << 8) | buf[tcp + 1];
  const dport = (buf[tcp + 2] << 8) | buf[tcp + 3];
  const seq = buf.readUInt32BE(tcp + 4);
  const ack = buf.readUInt32BE(tcp + 8);
  const hlen = (buf[tcp + 12] >> 4) * 4;
  const flags = buf[tcp + 13];
  const win = (buf[tcp + 14] << 8) | buf[tcp + 15];
  const tsv = hlen === 32 && buf[tcp + 20] === 1 && buf[tcp + 22] === 8 ? buf.readUInt32BE(tcp + 24) : 0;
  const len = total - ihl - hlen;

  // One slot for both directions: the lower address (then port) first.
  const forward = src < dst || (src === dst && sport <= dport);
  const a = forward ? src : dst;
  const b = forward ? dst : src;
  const ports = forward ? (sport << 16) | dport : (dport << 16) | sport;
  let h =
    ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(ports, 0xc2b2ae3d)) >>> 15) &
    (SLOTS - 1);
  while (
    used[h] === 1 &&
    !(keys[3 * h] === (a | 0) && keys[3 * h + 1] === (b | 0) && keys[3 * h + 2] === ports)
  )
    h = (h + 1) & (SLOTS - 1);
  if (used[h] === 0) {
    used[h] = 1;
    keys[3 * h] = a;
    keys[3 * h + 1] = b;
    keys[3 * h + 2] = ports;
    connOfSlot[h] = conns++;
  }
  const conn = connOfSlot[h];
  const dir = 2 * conn + (forward ? 0 : 1);

  seqC[rows] = seq;
  ackC[rows] = ack;
  flagsC[rows] = flags;
  lenC[rows] = len;
  winC[rows] = win;
  tsvC[rows] = tsv;
  timeC[rows] = seconds + micros / 1e6;
  connC[rows] = conn;
  rows++;

  // Sequence numbers wrap: compared by their 32-bit difference.
  const span = len + (flags & 2 ? 1 : 0) + (flags & 1 ? 1 : 0);
  if (span > 0) {
    if (hasNext[dir] === 0) {
      hasNext[dir] = 1;
      nextSeq[dir] = (seq + span) >>> 0;
    } else if (((seq - nextSeq[dir]) | 0) >= 0) nextSeq[dir] = (seq + span) >>> 0;
    else if (((seq + span - nextSeq[dir]) | 0) <= 0) retransmissions++;
    else outOfOrder++;
  }
  if ((flags & 16) !== 0) {
    if (len === 0 && (flags & 7) === 0 && ack === lastAck[dir]) duplicateAcks++;
    else lastAck[dir] = ack;
  }
}
fs.closeSync(fd);
const ms = performance.now() - started;
console.log(
  `${rows} segments, ${conns} 4-tuples, ${retransmissions} retransmitted or repeated, ${outOfOrder} out of order, ` +
    `${duplicateAcks} duplicate ACKs: ${ms.toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
