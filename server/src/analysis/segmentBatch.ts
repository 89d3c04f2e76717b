// Segments in a compact binary form, to hand them from the thread that parses a
// trace to the thread that analyses it. Structured cloning (postMessage of the
// objects) costs about 10 µs per segment, more than parsing it; here each
// segment is a row of numbers in a Float64Array that is transferred, not copied,
// and the reader makes objects equal (deepStrictEqual) to the writer's.
//
// Endpoints keep their identity: the writer numbers each Endpoint object it
// meets, a batch carries the ones first met in it, and the reader makes one
// object per number, so endpoints interned by the parser stay interned.
import type { Endpoint, InputFormat, SackBlock, Segment, TcpOptions } from './model';

/** One batch of segments, ready for postMessage (transfer `rows.buffer`). */
export interface SegmentBatch {
  /** `count` rows of ROW numbers each. */
  readonly rows: Float64Array<ArrayBuffer>;
  readonly count: number;
  /** Endpoints first used in this batch, in the order of their numbers: host, port, service or null. */
  readonly endpoints: readonly (readonly [string, number, string | null])[];
  /** JSON of the rare parts of the segments whose RARE column is not NaN (index into this list). */
  readonly rare: readonly string[];
}

const FORMATS: readonly InputFormat[] = ['tcpdump', 'tshark', 'packetdrill', 'unknown'];
/** Segments per batch: large enough that messages are few, small enough that memory stays bounded. */
export const BATCH_SEGMENTS = 4096;
/** SACK blocks kept in columns; more go with the rare parts. */
const SACK_COLUMNS = 4;

// Column numbers of a row. NaN stands for null or absent throughout.
const INDEX = 0;
const LINE = 1;
const END_LINE = 2;
/** Format number, plus TRUNCATED and the checksum's three values as bits. */
const BITS = 3;
const TIME = 4;
const SRC = 5;
const DST = 6;
const FLAGS = 7;
const SEQ = 8;
const ACK = 9;
const PRINTED_SEQ = 10;
const PRINTED_ACK = 11;
const LEN = 12;
const WIN = 13;
const URG = 14;
const MSS = 15;
const WSCALE = 16;
/** 0 or 1 for sackPermitted false or true. */
const SACK_OK = 17;
const TS_VAL = 18;
const TS_ECR = 19;
/** Number of SACK blocks in the columns after it; NaN when the segment has no `sack`. */
const SACK_COUNT = 20;
const SACK_FIRST = 21;
/** Index into SegmentBatch.rare, NaN when the segment has no rare parts. */
const RARE = SACK_FIRST + 2 * SACK_COLUMNS;
export const ROW = RARE + 1;

const TRUNCATED_BIT = 4;
const CHECKSUM_SHIFT = 3;
const CHECKSUM_BITS = 0x18;

/** The properties of a segment's options that travel with the rare parts (the others have columns). */
type RareOption = 'tfo' | 'mptcp' | 'other' | 'bad';
/** The properties of a segment that travel with the rare parts (`fields` only when not empty). */
type RareProperty = 'fields' | 'flagsUnknown' | 'ip' | 'toolLabels' | 'appText';
type ColumnOption = 'mss' | 'wscale' | 'sackPermitted' | 'tsVal' | 'tsEcr' | 'sack';
type ColumnProperty =
  | 'index'
  | 'line'
  | 'endLine'
  | 'format'
  | 'time'
  | 'src'
  | 'dst'
  | 'flags'
  | 'seq'
  | 'ack'
  | 'printedSeq'
  | 'printedAck'
  | 'len'
  | 'win'
  | 'urg'
  | 'options'
  | 'truncated'
  | 'badChecksum';
/** Fails to compile when the model gains a property that the batches do not carry. */
type Carried<T extends true> = T;
export type EveryOptionCarried = Carried<
  Exclude<keyof TcpOptions, RareOption | ColumnOption> extends never ? true : false
>;
export type EveryPropertyCarried = Carried<
  Exclude<keyof Segment, RareProperty | ColumnProperty> extends never ? true : false
>;

