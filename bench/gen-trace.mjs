// Deterministic generator of benchmark traffic: N TCP segments over about N/40
// interleaved connections, written twice — as a pcap (Ethernet/IPv4/TCP,
// snap length 96 like `tcpdump -s 96`, checksums zero) and as the text
// `TZ=UTC tcpdump -n -r` prints for that pcap (relative sequence numbers and
// all), so tcptrace-inspect, tcptrace and tshark all read the same traffic.
// `node bench/gen-trace.mjs --verify 2000` checks the text against the real
// tcpdump byte for byte.
//
// Usage: node bench/gen-trace.mjs [--seed S] [--verify] N [OUTDIR]
//   writes OUTDIR/trace-N.tcptrace and OUTDIR/trace-N.pcap (OUTDIR: bench/out)
//
// The traffic: handshakes with options (mss, sackOK, TS, wscale), sometimes a
// retransmitted SYN; a request and a response of 6-40 full segments with
// delayed ACKs; losses (the capture misses the segment; duplicate ACKs with
// SACK blocks, then the retransmission), reordering and spurious
// retransmissions; FIN closes from either side, RST aborts, refused
// connections, unanswered SYNs and SYN-ACKs never acknowledged (half-open).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

const SNAPLEN = 96;
const MSS = 1448;
const START_EPOCH = 1795500000; // 2026-11-24 06:00:00 UTC

