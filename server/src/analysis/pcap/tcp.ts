// The TCP part of a tcpdump -n line: ports, flags, seq/ack (relative as
// tcpdump numbers them), window, urgent pointer, options, length and the
// application text, with tcpdump's answers to short and damaged headers.
import { appText } from './app';
import { be16, be32 } from './bytes';
import type { IpResult } from './ip';
import { isReversed, SeqTable, type Numbered } from './seqTable';
import type { TextSink } from './sink';
import { OptionsEnd, renderOptions } from './tcpOptions';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const URG = 0x20;

const FLAG_LETTERS: readonly [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** Flags [..] text for each of the 256 flag bytes. */
const FLAGS: readonly string[] = Array.from({ length: 256 }, (_, f) => {
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (f & bit) s += letter;
  return s === '' ? 'none' : s;
});

/** The fields of the segment, for building analysis segments without the text. */
export interface TcpFields {
  /** The TCP header could be read (otherwise only ports, or nothing, are known). */
  complete: boolean;
  /** Ports are known. */
  ports: boolean;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  win: number;
  urg: number;
  /** Payload length by the IP header. */
  len: number;
  /** The header or its options were cut by the snap length. */
  truncated: boolean;
  /** Offset and length of the options area (0 when none). */
  optStart: number;
  optLen: number;
}

export function emptyTcp(): TcpFields {
  return {
    complete: false,
    ports: false,
    sport: 0,
    dport: 0,
    flags: 0,
    seq: 0,
    ack: 0,
    win: 0,
    urg: 0,
    len: 0,
    truncated: false,
    optStart: 0,
    optLen: 0,
  };
}

/** An address as tcpdump prints it (IPv4 straight from the bytes). */
function writeAddress(w: TextSink, b: Uint8Array, ip: IpResult, at: number, text: string): void {
  if (ip.version === 4) w.ipv4(b, at);
  else w.str(text);
}

export class TcpRenderer {
  private readonly seqs = new SeqTable();
  private readonly numbered: Numbered = { seq: 0, ack: 0, sackBase: 0 };

  /** Writes the TCP part of the line (everything after `IP `); fills `f`. */
  render(b: Uint8Array, ip: IpResult, f: TcpFields, w: TextSink): void {
    const t = ip.tcp;
    const end = ip.end;
    const length = ip.tcpLength;
    f.complete = false;
    f.ports = false;
    f.truncated = false;
    f.optStart = 0;
    f.optLen = 0;
    if (t + 4 > end) {
      f.truncated = true;
      writeAddress(w, b, ip, ip.srcAt, ip.src);
      w.str(' > ');
      writeAddress(w, b, ip, ip.dstAt, ip.dst);
      w.str(': [|tcp]');
      return;
    }
    const sport = be16(b, t);
    const dport = be16(b, t + 2);
    f.ports = true;
    f.sport = sport;
    f.dport = dport;
    if (ip.withAddresses) {
      writeAddress(w, b, ip, ip.srcAt, ip.src);
      w.byte(46);
      w.num(sport);
      w.str(' > ');
      writeAddress(w, b, ip, ip.dstAt, ip.dst);
      w.byte(46);
      w.num(dport);
    } else {
      w.num(sport);
      w.str(' > ');
      w.num(dport);
    }
    w.str(': ');
    if (t + 20 > end) {
      f.truncated = true;
      w.str(' [|tcp]');
      return;
    }
    const hlen = (b[t + 12] >> 4) * 4;
    if (hlen < 20) {
      w.str(` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`);
      return;
    }
    let seq = be32(b, t + 4);
    let ack = be32(b, t + 8);
    const win = be16(b, t + 14);
    const urp = be16(b, t + 18);
    const flags = b[t + 13];
    f.flags = flags;
    f.seq = seq;
    f.ack = ack;
    f.win = win;
    f.urg = urp;
    w.str('Flags [');
    w.str(FLAGS[flags]);
    w.byte(93);
    let sackBase = 0;
    if (flags & ACK) {
      const addrLen = ip.version === 6 ? 16 : 4;
      const rev = isReversed(b, ip.srcAt, ip.dstAt, addrLen, sport, dport);
      const v4 = ip.version === 4;
      const src = v4 ? be32(b, ip.srcAt) : ip.src;
      const dst = v4 ? be32(b, ip.dstAt) : ip.dst;
      const n = this.numbered;
      if (rev) this.seqs.number(dst, src, dport * 65536 + sport, true, (flags & SYN) !== 0, seq, ack, n);
      else this.seqs.number(src, dst, sport * 65536 + dport, false, (flags & SYN) !== 0, seq, ack, n);
      seq = n.seq;
      ack = n.ack;
      sackBase = n.sackBase;
    }
    if (hlen > length) {
      f.truncated = true;
      w.str(` [bad hdr length ${hlen} - too long, > ${length}]`);
      return;
    }
    const payload = length - hlen;
    f.len = payload;
    f.complete = true;
    if (payload > 0 || flags & (SYN | FIN | RST)) {
      w.str(', seq ');
      w.num(seq);
      if (payload > 0) {
        w.byte(58);
        w.num((seq + payload) >>> 0);
      }
    }
    if (flags & ACK) {
      w.str(', ack ');
      w.num(ack);
    }
    w.str(', win ');
    w.num(win);
    if (flags & URG) {
      w.str(', urg ');
      w.num(urp);
    }
    if (hlen > 20) {
      f.optStart = t + 20;
      f.optLen = hlen - 20;
      // The MD5 signature check needs the whole segment captured.
      const whole = t + length <= end;
      if (renderOptions(b, t + 20, hlen - 20, end, sackBase, whole, flags, w) === OptionsEnd.Stop) {
        f.truncated = true;
        return;
      }
    }
    w.str(', length ');
    w.num(payload);
    if (payload === 0) return;
    if (t + hlen > end) {
      f.truncated = true;
      w.str(` [remaining caplen(${end - t}) < header length(${hlen})] [|tcp]`);
      return;
    }
    const app = appText(b, t + hlen, payload, end, sport, dport);
    if (app !== '') w.str(app);
  }
}