/** What a segment has beyond the columns (JSON). */
interface RareParts {
  /** Its rare properties. */
  segment?: Record<string, unknown>;
  /** The rare properties of its options. */
  options?: Record<string, unknown>;
}

function formatNumber(f: InputFormat): number {
  return f === 'tcpdump' ? 0 : f === 'tshark' ? 1 : f === 'packetdrill' ? 2 : 3;
}

const orNaN = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

export class SegmentBatchWriter {
  private rows: Float64Array<ArrayBuffer> = new Float64Array(BATCH_SEGMENTS * ROW);
  private count = 0;
  private endpoints: [string, number, string | null][] = [];
  private rare: string[] = [];
  private readonly ids = new Map<Endpoint, number>();

  /** Adds a segment; returns a full batch to send when it completed one, else null. */
  add(s: Segment): SegmentBatch | null {
    const r = this.rows;
    const at = this.count * ROW;
    r[at + INDEX] = s.index;
    r[at + LINE] = s.line;
    r[at + END_LINE] = s.endLine;
    const checksum = s.badChecksum === null ? 0 : s.badChecksum ? 2 : 1;
    r[at + BITS] = formatNumber(s.format) | (s.truncated ? TRUNCATED_BIT : 0) | (checksum << CHECKSUM_SHIFT);
    r[at + TIME] = orNaN(s.time);
    r[at + SRC] = this.idOf(s.src);
    r[at + DST] = this.idOf(s.dst);
    r[at + FLAGS] = s.flags;
    r[at + SEQ] = orNaN(s.seq);
    r[at + ACK] = orNaN(s.ack);
    r[at + PRINTED_SEQ] = orNaN(s.printedSeq);
    r[at + PRINTED_ACK] = orNaN(s.printedAck);
    r[at + LEN] = s.len;
    r[at + WIN] = orNaN(s.win);
    r[at + URG] = orNaN(s.urg);
    const o = s.options;
    r[at + MSS] = orNaN(o.mss);
    r[at + WSCALE] = orNaN(o.wscale);
    r[at + SACK_OK] = o.sackPermitted === undefined ? NaN : o.sackPermitted ? 1 : 0;
    r[at + TS_VAL] = orNaN(o.tsVal);
    r[at + TS_ECR] = orNaN(o.tsEcr);
    let rare: RareParts | null = null;
    const sack = o.sack;
    if (sack === undefined || sack.length > SACK_COLUMNS) {
      r[at + SACK_COUNT] = NaN;
      if (sack !== undefined) rare = { options: { sack } };
    } else {
      r[at + SACK_COUNT] = sack.length;
      for (let k = 0; k < sack.length; k++) {
        r[at + SACK_FIRST + 2 * k] = sack[k].left;
        r[at + SACK_FIRST + 2 * k + 1] = sack[k].right;
      }
    }
    // Named reads (not a loop over key names): this runs for every segment.
    if (o.tfo !== undefined || o.mptcp !== undefined || o.other !== undefined || o.bad !== undefined) {
      const more: { -readonly [K in RareOption]?: TcpOptions[K] } = {};
      if (o.tfo !== undefined) more.tfo = o.tfo;
      if (o.mptcp !== undefined) more.mptcp = o.mptcp;
      if (o.other !== undefined) more.other = o.other;
      if (o.bad !== undefined) more.bad = o.bad;
      rare ??= {};
      rare.options = { ...rare.options, ...more };
    }
    if (
      s.fields.length > 0 ||
      s.flagsUnknown !== undefined ||
      s.ip !== undefined ||
      s.toolLabels !== undefined ||
      s.appText !== undefined
    ) {
      const more: { -readonly [K in RareProperty]?: Segment[K] } = {};
      if (s.fields.length > 0) more.fields = s.fields;
      if (s.flagsUnknown !== undefined) more.flagsUnknown = s.flagsUnknown;
      if (s.ip !== undefined) more.ip = s.ip;
      if (s.toolLabels !== undefined) more.toolLabels = s.toolLabels;
      if (s.appText !== undefined) more.appText = s.appText;
      rare ??= {};
      rare.segment = more;
    }
    if (rare === null) r[at + RARE] = NaN;
    else {
      r[at + RARE] = this.rare.length;
      this.rare.push(JSON.stringify(rare));
    }
    this.count++;
    return this.count === BATCH_SEGMENTS ? this.take() : null;
  }