/** mulberry32: small, fast, good enough for traffic shapes; same seed, same bytes. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- scripts
// A connection is scripted up front as a list of packets; the scheduler then
// interleaves the connections. Packets: { c2s, flags, seq, ack, len, win, opt, sack }
// with opt 'syn' (mss,sackOK,TS,nop,wscale), 'ts' (nop,nop,TS) or 'none'.

function scriptConnection(rnd, conn) {
  const out = [];
  const c = { seq: conn.cIsn, ts: conn.cTs };
  const s = { seq: conn.sIsn, ts: conn.sTs };
  const pkt = (c2s, flags, len, extra = {}) => {
    const me = c2s ? c : s;
    const peer = c2s ? s : c;
    const p = {
      c2s,
      flags,
      seq: me.seq >>> 0,
      ack: flags & ACK ? peer.seq >>> 0 : 0,
      len,
      win: c2s ? 502 : 509,
      opt: 'ts',
      sack: null,
      tsval: (me.ts += 1 + Math.floor(rnd() * 3)) >>> 0,
      tsecr: peer.ts >>> 0,
      ...extra,
    };
    out.push(p);
    return p;
  };
  const kind = rnd();
  // SYN (and sometimes its retransmission).
  const syn = pkt(true, SYN, 0, { ack: 0, win: 64240, opt: 'syn', tsecr: 0 });
  c.seq++;
  if (rnd() < 0.03) out.push({ ...syn, tsval: (c.ts += 1000) >>> 0 });
  if (kind < 0.04) {
    // unanswered SYN, tried twice more
    out.push({ ...syn, tsval: (c.ts += 2000) >>> 0 });
    out.push({ ...syn, tsval: (c.ts += 4000) >>> 0 });
    return out;
  }
  if (kind < 0.08) {
    // refused: RST-ACK from the closed port (seq 0, window 0, no options)
    out.push({
      c2s: false,
      flags: RST | ACK,
      seq: 0,
      ack: c.seq >>> 0,
      len: 0,
      win: 0,
      opt: 'none',
      sack: null,
    });
    return out;
  }
  pkt(false, SYN | ACK, 0, { win: 65160, opt: 'syn', seq: s.seq >>> 0, ack: c.seq >>> 0 });
  s.seq++;
  if (kind < 0.1) return out; // SYN-ACK never acknowledged: half-open
  pkt(true, ACK, 0);
  // request
  const req = 40 + Math.floor(rnd() * 560);
  pkt(true, PSH | ACK, req);
  c.seq += req;
  if (rnd() < 0.5) pkt(false, ACK, 0);
  // response: n segments, delayed ACKs, loss / reordering / spurious retransmissions
  const n = 6 + Math.floor(rnd() * 35);
  let lost = null; // segment the capture did not see, waiting for its retransmission
  let dupAcks = 0;
  let unacked = 0;
  let i = 0;
  while (i < n) {
    const len = i === n - 1 ? 1 + Math.floor(rnd() * MSS) : MSS;
    const flags = i === n - 1 ? PSH | ACK : ACK;
    const r = rnd();
    if (lost === null && r < 0.02 && i < n - 1) {
      // lost before the capture point: the seq space moves on, nothing printed
      lost = { seq: s.seq >>> 0, len, flags };
      s.seq += len;
      i++;
      continue;
    }
    if (r > 0.99 && i < n - 1) {
      // reordered: the next segment arrives first
      const nextLen = i + 1 === n - 1 ? 1 + Math.floor(rnd() * MSS) : MSS;
      const first = s.seq;
      s.seq += len;
      pkt(false, i + 1 === n - 1 ? PSH | ACK : ACK, nextLen);
      s.seq = first;
      pkt(false, flags, len);
      s.seq += len + nextLen;
      i += 2;
      unacked += 2;
    } else {
      pkt(false, flags, len);
      s.seq += len;
      i++;
      unacked++;
    }
    if (lost !== null) {
      // every arrival after the hole draws a duplicate ACK with a SACK block
      const holeEnd = (lost.seq + lost.len) >>> 0;
      pkt(true, ACK, 0, { ack: lost.seq, opt: 'sack', sack: [[holeEnd, s.seq >>> 0]] });
      if (++dupAcks >= 3 || i >= n) {
        const saved = s.seq;
        s.seq = lost.seq;
        pkt(false, lost.flags, lost.len);
        s.seq = saved;
        pkt(true, ACK, 0);
        lost = null;
        dupAcks = 0;
        unacked = 0;
      }
    } else if (unacked >= 2 || i >= n) {
      pkt(true, ACK, 0);
      unacked = 0;
      if (rnd() < 0.005) {
        // spurious retransmission of the last full segment
        const saved = s.seq;
        s.seq = (s.seq - len) >>> 0;
        pkt(false, flags, len);
        s.seq = saved;
        pkt(true, ACK, 0);
      }
    }
  }
  if (kind < 0.17) {
    // abort: the client resets (RST-ACK, window 0, no options)
    pkt(true, RST | ACK, 0, { win: 0, opt: 'none' });
    return out;
  }
  // orderly close, from either side
  const clientFirst = rnd() < 0.5;
  const a = clientFirst;
  pkt(a, FIN | ACK, 0);
  (a ? c : s).seq++;
  pkt(!a, ACK, 0);
  pkt(!a, FIN | ACK, 0);
  (a ? s : c).seq++;
  pkt(a, ACK, 0);
  return out;
}

// ---------------------------------------------------------------- rendering
function ipText(n) {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function flagText(f) {
  let s = '';
  if (f & FIN) s += 'F';
  if (f & SYN) s += 'S';
  if (f & RST) s += 'R';
  if (f & PSH) s += 'P';
  if (f & ACK) s += '.';
  return s || 'none';
}

function timeText(usecTotal) {
  const secs = Math.floor(usecTotal / 1e6);
  const us = usecTotal - secs * 1e6;
  const tod = secs % 86400;
  const hh = String(Math.floor(tod / 3600)).padStart(2, '0');
  const mm = String(Math.floor(tod / 60) % 60).padStart(2, '0');
  const ss = String(tod % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(us).padStart(6, '0')}`;
}

/**
 * tcpdump's relative numbering (print-tcp.c): for packets with ACK, a
 * conversation entry keyed by the ordered address/port pair is created (or
 * reset by a SYN) from the packet's own numbers, which print absolute; later
 * packets print relative to it. Packets without ACK print absolute.
 */
class Relative {
  constructor() {
    this.table = new Map();
  }
  apply(p, src, sport, dst, dport) {
    if (!(p.flags & ACK)) return { seq: p.seq, ack: p.ack, base: null, rev: false };
    const rev = src > dst || (src === dst && sport > dport);
    const key = rev ? `${dst}:${dport}>${src}:${sport}` : `${src}:${sport}>${dst}:${dport}`;
    let th = this.table.get(key);
    if (th === undefined || p.flags & SYN) {
      th = rev ? { seq: (p.ack - 1) >>> 0, ack: p.seq } : { seq: p.seq, ack: (p.ack - 1) >>> 0 };
      this.table.set(key, th);
      return { seq: p.seq, ack: p.ack, base: th, rev };
    }
    const seq = rev ? (p.seq - th.ack) >>> 0 : (p.seq - th.seq) >>> 0;
    const ack = rev ? (p.ack - th.seq) >>> 0 : (p.ack - th.ack) >>> 0;
    return { seq, ack, base: th, rev };
  }
}

