// Link layers: where the IP packet starts in a record and what tcpdump prints
// before it without -e. Ethernet (802.1Q/802.1ad/QinQ tags skipped, as tcpdump
// prints them only with -e), Linux cooked v1 (nothing printed) and v2 (the
// interface name and the direction), raw IP, and BSD loopback (NULL: host byte
// order; LOOP: network byte order).
import { be16, be32, le32 } from './bytes';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW on most systems / on OpenBSD; LINKTYPE_RAW is what pcap files should hold. */
export const DLT_RAW = 12;
export const DLT_RAW_OPENBSD = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/** BSD address families carried by NULL/LOOP headers. */
const AF_INET = 2;
const AF_INET6 = new Set([24, 28, 30]);

/** Linux cooked-capture packet types, as tcpdump prints them (`%-3s`). */
const SLL_DIRECTION = ['In ', 'B  ', 'M  ', 'P  ', 'Out'];

/** Where the network layer is, filled in by decodeLink. */
export interface LinkResult {
  /** What tcpdump prints between the timestamp and `IP`. */
  prefix: string;
  /** Offset of the IP header. */
  net: number;
  /** 4, 6, or 0 for "by the version nibble" (raw IP). */
  family: number;
  /** Packet length on the wire from `net` on (as tcpdump's `length` argument). */
  length: number;
}

/** Interface name for a Linux cooked v2 interface index (tcpdump asks the host reading the file). */
export type InterfaceNamer = (index: number) => string | undefined;

/** What tcpdump prints before `IP` for a Linux cooked v2 record: the interface name and the direction. */
export function sll2Prefix(b: Uint8Array, start: number, names: InterfaceNamer | undefined): string {
  const name = names?.(be32(b, start + 4)) ?? '?';
  const direction = SLL_DIRECTION[b[start + 10]] ?? '?  ';
  return `${name.padEnd(5)} ${direction} `;
}

function etherFamily(type: number): number {
  return type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : -1;
}

/**
 * Finds the IP packet of a record. `start`/`capEnd` delimit the captured
 * bytes, `wireLen` is the original length. Returns false when the record is
 * not IP (or too short to tell): it is then not a TCP packet.
 */
export function decodeLink(
  b: Uint8Array,
  linkType: number,
  start: number,
  capEnd: number,
  wireLen: number,
  names: InterfaceNamer | undefined,
  out: LinkResult,
): boolean {
  const cap = capEnd - start;
  out.prefix = '';
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (cap < 14 || wireLen < 14) return false;
      let o = start + 12;
      let type = be16(b, o);
      let length = wireLen - 14;
      o += 2;
      while (VLAN_TYPES.has(type)) {
        if (o + 4 > capEnd || length < 4) return false;
        type = be16(b, o + 2);
        o += 4;
        length -= 4;
      }
      out.family = etherFamily(type);
      out.net = o;
      out.length = length;
      return out.family > 0;
    }
    case LINKTYPE_LINUX_SLL:
    case LINKTYPE_LINUX_SLL2: {
      // v1: the ethertype ends its 16-byte header; v2: it starts its 20 bytes, and the line shows a prefix.
      const v2 = linkType === LINKTYPE_LINUX_SLL2;
      const header = v2 ? 20 : 16;
      if (cap < header || wireLen < header) return false;
      if (v2) out.prefix = sll2Prefix(b, start, names);
      let type = be16(b, v2 ? start : start + 14);
      let o = start + header;
      let length = wireLen - header;
      if (type === 0x8100) {
        if (o + 4 > capEnd || length < 4) return false;
        type = be16(b, o + 2);
        o += 4;
        length -= 4;
      }
      out.family = etherFamily(type);
      out.net = o;
      out.length = length;
      return out.family > 0;
    }
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (cap < 4 || wireLen < 4) return false;
      let family = linkType === LINKTYPE_LOOP ? be32(b, start) : le32(b, start);
      // NULL is in the capturing host's byte order: swap when the value only makes sense swapped.
      if (linkType === LINKTYPE_NULL && (family & 0xffff0000) !== 0) family = be32(b, start);
      out.family = family === AF_INET ? 4 : AF_INET6.has(family) ? 6 : -1;
      out.net = start + 4;
      out.length = wireLen - 4;
      return out.family > 0;
    }
    case DLT_RAW:
    case DLT_RAW_OPENBSD:
    case LINKTYPE_RAW:
      out.family = 0;
      out.net = start;
      out.length = wireLen;
      return cap >= 1;
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      out.family = linkType === LINKTYPE_IPV4 ? 4 : 6;
      out.net = start;
      out.length = wireLen;
      return cap >= 1;
    default:
      return false;
  }
}
