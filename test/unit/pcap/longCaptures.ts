// Long captures for the tests of the direct path past the first DECIDE_AFTER
// packet lines (which the -S vote holds back): real records repeated, and
// generated connections.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { capturesDir, captureScenarios, variantsDir } from './support';

const ETHERNET = 1;

/** The records of a little-endian microsecond pcap (header included), or null for any other kind. */
function ethernetRecords(bytes: Buffer): Buffer[] | null {
  if (bytes.length < 24 || bytes.readUInt32LE(0) !== 0xa1b2c3d4 || bytes.readUInt32LE(20) !== ETHERNET)
    return null;
  const records: Buffer[] = [];
  for (let at = 24; at + 16 <= bytes.length;) {
    const end = at + 16 + bytes.readUInt32LE(at + 8);
    records.push(bytes.subarray(at, end));
    at = end;
  }
  return records;
}

const PCAP_HEADER = (() => {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(ETHERNET, 20);
  return h;
})();

/**
 * Every Ethernet capture among the fixtures (real traffic, and the variants
 * with odd options, IPv6 extension headers, fragments and tags, whose lines
 * the direct path reads from their text), again and again until the capture
 * holds `packets` records; each round is `shift` seconds later than the one
 * before, so the time of day passes midnight several times.
 */
export function longCapture(packets: number, shift: number): Buffer {
  const files = [
    ...captureScenarios().map((d) => path.join(capturesDir, d, 'capture.pcap')),
    ...fs
      .readdirSync(variantsDir)
      .filter((f) => f.endsWith('.pcap'))
      .sort()
      .map((f) => path.join(variantsDir, f)),
  ];
  const round = files.flatMap((f) => ethernetRecords(fs.readFileSync(f)) ?? []);
  assert.ok(round.length > 500, 'enough Ethernet records among the fixtures');
  const out: Buffer[] = [PCAP_HEADER];
  for (let n = 0, r = 0; n < packets; r++) {
    for (const record of round) {
      const copy = Buffer.from(record);
      copy.writeUInt32LE((copy.readUInt32LE(0) + r * shift) >>> 0, 0);
      out.push(copy);
      if (++n === packets) break;
    }
  }
  return Buffer.concat(out);
}

/** One Ethernet/IPv4/TCP packet record (checksums zero: tcpdump -n does not check them). */
interface Packet {
  readonly time: number;
  readonly src: number;
  readonly dst: number;
  readonly sport: number;
  readonly dport: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly options?: readonly number[];
  readonly len?: number;
  /** The header length field (words) when it is to lie; else the header's. */
  readonly dataOffset?: number;
}