function optionsText(p, rel) {
  const ts = `TS val ${p.tsval} ecr ${p.tsecr}`;
  if (p.opt === 'none') return '';
  if (p.opt === 'syn') return `, options [mss 1460,sackOK,${ts},nop,wscale 7]`;
  if (p.opt === 'sack') {
    const base = rel.base === null ? 0 : rel.rev ? rel.base.seq : rel.base.ack;
    const blocks = p.sack.map(([l, r]) => `{${(l - base) >>> 0}:${(r - base) >>> 0}}`).join('');
    return `, options [nop,nop,${ts},nop,nop,sack ${p.sack.length} ${blocks}]`;
  }
  return `, options [nop,nop,${ts}]`;
}

function lineText(usec, p, src, sport, dst, dport, rel) {
  let s = `${timeText(usec)} IP ${ipText(src)}.${sport} > ${ipText(dst)}.${dport}: Flags [${flagText(p.flags)}]`;
  if (p.len > 0 || p.flags & (SYN | FIN | RST)) {
    s += `, seq ${rel.seq}`;
    if (p.len > 0) s += `:${(rel.seq + p.len) >>> 0}`;
  }
  if (p.flags & ACK) s += `, ack ${rel.ack}`;
  s += `, win ${p.win}${optionsText(p, rel)}, length ${p.len}\n`;
  return s;
}

// ---------------------------------------------------------------- pcap
function optionsBytes(p) {
  if (p.opt === 'none') return [];
  const ts = [8, 10, ...be32(p.tsval), ...be32(p.tsecr)];
  if (p.opt === 'syn') return [2, 4, 0x05, 0xb4, 4, 2, ...ts, 1, 3, 3, 7];
  if (p.opt === 'sack') {
    const blocks = p.sack.flatMap(([l, r]) => [...be32(l), ...be32(r)]);
    return [1, 1, ...ts, 1, 1, 5, 2 + blocks.length, ...blocks];
  }
  return [1, 1, ...ts];
}

