// Classic pcap files (libpcap's savefile format): a 24-byte file header in the
// writer's byte order, then records of a 16-byte header and the captured
// bytes. Microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magics, either byte
// order, and Kuznetzov's patched format (a1b2cd34, 24-byte record headers).
// Framing errors stop the reading as libpcap does, keeping what came before.
import { be16, be32, le16, le32, type Read16, type Read32 } from './bytes';
import type { ProblemLog } from './problems';
import type { CaptureRecord } from './record';
import type { ByteWindow } from './window';

/** The readers pause after this many packets (a power of two), see readPcap. */
export const STEP_MASK = 4095;

/** libpcap refuses records longer than this (MAXIMUM_SNAPLEN). */
export const MAX_SNAPLEN = 262144;

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const MAGIC_KUZNETZOV = 0xa1b2cd34;

interface PcapHeader {
  readonly r32: Read32;
  readonly r16: Read16;
  readonly nano: boolean;
  readonly recordHeader: number;
}

function header(bytes: Uint8Array): PcapHeader | null {
  if (bytes.length < 4) return null;
  for (const [r32, r16] of [
    [le32, le16],
    [be32, be16],
  ] as const) {
    const m = r32(bytes, 0);
    if (m === MAGIC_MICRO || m === MAGIC_NANO || m === MAGIC_KUZNETZOV)
      return { r32, r16, nano: m === MAGIC_NANO, recordHeader: m === MAGIC_KUZNETZOV ? 24 : 16 };
  }
  return null;
}

export function isPcap(bytes: Uint8Array): boolean {
  return header(bytes) !== null;
}

/** What the record loop reads with. */
interface RecordLoop {
  readonly little: boolean;
  readonly nano: boolean;
  readonly recordHeader: number;
  readonly snap: number;
}

/**
 * Calls onRecord for every record of a pcap file (the same object, updated;
 * `start` is an index into `w.bytes` as it is during the call). Returns the
 * number of records read. Pauses (yields) every STEP_MASK + 1 records, so a
 * caller can spread the work over time slices.
 */
export function* readPcap(
  w: ByteWindow,
  rec: CaptureRecord,
  log: ProblemLog,
  onRecord: (r: CaptureRecord) => void,
): Generator<void, number> {
  w.ensure(0, 24);
  const h = header(w.bytes);
  if (h === null) {
    log.error(0, 'not a pcap file (unknown magic number)');
    return 0;
  }
  if (w.end < 24) {
    log.error(0, `truncated pcap file header: ${w.end} of 24 bytes`);
    return 0;
  }
  const major = h.r16(w.bytes, 4);
  if (major !== 2) {
    log.error(4, `unsupported pcap version ${major}.${h.r16(w.bytes, 6)} (only 2.x is defined)`);
    return 0;
  }
  const fileSnap = h.r32(w.bytes, 16);
  // The upper bits may carry FCS information; the link type is the low 16 bits.
  rec.linkType = h.r32(w.bytes, 20) & 0xffff;
  rec.number = 0;
  const loop: RecordLoop = {
    little: h.r32 === le32,
    nano: h.nano,
    recordHeader: h.recordHeader,
    snap: fileSnap === 0 || fileSnap > MAX_SNAPLEN ? MAX_SNAPLEN : fileSnap,
  };
  // The loop runs in a plain function between the pauses: a generator's own loop is not optimised.
  let at = readRecords(w, rec, log, onRecord, loop, 24);
  while (at >= 0) {
    yield;
    at = readRecords(w, rec, log, onRecord, loop, at);
  }
  return rec.number;
}

/**
 * Reads records from file offset `at` until the count (`rec.number`) reaches a
 * multiple of STEP_MASK + 1 (returns the next record's offset: pause, then go
 * on from there) or the file or its framing ends (returns -1). Where it is goes
 * back by the return value, not by properties it sets: V8 compiles the first
 * call's loop while it runs (on-stack replacement), before the code after the
 * loop ever ran, and a property store there without type feedback threw that
 * code away at the end of every call in some runs (245 deoptimisations in a
 * run of the 1M pcap), where a return needs none.
 */
function readRecords(
  w: ByteWindow,
  rec: CaptureRecord,
  log: ProblemLog,
  onRecord: (r: CaptureRecord) => void,
  loop: RecordLoop,
  at: number,
): number {
  const { little, nano, recordHeader, snap } = loop;
  let o = at;
  let n = rec.number;
  let more = false;
  while (w.ensure(o, 1)) {
    if (!w.ensure(o, recordHeader)) {
      log.error(o, `file ends inside a record header: ${w.end - o} of ${recordHeader} bytes`, n + 1);
      break;
    }
    let bytes = w.bytes;
    let i = o - w.base;
    // Direct calls in the record loop (a call through r32 is not inlined).
    const seconds = little ? le32(bytes, i) : be32(bytes, i);
    const frac = little ? le32(bytes, i + 4) : be32(bytes, i + 4);
    const capLen = little ? le32(bytes, i + 8) : be32(bytes, i + 8);
    const wireLen = little ? le32(bytes, i + 12) : be32(bytes, i + 12);
    if (capLen > MAX_SNAPLEN) {
      log.error(
        o,
        `record length ${capLen} is larger than the maximum of ${MAX_SNAPLEN}: the file is damaged here`,
        n + 1,
      );
      break;
    }
    const data = o + recordHeader;
    if (!w.ensure(o, recordHeader + capLen)) {
      log.error(o, `file ends inside packet ${n + 1}: ${w.end - data} of ${capLen} captured bytes`, n + 1);
      break;
    }
    bytes = w.bytes;
    i = o - w.base;
    n++;
    rec.number = n;
    rec.offset = o;
    rec.seconds = seconds;
    rec.micros = nano ? Math.floor(frac / 1000) : frac;
    rec.start = i + recordHeader;
    // Bytes beyond the file's snapshot length are skipped, as libpcap does.
    rec.capLen = capLen > snap ? snap : capLen;
    rec.wireLen = wireLen;
    onRecord(rec);
    o = data + capLen;
    if ((n & STEP_MASK) === 0) {
      more = true;
      break;
    }
  }
  return more ? o : -1;
}