  /** The segments added since the last batch (possibly none). */
  take(): SegmentBatch {
    const batch: SegmentBatch = {
      rows: this.rows.subarray(0, this.count * ROW),
      count: this.count,
      endpoints: this.endpoints,
      rare: this.rare,
    };
    this.rows = new Float64Array(BATCH_SEGMENTS * ROW);
    this.count = 0;
    this.endpoints = [];
    this.rare = [];
    return batch;
  }

  private idOf(e: Endpoint): number {
    let id = this.ids.get(e);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(e, id);
      this.endpoints.push([e.host, e.port, e.service ?? null]);
    }
    return id;
  }
}

const nullIfNaN = (v: number): number | null => (Number.isNaN(v) ? null : v);

export class SegmentBatchReader {
  private readonly endpoints: Endpoint[] = [];

  /** The batch's segments, in the order they were written. */
  read(batch: SegmentBatch, onSegment: (s: Segment) => void): void {
    for (const [host, port, service] of batch.endpoints)
      this.endpoints.push(service === null ? { host, port } : { host, port, service });
    const r = batch.rows;
    for (let i = 0; i < batch.count; i++) onSegment(this.segmentAt(r, i * ROW, batch.rare));
  }

  private segmentAt(r: Float64Array, at: number, rareTexts: readonly string[]): Segment {
    const rare: RareParts | null = Number.isNaN(r[at + RARE])
      ? null
      : (JSON.parse(rareTexts[r[at + RARE]]) as RareParts);
    const options: { -readonly [K in keyof TcpOptions]: TcpOptions[K] } = {};
    if (!Number.isNaN(r[at + MSS])) options.mss = r[at + MSS];
    if (!Number.isNaN(r[at + WSCALE])) options.wscale = r[at + WSCALE];
    if (!Number.isNaN(r[at + SACK_OK])) options.sackPermitted = r[at + SACK_OK] === 1;
    if (!Number.isNaN(r[at + TS_VAL])) options.tsVal = r[at + TS_VAL];
    if (!Number.isNaN(r[at + TS_ECR])) options.tsEcr = r[at + TS_ECR];
    const sackCount = r[at + SACK_COUNT];
    if (!Number.isNaN(sackCount)) {
      const sack: SackBlock[] = [];
      for (let k = 0; k < sackCount; k++)
        sack.push({ left: r[at + SACK_FIRST + 2 * k], right: r[at + SACK_FIRST + 2 * k + 1] });
      options.sack = sack;
    }
    const bits = r[at + BITS];
    const checksum = (bits & CHECKSUM_BITS) >> CHECKSUM_SHIFT;
    const s: { -readonly [K in keyof Segment]: Segment[K] } = {
      index: r[at + INDEX],
      line: r[at + LINE],
      endLine: r[at + END_LINE],
      format: FORMATS[bits & 3],
      time: nullIfNaN(r[at + TIME]),
      src: this.endpoints[r[at + SRC]],
      dst: this.endpoints[r[at + DST]],
      flags: r[at + FLAGS],
      seq: nullIfNaN(r[at + SEQ]),
      ack: nullIfNaN(r[at + ACK]),
      printedSeq: nullIfNaN(r[at + PRINTED_SEQ]),
      printedAck: nullIfNaN(r[at + PRINTED_ACK]),
      len: r[at + LEN],
      win: nullIfNaN(r[at + WIN]),
      urg: nullIfNaN(r[at + URG]),
      options,
      truncated: (bits & TRUNCATED_BIT) !== 0,
      badChecksum: checksum === 0 ? null : checksum === 2,
      fields: [],
    };
    if (rare?.options !== undefined) Object.assign(options, rare.options);
    if (rare?.segment !== undefined) Object.assign(s, rare.segment);
    return s;
  }
}