function be32(n) {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

class PcapWriter {
  constructor(fd) {
    this.fd = fd;
    this.buf = Buffer.alloc(1 << 20);
    this.pos = 0;
    this.ipId = 1;
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(SNAPLEN, 16);
    h.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
    fs.writeSync(fd, h);
  }
  packet(usec, p, src, sport, dst, dport) {
    const opts = optionsBytes(p);
    const tcpLen = 20 + opts.length;
    const ipLen = 20 + tcpLen + p.len;
    const wire = 14 + ipLen;
    const cap = Math.min(wire, SNAPLEN);
    if (this.pos + 16 + cap > this.buf.length) this.flush();
    const b = this.buf;
    let o = this.pos;
    b.writeUInt32LE(Math.floor(usec / 1e6), o);
    b.writeUInt32LE(usec % 1e6, o + 4);
    b.writeUInt32LE(cap, o + 8);
    b.writeUInt32LE(wire, o + 12);
    o += 16;
    const frame = Buffer.alloc(Math.max(wire > SNAPLEN ? SNAPLEN : wire, 14 + 20 + tcpLen));
    // Ethernet: the MACs encode the direction; IPv4 ethertype.
    frame.set([2, 0, 0, 0, 0, p.c2s ? 2 : 1, 2, 0, 0, 0, 0, p.c2s ? 1 : 2, 0x08, 0x00], 0);
    frame[14] = 0x45;
    frame.writeUInt16BE(ipLen, 16);
    frame.writeUInt16BE(this.ipId++ & 0xffff, 18);
    frame.writeUInt16BE(0x4000, 20); // DF
    frame[22] = 64;
    frame[23] = 6;
    frame.writeUInt32BE(src >>> 0, 26);
    frame.writeUInt32BE(dst >>> 0, 30);
    const t = 34;
    frame.writeUInt16BE(sport, t);
    frame.writeUInt16BE(dport, t + 2);
    frame.writeUInt32BE(p.seq >>> 0, t + 4);
    frame.writeUInt32BE(p.flags & ACK ? p.ack >>> 0 : 0, t + 8);
    frame[t + 12] = (tcpLen / 4) << 4;
    frame[t + 13] = p.flags;
    frame.writeUInt16BE(p.win, t + 14);
    frame.set(opts, t + 20);
    frame.copy(b, o, 0, cap);
    this.pos = o + cap;
  }
  flush() {
    fs.writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }
}

// ---------------------------------------------------------------- schedule
export function generate(total, outDir, seed = 1) {
  const rnd = prng(seed);
  fs.mkdirSync(outDir, { recursive: true });
  const textPath = path.join(outDir, `trace-${total}.tcptrace`);
  const pcapPath = path.join(outDir, `trace-${total}.pcap`);
  const textFd = fs.openSync(textPath, 'w');
  const pcapFd = fs.openSync(pcapPath, 'w');
  const pcap = new PcapWriter(pcapFd);
  const rel = new Relative();
  const servers = Array.from({ length: 8 }, (_, i) => ((10 << 24) | (1 << 8) | (i + 1)) >>> 0);
  // Ports tcpdump has no application decoder for (80 would add ": HTTP").
  const ports = [443, 8443, 9000, 5001];
  const concurrency = 64;
  const active = [];
  let nextClient = 0;
  let connections = 0;
  const open = () => {
    const n = nextClient++;
    const conn = {
      cIp: ((10 << 24) | (2 << 16) | (((n >>> 8) & 0xff) << 8) | (n & 0xff)) >>> 0,
      cPort: 32768 + Math.floor(rnd() * 28000),
      sIp: servers[Math.floor(rnd() * servers.length)],
      sPort: ports[Math.floor(rnd() * ports.length)],
      cIsn: Math.floor(rnd() * 4294967296) >>> 0,
      sIsn: Math.floor(rnd() * 4294967296) >>> 0,
      cTs: Math.floor(rnd() * 4e9) >>> 0,
      sTs: Math.floor(rnd() * 4e9) >>> 0,
    };
    conn.script = scriptConnection(rnd, conn);
    conn.at = 0;
    connections++;
    return conn;
  };
  for (let i = 0; i < concurrency; i++) active.push(open());
  let usec = START_EPOCH * 1e6;
  let text = '';
  for (let emitted = 0; emitted < total; emitted++) {
    const k = Math.floor(rnd() * active.length);
    const conn = active[k];
    const p = conn.script[conn.at++];
    usec += 1 + Math.floor(-Math.log(1 - rnd()) * 25); // about 40k packets a second
    const [src, sport, dst, dport] = p.c2s
      ? [conn.cIp, conn.cPort, conn.sIp, conn.sPort]
      : [conn.sIp, conn.sPort, conn.cIp, conn.cPort];
    text += lineText(usec, p, src, sport, dst, dport, rel.apply(p, src, sport, dst, dport));
    pcap.packet(usec, p, src, sport, dst, dport);
    if (text.length > 1 << 20) {
      fs.writeSync(textFd, text);
      text = '';
    }
    if (conn.at >= conn.script.length) active[k] = open();
  }
  fs.writeSync(textFd, text);
  pcap.flush();
  fs.closeSync(textFd);
  fs.closeSync(pcapFd);
  return { textPath, pcapPath, segments: total, connections };
}

function main() {
  const args = process.argv.slice(2);
  let seed = 1;
  let verify = false;
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') seed = Number(args[++i]);
    else if (args[i] === '--verify') verify = true;
    else rest.push(args[i]);
  }
  const n = Number(rest[0]);
  if (!Number.isInteger(n) || n <= 0) {
    console.error('usage: node bench/gen-trace.mjs [--seed S] [--verify] N [OUTDIR]');
    process.exit(2);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = generate(n, rest[1] ?? path.join(here, 'out'), seed);
  console.log(`${out.textPath}: ${n} segments, ${out.connections} connections`);
  if (verify) {
    const rendered = execFileSync('tcpdump', ['-n', '-r', out.pcapPath], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 30,
    }).toString('utf8');
    const mine = fs.readFileSync(out.textPath, 'utf8');
    if (rendered !== mine) {
      const a = mine.split('\n');
      const b = rendered.split('\n');
      const i = a.findIndex((l, j) => l !== b[j]);
      console.error(`differs from tcpdump -n -r at line ${i + 1}:\n  ours:    ${a[i]}\n  tcpdump: ${b[i]}`);
      process.exit(1);
    }
    console.log('identical to TZ=UTC tcpdump -n -r of the pcap');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
