// pcapng files: a sequence of blocks (type, total length, body, total length
// again). A Section Header Block sets the byte order of its section; each
// Interface Description Block declares one interface (link type, snap length,
// timestamp resolution and offset); packets come as Enhanced, Simple or the
// obsolete Packet Blocks. Every other block type is skipped by its length.
import { be16, be32, le16, le32, type Read16, type Read32 } from './bytes';
import { MAX_SNAPLEN, STEP_MASK } from './pcapFile';
import type { ProblemLog } from './problems';
import type { CaptureRecord } from './record';
import type { ByteWindow } from './window';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OBSOLETE_PB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** libpcap's limit for one block (16 MiB); anything larger is damage. */
const MAX_BLOCK = 16 * 1024 * 1024;

const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface Interface {
  readonly linkType: number;
  readonly snapLen: number;
  /** Timestamp units per second. */
  readonly units: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  readonly offset: number;
}

export function isPcapng(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && be32(bytes, 0) === SHB;
}

/** Below this, a 64-bit timestamp and a multiple of its units are exact doubles. */
const EXACT_BELOW = 2 ** 52;

/**
 * Sets `rec.seconds` and `rec.micros` from a packet block's timestamp (hi·2^32 + lo
 * units since the epoch) and its interface, without the long division's arrays
 * where doubles are exact: below 2^52 the rounding of t / units is under 1 / (2·units),
 * less than any fraction's distance to the next whole number (at least 1 / units),
 * so its floor is the exact quotient. Microsecond stamps of today (~2^50) are below;
 * nanosecond ones (~2^61) take divide64.
 */
export function setBlockTime(
  rec: Pick<CaptureRecord, 'seconds' | 'micros'>,
  hi: number,
  lo: number,
  units: number,
  offset: number,
): void {
  const t = hi * 4294967296 + lo;
  let whole: number;
  let frac: number;
  if (t < EXACT_BELOW && units <= 0xffffffff) {
    whole = Math.floor(t / units);
    frac = t - whole * units;
  } else [whole, frac] = divide64(hi, lo, units);
  rec.seconds = whole + offset;
  rec.micros = toMicros(frac, units);
}

/** (hi·2^32 + lo) split into whole units and the remainder, exactly (16-bit long division). */
function divide64(hi: number, lo: number, units: number): [number, number] {
  if (units > 0xffffffff) {
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    const u = BigInt(units);
    return [Number(t / u), Number(t % u)];
  }
  let q = 0;
  let r = 0;
  for (const digit of [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff]) {
    const x = r * 65536 + digit;
    const d = Math.floor(x / units);
    r = x - d * units;
    q = q * 65536 + d;
  }
  return [q, r];
}

/** The remainder of a timestamp as microseconds, truncated as libpcap does. */
function toMicros(frac: number, units: number): number {
  if (units === 1000000) return frac;
  if (units > 1000000 && units % 1000000 === 0) return Math.floor(frac / (units / 1000000));
  return Math.floor((frac * 1000000) / units);
}

function readOptions(
  bytes: Uint8Array,
  start: number,
  end: number,
  r16: Read16,
  r32: Read32,
): { units: number; offset: number } {
  let units = 1000000;
  let offset = 0;
  let o = start;
  while (o + 4 <= end) {
    const code = r16(bytes, o);
    const len = r16(bytes, o + 2);
    const value = o + 4;
    if (code === OPT_END || value + len > end) break;
    if (code === IF_TSRESOL && len >= 1) {
      const v = bytes[value];
      const exp = v & 0x7f;
      units = v & 0x80 ? 2 ** exp : 10 ** exp;
    } else if (code === IF_TSOFFSET && len >= 8) {
      const first = r32(bytes, value);
      const second = r32(bytes, value + 4);
      // 64-bit signed seconds in the section's byte order.
      const [hi, lo] = r32 === le32 ? [second, first] : [first, second];
      offset = (hi | 0) * 4294967296 + lo;
    }
    o = value + ((len + 3) & ~3);
  }
  return { units, offset };
}

/** What the block loop reads with, and where it is: kept from one pause to the next. */
interface BlockLoop {
  r32: Read32;
  r16: Read16;
  interfaces: Interface[];
  /** Packets read (and skipped packet blocks counted as packets). */
  count: number;
  offset: number;
  sawSection: boolean;
}

/**
 * Calls onRecord for every packet block of a pcapng file (`start` is an index
 * into `w.bytes` as it is during the call); returns the number of packets.
 * Pauses (yields) every few thousand packets, as readPcap does.
 */
export function* readPcapng(
  w: ByteWindow,
  rec: CaptureRecord,
  log: ProblemLog,
  onRecord: (r: CaptureRecord) => void,
): Generator<void, number> {
  const loop: BlockLoop = { r32: le32, r16: le16, interfaces: [], count: 0, offset: 0, sawSection: false };
  // The loop runs in a plain function between the pauses: a generator's own loop is not optimised.
  while (readBlocks(w, rec, log, onRecord, loop)) yield;
  return loop.count;
}