function record(p: Packet): Buffer {
  const options = Buffer.from(p.options ?? []);
  const tcpLen = 20 + options.length;
  const len = p.len ?? 0;
  const frame = Buffer.alloc(14 + 20 + tcpLen + len);
  frame.writeUInt16BE(0x0800, 12);
  const ip = 14;
  frame[ip] = 0x45;
  frame.writeUInt16BE(20 + tcpLen + len, ip + 2);
  frame[ip + 8] = 64;
  frame[ip + 9] = 6;
  frame.writeUInt32BE(p.src, ip + 12);
  frame.writeUInt32BE(p.dst, ip + 16);
  const t = ip + 20;
  frame.writeUInt16BE(p.sport, t);
  frame.writeUInt16BE(p.dport, t + 2);
  frame.writeUInt32BE(p.seq >>> 0, t + 4);
  frame.writeUInt32BE(p.ack >>> 0, t + 8);
  frame[t + 12] = (p.dataOffset ?? tcpLen / 4) << 4;
  frame[t + 13] = p.flags;
  frame.writeUInt16BE(512, t + 14);
  options.copy(frame, t + 20);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(Math.floor(p.time), 0);
  head.writeUInt32LE(Math.round((p.time % 1) * 1e6) % 1000000, 4);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  return Buffer.concat([head, frame]);
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
export const ACK = 0x10;

/**
 * Timestamps and, when given, one SACK block (kind 5), padded with NOPs;
 * `odd` adds an option of unknown kind, whose line the direct path reads from its text.
 */
function options(tsVal: number, sack: readonly [number, number] | undefined, odd: boolean): number[] {
  const o = [1, 1, 8, 10];
  for (const v of [tsVal, tsVal ^ 0x5a5a]) o.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  if (sack !== undefined) {
    o.push(1, 1, 5, 10);
    for (const v of sack) o.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  if (odd) o.push(99, 4, 0xab, 0xcd);
  return o;
}

/**
 * Generated connections interleaved (a fixed pseudo-random sequence): full
 * handshakes, connections whose SYN-ACK or whole handshake was missed, data
 * with SACK, resets and closes, now and then a packet with an odd option
 * (read from its text: these lines share the direct lines' tables). With `absoluteLooking`, data numbers lie as
 * far past the initial numbers as these are from zero, so that the text's
 * printed (relative) numbers look like -S numbers and the vote says absolute.
 */
export function generatedCapture(packets: number, absoluteLooking: boolean): Buffer {
  let state = 12345;
  const random = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const out: Buffer[] = [PCAP_HEADER];
  let time = 1700000000;
  const open: { next: () => Packet | null }[] = [];
  let made = 0;
  let id = 0;
  const start = (): void => {
    const c = 0x0a010000 + (id % 50000);
    const s = (id % 2 === 0 ? 0x0a020001 : 0xc0a80001) + (id % 3);
    const cport = 20000 + (id++ % 40000);
    const isnC = 1000000 + random(1 << 28);
    const isnS = 1000000 + random(1 << 28);
    const skip = random(4); // 0: handshake, 1: SYN-ACK missed, 2: no handshake, 3: handshake
    const dataC = absoluteLooking ? 2 * isnC : isnC;
    const dataS = absoluteLooking ? 2 * isnS : isnS;
    const steps: Packet[] = [];
    const at = (): number => (time += 0.000137 * (1 + random(5)));
    const p = (
      from: 'c' | 's',
      flags: number,
      seq: number,
      ack: number,
      len = 0,
      sack?: [number, number],
    ): Packet =>
      from === 'c'
        ? {
            time: 0,
            src: c,
            dst: s,
            sport: cport,
            dport: 5001,
            flags,
            seq,
            ack,
            len,
            options: options(at(), sack, random(8) === 0),
          }
        : {
            time: 0,
            src: s,
            dst: c,
            sport: 5001,
            dport: cport,
            flags,
            seq,
            ack,
            len,
            options: options(at(), sack, random(8) === 0),
          };
    if (skip !== 2) steps.push(p('c', SYN, isnC, 0));
    if (skip !== 1 && skip !== 2) steps.push(p('s', SYN | ACK, isnS, isnC + 1));
    steps.push(p('c', ACK, dataC + 1, dataS + 1));
    let sent = 1;
    for (let k = random(12); k > 0; k--) {
      const len = 1 + random(1400);
      steps.push(p('c', PSH | ACK, dataC + sent, dataS + 1, len));
      const lost = random(5) === 0;
      steps.push(
        lost
          ? p('s', ACK, dataS + 1, dataC + sent, 0, [dataC + sent + 10, dataC + sent + len])
          : p('s', ACK, dataS + 1, dataC + sent + len),
      );
      if (lost) steps.push(p('c', ACK, dataC + sent, dataS + 1, len));
      sent += len;
    }
    const end = random(3);
    if (end === 0) steps.push(p('c', RST | ACK, dataC + sent, dataS + 1));
    else {
      steps.push(p('c', FIN | ACK, dataC + sent, dataS + 1));
      steps.push(p('s', FIN | ACK, dataS + 1, dataC + sent + 1));
      if (end === 1) steps.push(p('c', ACK, dataC + sent + 1, dataS + 2));
    }
    let i = 0;
    open.push({ next: () => (i < steps.length ? (steps[i++] as Packet) : null) });
  };
  while (made < packets) {
    while (open.length < 40) start();
    const k = random(open.length);
    const next = (open[k] as { next: () => Packet | null }).next();
    if (next === null) {
      open.splice(k, 1);
      continue;
    }
    out.push(record({ ...next, time: (time += 0.00001) }));
    made++;
  }
  return Buffer.concat(out);
}

/**
 * `generatedCapture(packets, false)` followed by one more connection whose
 * numbering tcpdump starts again in a line the text parser reads as no packet
 * (a SYN-ACK of new numbers whose header length field says 60 bytes in a
 * 20-byte segment: `[bad hdr length 60 - too long, > 20]`), then data both
 * ways: tcpdump prints the data relative to the new numbers, which the
 * normaliser's entry, made by the first SYN-ACK, does not hold.
 */
export function rebasedUnseen(packets: number): Buffer {
  const c = 0x0b000001;
  const s = 0x0b000002;
  let time = 1800000000;
  const p = (
    from: 'c' | 's',
    flags: number,
    seq: number,
    ack: number,
    len = 0,
    dataOffset?: number,
  ): Buffer =>
    record({
      time: (time += 0.001),
      src: from === 'c' ? c : s,
      dst: from === 'c' ? s : c,
      sport: from === 'c' ? 40000 : 7000,
      dport: from === 'c' ? 7000 : 40000,
      flags,
      seq,
      ack,
      len,
      dataOffset,
    });
  const tail = [
    p('c', SYN, 1000, 0),
    p('s', SYN | ACK, 5000, 1001),
    p('c', ACK, 1001, 5001),
    p('c', PSH | ACK, 1001, 5001, 100),
    p('s', ACK, 5001, 1101),
    p('s', SYN | ACK, 90000, 70001, 0, 15),
    p('c', PSH | ACK, 70001, 90001, 100),
    p('s', ACK, 90001, 70101),
    p('c', PSH | ACK, 70101, 90001, 100),
    p('s', ACK, 90001, 70201),
  ];
  return Buffer.concat([generatedCapture(packets, false), ...tail]);
}

/**
 * Runs `check` on `runs` copies of `clean`, each with 1 to 40 bytes at or past
 * offset `from` set to random values (fast-check: a failing copy is shrunk).
 */
export function checkDamagedPast(
  clean: Buffer,
  from: number,
  runs: number,
  check: (bytes: Buffer) => void,
): void {
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 40,
      }),
      (steps) => {
        const bytes = Buffer.from(clean);
        for (const m of steps) bytes[from + (m.at % (bytes.length - from))] = m.value;
        check(bytes);
      },
    ),
    { numRuns: runs },
  );
}
