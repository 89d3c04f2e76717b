// The TCP part of a tcpdump -n line: ports, flags, seq/ack (relative as
// tcpdump numbers them), window, urgent pointer, options, length and the
// application text, with tcpdump's answers to short and damaged headers.
import { appText } from './app';
import { be16, be32 } from './bytes';
import type { IpResult } from './ip';
import {
  ConversationFlag,
  Conversations,
  isReversed,
  KIND,
  numberInConversation,
  type Numbered,
} from './conversations';
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

/** How far the TCP header could be read; decides what the line shows. */
export const enum TcpStage {
  /** Not even the ports were captured: `a > b: [|tcp]`. */
  NoPorts,
  /** Ports only: `a.p > b.q:  [|tcp]`. */
  PortsOnly,
  /** Header length field under 20: `tcp N [bad hdr length ...]`. */
  ShortHeader,
  /** Header longer than the segment: `Flags [..] [bad hdr length ...]`. */
  LongHeader,
  /** The fixed header is there and fits: the full line. */
  Complete,
}

/**
 * One segment's header fields as the line prints them (seq and ack already
 * numbered as tcpdump numbers them), filled by TcpDecoder.decode and read by
 * writeTcp and by the direct analysis path (which builds segments without text).
 */
export interface TcpFields {
  stage: TcpStage;
  sport: number;
  dport: number;
  /** The flags byte. */
  flags: number;
  /** seq and ack as printed: relative to the conversation's entry, or absolute (tcpdump's rule). */
  seq: number;
  ack: number;
  /** What SACK edges are printed relative to. */
  sackBase: number;
  win: number;
  urg: number;
  /** Header length (4 × data offset). */
  hlen: number;
  /** TCP header + payload length by the IP header. */
  length: number;
  /** Payload length (length − hlen) when Complete. */
  len: number;
}

export function emptyTcp(): TcpFields {
  return {
    stage: TcpStage.NoPorts,
    sport: 0,
    dport: 0,
    flags: 0,
    seq: 0,
    ack: 0,
    sackBase: 0,
    win: 0,
    urg: 0,
    hlen: 0,
    length: 0,
    len: 0,
  };
}

/** An address as tcpdump prints it (IPv4 straight from the bytes). */
function writeAddress(w: TextSink, b: Uint8Array, ip: IpResult, at: number, text: string): void {
  if (ip.version === 4) w.ipv4(b, at);
  else w.str(text);
}

/** Reads TCP headers in capture order, numbering seq/ack as tcpdump does (state across packets). */
export class TcpDecoder {
  /** tcpdump's conversations (the direct path numbers its common packets in them too). */
  readonly conversations = new Conversations();
  private readonly numbered: Numbered = { seq: 0, ack: 0, sackBase: 0 };

  /** Fills `f` from the TCP header at ip.tcp. */
  decode(b: Uint8Array, ip: IpResult, f: TcpFields): void {
    const t = ip.tcp;
    const end = ip.end;
    const length = ip.tcpLength;
    f.length = length;
    f.sackBase = 0;
    if (t + 4 > end) {
      f.stage = TcpStage.NoPorts;
      return;
    }
    const sport = be16(b, t);
    const dport = be16(b, t + 2);
    f.sport = sport;
    f.dport = dport;
    if (t + 20 > end) {
      f.stage = TcpStage.PortsOnly;
      return;
    }
    const hlen = (b[t + 12] >> 4) * 4;
    f.hlen = hlen;
    if (hlen < 20) {
      f.stage = TcpStage.ShortHeader;
      return;
    }
    let seq = be32(b, t + 4);
    let ack = be32(b, t + 8);
    const flags = b[t + 13];
    f.flags = flags;
    f.win = be16(b, t + 14);
    f.urg = be16(b, t + 18);
    if (flags & ACK) {
      const rev = isReversed(b, ip.srcAt, ip.dstAt, ip.version === 6 ? 16 : 4, sport, dport);
      const c = this.conversations;
      const at = c.find(b, ip.version, ip.srcAt, ip.dstAt, sport, dport, rev);
      const n = this.numbered;
      numberInConversation(c.words, at, rev, (flags & SYN) !== 0, seq, ack, n);
      c.words[at + KIND] &= ~ConversationFlag.Checked;
      seq = n.seq;
      ack = n.ack;
      f.sackBase = n.sackBase;
    }
    f.seq = seq;
    f.ack = ack;
    if (hlen > length) {
      f.stage = TcpStage.LongHeader;
      return;
    }
    f.len = length - hlen;
    f.stage = TcpStage.Complete;
  }
}

/** Writes the TCP part of the line (everything after `IP `) from decoded fields. */
export function writeTcp(b: Uint8Array, ip: IpResult, f: TcpFields, w: TextSink): void {
  const t = ip.tcp;
  const end = ip.end;
  if (f.stage === TcpStage.NoPorts) {
    writeAddress(w, b, ip, ip.srcAt, ip.src);
    w.str(' > ');
    writeAddress(w, b, ip, ip.dstAt, ip.dst);
    w.str(': [|tcp]');
    return;
  }
  if (ip.withAddresses) {
    writeAddress(w, b, ip, ip.srcAt, ip.src);
    w.byte(46);
    w.num(f.sport);
    w.str(' > ');
    writeAddress(w, b, ip, ip.dstAt, ip.dst);
    w.byte(46);
    w.num(f.dport);
  } else {
    w.num(f.sport);
    w.str(' > ');
    w.num(f.dport);
  }
  w.str(': ');
  const hlen = f.hlen;
  switch (f.stage) {
    case TcpStage.PortsOnly:
      w.str(' [|tcp]');
      return;
    case TcpStage.ShortHeader:
      w.str(` tcp ${(f.length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`);
      return;
    default:
      break;
  }
  const flags = f.flags;
  w.str('Flags [');
  w.str(FLAGS[flags]);
  w.byte(93);
  if (f.stage === TcpStage.LongHeader) {
    w.str(` [bad hdr length ${hlen} - too long, > ${f.length}]`);
    return;
  }
  const payload = f.len;
  const seq = f.seq;
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
    w.num(f.ack);
  }
  w.str(', win ');
  w.num(f.win);
  if (flags & URG) {
    w.str(', urg ');
    w.num(f.urg);
  }
  if (hlen > 20) {
    // The MD5 signature check needs the whole segment captured.
    const whole = t + f.length <= end;
    if (renderOptions(b, t + 20, hlen - 20, end, f.sackBase, whole, flags, w) === OptionsEnd.Stop) return;
  }
  w.str(', length ');
  w.num(payload);
  if (payload === 0) return;
  if (t + hlen > end) {
    w.str(` [remaining caplen(${end - t}) < header length(${hlen})] [|tcp]`);
    return;
  }
  const app = appText(b, t + hlen, payload, end, f.sport, f.dport);
  if (app !== '') w.str(app);
}