/**
 * Reads blocks until the packet count reaches a multiple of STEP_MASK + 1 (true:
 * pause, then go on) or the file or its framing ends (false).
 */
function readBlocks(
  w: ByteWindow,
  rec: CaptureRecord,
  log: ProblemLog,
  onRecord: (r: CaptureRecord) => void,
  loop: BlockLoop,
): boolean {
  let { r32, r16, interfaces, sawSection } = loop;
  let n = loop.count;
  let o = loop.offset;
  let more = false;
  while (w.ensure(o, 1)) {
    if (!w.ensure(o, 12)) {
      log.error(o, `file ends inside a block header: ${w.end - o} of 12 bytes`);
      break;
    }
    let bytes = w.bytes;
    let i = o - w.base;
    let type = r32(bytes, i);
    if (be32(bytes, i) === SHB) {
      type = SHB;
      const magicLe = le32(bytes, i + 8);
      const magicBe = be32(bytes, i + 8);
      if (magicLe === BYTE_ORDER_MAGIC) {
        r32 = le32;
        r16 = le16;
      } else if (magicBe === BYTE_ORDER_MAGIC) {
        r32 = be32;
        r16 = be16;
      } else {
        log.error(o + 8, 'section header with an unknown byte-order magic: the file is damaged here');
        break;
      }
      sawSection = true;
      interfaces = [];
    } else if (!sawSection) {
      log.error(o, 'not a pcapng file (no section header block)');
      break;
    }
    const total = r32(bytes, i + 4);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
      log.error(
        o + 4,
        `block length ${total} is impossible (must be a multiple of 4 between 12 and ${MAX_BLOCK}): the file is damaged here`,
      );
      break;
    }
    if (!w.ensure(o, total)) {
      log.error(
        o,
        `file ends inside a block: ${w.end - o} of ${total} bytes`,
        type === EPB || type === SPB || type === OBSOLETE_PB ? n + 1 : undefined,
      );
      break;
    }
    bytes = w.bytes;
    i = o - w.base;
    if (r32(bytes, i + total - 4) !== total) {
      log.error(
        o + total - 4,
        `block length ${total} is not repeated at the block's end: the file is damaged here`,
      );
      break;
    }
    const body = i + 8;
    const end = i + total - 4;
    if (type === SHB) {
      // magic(4) major(2) minor(2) section length(8), options
    } else if (type === IDB) {
      if (end - body < 8) {
        log.error(o, 'interface description block too short');
        break;
      }
      const { units, offset } = readOptions(bytes, body + 8, end, r16, r32);
      const snap = r32(bytes, body + 4);
      interfaces.push({
        linkType: r16(bytes, body),
        snapLen: snap === 0 ? MAX_SNAPLEN : snap,
        units,
        offset,
      });
    } else if (type === EPB || type === OBSOLETE_PB || type === SPB) {
      let iface: Interface | undefined;
      let capLen: number;
      let wireLen: number;
      let data: number;
      let hi = 0;
      let lo = 0;
      if (type === SPB) {
        iface = interfaces[0];
        if (end - body < 4) {
          log.warning(o, 'simple packet block too short; skipped', n + 1);
          o += total;
          continue;
        }
        wireLen = r32(bytes, body);
        data = body + 4;
        capLen = Math.min(wireLen, end - data, iface?.snapLen ?? MAX_SNAPLEN);
      } else {
        if (end - body < 20) {
          log.warning(o, 'packet block too short; skipped', n + 1);
          o += total;
          continue;
        }
        const id = type === EPB ? r32(bytes, body) : r16(bytes, body);
        iface = interfaces[id];
        hi = r32(bytes, body + 4);
        lo = r32(bytes, body + 8);
        capLen = r32(bytes, body + 12);
        wireLen = r32(bytes, body + 16);
        data = body + 20;
        if (iface === undefined) {
          log.warning(
            o,
            `packet on interface ${id}, which no interface description block declared; skipped`,
            n + 1,
          );
          n++;
          o += total;
          continue;
        }
        if (capLen > end - data) {
          log.error(
            o + 20,
            `captured length ${capLen} is larger than its block: the file is damaged here`,
            n + 1,
          );
          break;
        }
      }
      if (iface === undefined) {
        log.warning(o, 'simple packet block before any interface description block; skipped', n + 1);
        n++;
        o += total;
        continue;
      }
      n++;
      rec.number = n;
      rec.offset = o;
      rec.linkType = iface.linkType;
      setBlockTime(rec, hi, lo, iface.units, iface.offset);
      rec.start = data;
      rec.capLen = capLen;
      rec.wireLen = wireLen;
      onRecord(rec);
      if ((n & STEP_MASK) === 0) {
        o += total;
        more = true;
        break;
      }
    }
    o += total;
  }
  loop.r32 = r32;
  loop.r16 = r16;
  loop.interfaces = interfaces;
  loop.sawSection = sawSection;
  loop.count = n;
  loop.offset = o;
  return more;
}
