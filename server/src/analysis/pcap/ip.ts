// IPv4 and IPv6 as far as tcpdump -n prints them before the TCP header
// (without -v): `IP ` / `IP6 `, its complaints about lengths, IPv6 extension
// headers, and where the TCP segment starts and ends. IPv4 options are
// skipped (printed only with -v); fragments other than the first carry no TCP
// header and are printed as tcpdump does, without one.
import { be16 } from './bytes';
import { ipv4Text, ipv6Text } from './address';

const PROTO_TCP = 6;
const IPV6_HOPOPTS = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_DSTOPTS = 60;

export const enum IpKind {
  /** A TCP header follows at `tcp`. */
  Tcp,
  /** A TCP fragment without the TCP header (not the first fragment): `text` is the whole rest of the line. */
  Fragment,
  /** Not TCP, or not readable far enough to tell. */
  Other,
}

export interface IpResult {
  kind: IpKind;
  version: number;
  /** `IP ` or `IP6 `, plus anything tcpdump prints before the TCP part. */
  text: string;
  /** IPv6 address text ('' for IPv4, whose addresses are written from the bytes). */
  src: string;
  dst: string;
  /** Offsets of the source and destination address bytes (for tcpdump's ordering of conversations). */
  srcAt: number;
  dstAt: number;
  /** TCP prints `addr.port > addr.port` (false after IPv6 extension headers: ports only). */
  withAddresses: boolean;
  /** Start of the TCP header. */
  tcp: number;
  /** TCP header + payload length according to the IP header. */
  tcpLength: number;
  /** End of the usable bytes: the captured end, cut at the end of the IP packet. */
  end: number;
  /** The IPv4 packet is a first fragment (more follow). */
  firstFragment: boolean;
}

export function emptyIp(): IpResult {
  return {
    kind: IpKind.Other,
    version: 0,
    text: '',
    src: '',
    dst: '',
    srcAt: 0,
    dstAt: 0,
    withAddresses: true,
    tcp: 0,
    tcpLength: 0,
    end: 0,
    firstFragment: false,
  };
}

/**
 * Decodes the IP header at `o` (`family` 4, 6, or 0 = by version nibble).
 * `length` is the packet's length on the wire from `o`, `capEnd` the end of
 * the captured bytes.
 */
export function decodeIp(
  b: Uint8Array,
  o: number,
  capEnd: number,
  length: number,
  family: number,
  out: IpResult,
): void {
  out.kind = IpKind.Other;
  if (o >= capEnd) return;
  const version = family === 0 ? b[o] >> 4 : family;
  if (version === 4) decodeIpv4(b, o, capEnd, length, out);
  else if (version === 6) decodeIpv6(b, o, capEnd, length, out);
}

function decodeIpv4(b: Uint8Array, o: number, capEnd: number, length: number, out: IpResult): void {
  // The `tcp` filter reads the protocol byte and the addresses; without them it does not match.
  if (o + 20 > capEnd || b[o] >> 4 !== 4 || b[o + 9] !== PROTO_TCP) return;
  const hlen = (b[o] & 15) * 4;
  let len = be16(b, o + 2);
  let text = 'IP ';
  if (hlen < 20) return;
  if (length < len) text += `truncated-ip - ${len - length} bytes missing! `;
  if (len < hlen) return;
  out.version = 4;
  // IPv4 addresses are written from their bytes; the text is made only where needed.
  out.src = '';
  out.dst = '';
  out.srcAt = o + 12;
  out.dstAt = o + 16;
  out.withAddresses = true;
  const off = be16(b, o + 6);
  out.end = Math.min(capEnd, o + len);
  len -= hlen;
  if ((off & 0x1fff) !== 0) {
    out.kind = IpKind.Fragment;
    out.text = `${text}${ipv4Text(b, o + 12)} > ${ipv4Text(b, o + 16)}: ip-proto-${PROTO_TCP}`;
    return;
  }
  out.kind = IpKind.Tcp;
  out.text = text;
  out.tcp = o + hlen;
  out.tcpLength = len;
  out.firstFragment = (off & 0x2000) !== 0;
}

function decodeIpv6(b: Uint8Array, o: number, capEnd: number, length: number, out: IpResult): void {
  if (o + 40 > capEnd || b[o] >> 4 !== 6) return;
  const payload = be16(b, o + 4);
  let text = 'IP6 ';
  let len = payload + 40;
  if (payload === 0) len = length;
  else if (length < len) text += `truncated-ip6 - ${len - length} bytes missing!`;
  out.version = 6;
  out.src = ipv6Text(b, o + 8);
  out.dst = ipv6Text(b, o + 24);
  out.srcAt = o + 8;
  out.dstAt = o + 24;
  out.firstFragment = false;
  const end = Math.min(capEnd, o + len);
  out.end = end;
  let nh = b[o + 6];
  let cp = o + 40;
  len -= 40;
  if (nh !== PROTO_TCP) text += `${out.src} > ${out.dst}: `;
  // Extension headers, each at most once per kind in a sane packet; a bounded walk either way.
  for (let hops = 0; hops < 16 && nh !== PROTO_TCP; hops++) {
    if (cp + 2 > end) return;
    const next = b[cp];
    let advance: number;
    if (nh === IPV6_HOPOPTS || nh === IPV6_DSTOPTS) {
      advance = (b[cp + 1] + 1) * 8;
      if (cp + advance > end) return;
      text += nh === IPV6_HOPOPTS ? 'HBH ' : 'DSTOPT ';
    } else if (nh === IPV6_ROUTING) {
      advance = (b[cp + 1] + 1) * 8;
      if (cp + 8 > end || cp + advance > end) return;
      const routing = routingText(b, cp);
      if (routing === null) return;
      text += routing;
    } else if (nh === IPV6_FRAGMENT) {
      if (cp + 8 > end) return;
      const offlg = be16(b, cp + 2);
      const fragOffset = offlg & 0xfff8;
      text += `frag (${fragOffset}|${len - 8}) `;
      advance = 8;
      if (fragOffset !== 0) {
        if (next !== PROTO_TCP) return;
        out.kind = IpKind.Fragment;
        out.text = text.trimEnd();
        return;
      }
      out.firstFragment = (offlg & 1) !== 0;
    } else return;
    nh = next;
    cp += advance;
    len -= advance;
  }
  if (nh !== PROTO_TCP) return;
  out.kind = IpKind.Tcp;
  out.text = text;
  out.withAddresses = cp === o + 40;
  out.tcp = cp;
  out.tcpLength = len;
}

/**
 * A routing header as tcpdump prints it: type 0 (deprecated source route) and
 * 2 (mobility) list their addresses, type 4 (segment routing) its entries.
 * null for types tcpdump decodes differently (not reproduced).
 */
function routingText(b: Uint8Array, cp: number): string | null {
  const len = b[cp + 1];
  const type = b[cp + 2];
  let s = `RT6 (len=${len}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${b[cp + 3]}`;
  let count: number;
  if (type === 0 || type === 2) count = len >> 1;
  else if (type === 4) {
    const flags = b[cp + 5];
    s += `, last-entry=${b[cp + 4]}`;
    if (flags !== 0) s += `, flags=0x${flags.toString(16)}`;
    s += `, tag=${be16(b, cp + 6).toString(16)}`;
    count = Math.min(b[cp + 4] + 1, len >> 1);
  } else return null;
  for (let i = 0; i < count; i++) s += `, [${i}]${ipv6Text(b, cp + 8 + 16 * i)}`;
  return s + ') ';
}
