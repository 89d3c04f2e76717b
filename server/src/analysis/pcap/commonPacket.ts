// The common packet read in one go by fixed offsets: Ethernet (VLAN tags
// skipped), Linux cooked v1 or v2 (whose interface prefix the caller judges),
// BSD loopback or raw IP, then a plain IPv4 or IPv6 header (no fragment, no IPv6
// extension header, nothing missing) and a whole TCP header with its options
// captured. decodeLink/decodeIp/TcpDecoder.decode give the same fields for
// such a packet through their result objects; any other record is declined
// here and goes their way, so its line comes out as it always did.
import { be16, be32, le32 } from './bytes';
import {
  DLT_RAW,
  DLT_RAW_OPENBSD,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from './link';

/** The fields of a common packet (filled by decodeCommon, reused from packet to packet). */
export interface CommonPacket {
  /** 4 or 6. */
  version: number;
  /** Offsets of the source and destination address bytes. */
  srcAt: number;
  dstAt: number;
  /** Offset of the TCP header. */
  tcp: number;
  sport: number;
  dport: number;
  /** seq and ack as on the wire (absolute). */
  seq: number;
  ack: number;
  flags: number;
  win: number;
  urg: number;
  /** TCP header length (4 × data offset); its options are captured. */
  hlen: number;
  /** Payload length by the IP header. */
  len: number;
}

export function emptyCommonPacket(): CommonPacket {
  return {
    version: 0,
    srcAt: 0,
    dstAt: 0,
    tcp: 0,
    sport: 0,
    dport: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    win: 0,
    urg: 0,
    hlen: 0,
    len: 0,
  };
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;

/**
 * The IP header's offset in a record of this link type, or -1 (declined);
 * `out.version` is set to the IP version the link header names (0: raw IP,
 * the header's own version nibble decides).
 */
function networkStart(
  b: Uint8Array,
  linkType: number,
  start: number,
  capEnd: number,
  wireLen: number,
  out: CommonPacket,
): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (capEnd - start < 14 || wireLen < 14) return -1;
      return pastTags(b, be16(b, start + 12), start + 14, capEnd, wireLen - 14, true, out);
    case LINKTYPE_LINUX_SLL:
      if (capEnd - start < 16 || wireLen < 16) return -1;
      return pastTags(b, be16(b, start + 14), start + 16, capEnd, wireLen - 16, false, out);
    case LINKTYPE_LINUX_SLL2:
      if (capEnd - start < 20 || wireLen < 20) return -1;
      return pastTags(b, be16(b, start), start + 20, capEnd, wireLen - 20, false, out);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (capEnd - start < 4 || wireLen < 4) return -1;
      let family = linkType === LINKTYPE_LOOP ? be32(b, start) : le32(b, start);
      // NULL is in the capturing host's byte order (decodeLink's rule).
      if (linkType === LINKTYPE_NULL && (family & 0xffff0000) !== 0) family = be32(b, start);
      out.version = family === 2 ? 4 : family === 24 || family === 28 || family === 30 ? 6 : -1;
      return start + 4;
    }
    case DLT_RAW:
    case DLT_RAW_OPENBSD:
    case LINKTYPE_RAW:
      out.version = 0;
      return start;
    case LINKTYPE_IPV4:
      out.version = 4;
      return start;
    case LINKTYPE_IPV6:
      out.version = 6;
      return start;
    default:
      return -1;
  }
}

/**
 * The IP header's offset after a link header whose ethertype is `type` and
 * which ends at `o` (`left` bytes of the packet from there), past VLAN tags:
 * Ethernet's any number of 802.1Q/802.1ad/QinQ tags (`anyTags`; tcpdump
 * prints them only with -e), or a cooked capture's one 802.1Q tag. -1 when
 * they do not fit; sets `out.version` by the ethertype (-1: not IP).
 */
function pastTags(
  b: Uint8Array,
  type: number,
  o: number,
  capEnd: number,
  left: number,
  anyTags: boolean,
  out: CommonPacket,
): number {
  for (let tags = 0; anyTags ? isVlan(type) : tags === 0 && type === 0x8100; tags++) {
    if (o + 4 > capEnd || left < 4) return -1;
    type = be16(b, o + 2);
    o += 4;
    left -= 4;
  }
  out.version = type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : -1;
  return o;
}

function isVlan(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200;
}

/**
 * Fills `out` when the record is a common packet and returns true; returns
 * false for any other record (out is then meaningless). `start`/`capEnd`
 * delimit the captured bytes, `wireLen` is the length on the wire.
 */
export function decodeCommon(
  b: Uint8Array,
  linkType: number,
  start: number,
  capEnd: number,
  wireLen: number,
  out: CommonPacket,
): boolean {
  const o = networkStart(b, linkType, start, capEnd, wireLen, out);
  if (o < 0 || o >= capEnd) return false;
  // The header's version nibble must be the one the link names (decodeIp's checks).
  const version = b[o] >> 4;
  if (out.version !== 0 && out.version !== version) return false;
  const length = wireLen - (o - start);
  let t: number;
  let end: number;
  let tcpLength: number;
  if (version === 4) {
    if (o + 20 > capEnd || b[o + 9] !== PROTO_TCP) return false;
    const ihl = (b[o] & 15) * 4;
    const len = be16(b, o + 2);
    // Short header, truncated packet, fragment: tcpdump prints them otherwise.
    if (ihl < 20 || length < len || len < ihl || (be16(b, o + 6) & 0x1fff) !== 0) return false;
    out.srcAt = o + 12;
    out.dstAt = o + 16;
    t = o + ihl;
    end = capEnd < o + len ? capEnd : o + len;
    tcpLength = len - ihl;
  } else if (version === 6) {
    if (o + 40 > capEnd || b[o + 6] !== PROTO_TCP) return false;
    const payload = be16(b, o + 4);
    // A zero payload length (jumbogram) takes the length on the wire.
    const len = payload === 0 ? length : payload + 40;
    if (length < len) return false;
    out.srcAt = o + 8;
    out.dstAt = o + 24;
    t = o + 40;
    end = capEnd < o + len ? capEnd : o + len;
    tcpLength = len - 40;
  } else return false;
  if (t + 20 > end) return false;
  const hlen = (b[t + 12] >> 4) * 4;
  if (hlen < 20 || hlen > tcpLength || t + hlen > end) return false;
  out.version = version;
  out.tcp = t;
  out.sport = (b[t] << 8) | b[t + 1];
  out.dport = (b[t + 2] << 8) | b[t + 3];
  out.seq = be32(b, t + 4);
  out.ack = be32(b, t + 8);
  out.flags = b[t + 13];
  out.win = (b[t + 14] << 8) | b[t + 15];
  out.urg = (b[t + 18] << 8) | b[t + 19];
  out.hlen = hlen;
  out.len = tcpLength - hlen;
  return true;
}
