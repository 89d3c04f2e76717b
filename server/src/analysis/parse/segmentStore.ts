// Segments whose numbers live in shared typed columns: the language server keeps a
// Segment per packet of each open document (351,623 on the 50 MB bench trace), and a
// TextSegment (segmentObject.ts) costs 144 bytes plus a 16-byte heap number for its
// time and for each seq/ack above 2^31 (V8 here has no pointer compression: every
// field is 8 bytes, and a double is boxed). A StoredSegment keeps only its endpoints,
// options and rare properties as its own, and its column slot; index, lines, time,
// flags, seq, ack, printed numbers, length and window are 47 bytes in columns.
//
// Readers see an ordinary Segment (getters); writers (the incremental paths move
// segments in place, the normalizer extends the last one) go through setters. A value
// a column cannot hold exactly (a seq beyond 32 bits from a hand-written trace) becomes
// an own property of that segment, which then shadows the column. Copies are
// TextSegments (copySegment), so they never write into the shared columns.
import type { FieldSpan, Segment, TcpOptions } from '../model';
import { addRareProperties, COMMON, STORED, type MutableSegment, type SegmentSource } from './segmentObject';

const CHUNK_BITS = 14;
/** Segments per set of columns: columns are never grown (no copy, no doubled peak). */
const CHUNK = 1 << CHUNK_BITS;

// Bits of Columns.nulls: the nullable values that are null.
const NULL_TIME = 1;
const NULL_SEQ = 2;
const NULL_ACK = 4;
const NULL_PRINTED_SEQ = 8;
const NULL_PRINTED_ACK = 16;
const NULL_WIN = 32;
/** Not a null: the segment has a number of its own (see ownValue), which shadows its column. */
const HAS_OWN = 64;

class Columns {
  readonly index = new Int32Array(CHUNK);
  readonly line = new Int32Array(CHUNK);
  readonly endLine = new Int32Array(CHUNK);
  readonly time = new Float64Array(CHUNK);
  readonly seq = new Uint32Array(CHUNK);
  readonly ack = new Uint32Array(CHUNK);
  readonly printedSeq = new Uint32Array(CHUNK);
  readonly printedAck = new Uint32Array(CHUNK);
  readonly len = new Uint32Array(CHUNK);
  readonly win = new Uint32Array(CHUNK);
  readonly flags = new Uint16Array(CHUNK);
  readonly nulls = new Uint8Array(CHUNK);
  used = 0;
}

const isInt32 = (v: number): boolean => (v | 0) === v;
const isUint32 = (v: number): boolean => v >>> 0 === v;

// Module functions, not private methods: a class with private methods gives every
// instance a brand field (8 bytes per segment).

/** `value` as an own property of `s` (slot `k` of `c`): it then shadows the prototype's accessor. */
function ownValue(s: object, c: Columns, k: number, key: string, value: unknown): void {
  c.nulls[k] |= HAS_OWN;
  Object.defineProperty(s, key, { value, writable: true, enumerable: true, configurable: true });
}

function setNullable(
  s: object,
  c: Columns,
  k: number,
  column: Uint32Array,
  bit: number,
  key: string,
  v: number | null,
): void {
  if (v === null) c.nulls[k] |= bit;
  else if (isUint32(v)) {
    c.nulls[k] &= ~bit;
    column[k] = v;
  } else ownValue(s, c, k, key, v);
}

class StoredSegment {
  declare src: Segment['src'];
  declare dst: Segment['dst'];
  declare options: TcpOptions;
  // On the prototype unless the line printed something else (as TextSegment's).
  declare format: Segment['format'];
  declare urg: number | null;
  declare truncated: boolean;
  declare badChecksum: boolean | null;
  declare fields: readonly FieldSpan[];
  declare flagsUnknown?: boolean;
  declare ip?: Segment['ip'];
  declare toolLabels?: readonly string[];
  declare appText?: string;
  readonly #c: Columns;
  readonly #k: number;

  /**
   * Moves stored segment `s` by `dSeg` places and `dLine` lines (the incremental
   * paths move every segment after an edit that inserted or removed lines), in its
   * columns at once; false when `s` is not a stored segment or has a number of its own.
   */
  static move(s: object, dSeg: number, dLine: number): boolean {
    if (!(#c in s)) return false;
    const c = s.#c;
    const k = s.#k;
    if ((c.nulls[k]! & HAS_OWN) !== 0) return false;
    c.index[k] += dSeg;
    c.line[k] += dLine;
    c.endLine[k] += dLine;
    return true;
  }

  constructor(c: Columns, k: number, src: Segment['src'], dst: Segment['dst'], options: TcpOptions) {
    this.#c = c;
    this.#k = k;
    this.src = src;
    this.dst = dst;
    this.options = options;
  }

  get index(): number {
    return this.#c.index[this.#k]!;
  }
  set index(v: number) {
    if (isInt32(v)) this.#c.index[this.#k] = v;
    else ownValue(this, this.#c, this.#k, 'index', v);
  }
  get line(): number {
    return this.#c.line[this.#k]!;
  }
  set line(v: number) {
    if (isInt32(v)) this.#c.line[this.#k] = v;
    else ownValue(this, this.#c, this.#k, 'line', v);
  }
  get endLine(): number {
    return this.#c.endLine[this.#k]!;
  }
  set endLine(v: number) {
    if (isInt32(v)) this.#c.endLine[this.#k] = v;
    else ownValue(this, this.#c, this.#k, 'endLine', v);
  }
  get time(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_TIME) !== 0 ? null : this.#c.time[this.#k]!;
  }
  set time(v: number | null) {
    const c = this.#c;
    const k = this.#k;
    if (v === null) c.nulls[k] |= NULL_TIME;
    else {
      c.nulls[k] &= ~NULL_TIME;
      c.time[k] = v;
    }
  }
  get flags(): number {
    return this.#c.flags[this.#k]!;
  }
  set flags(v: number) {
    if ((v & 0xffff) === v) this.#c.flags[this.#k] = v;
    else ownValue(this, this.#c, this.#k, 'flags', v);
  }
  get seq(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_SEQ) !== 0 ? null : this.#c.seq[this.#k]!;
  }
  set seq(v: number | null) {
    setNullable(this, this.#c, this.#k, this.#c.seq, NULL_SEQ, 'seq', v);
  }
  get ack(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_ACK) !== 0 ? null : this.#c.ack[this.#k]!;
  }
  set ack(v: number | null) {
    setNullable(this, this.#c, this.#k, this.#c.ack, NULL_ACK, 'ack', v);
  }
  get printedSeq(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_PRINTED_SEQ) !== 0 ? null : this.#c.printedSeq[this.#k]!;
  }
  set printedSeq(v: number | null) {
    setNullable(this, this.#c, this.#k, this.#c.printedSeq, NULL_PRINTED_SEQ, 'printedSeq', v);
  }
  get printedAck(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_PRINTED_ACK) !== 0 ? null : this.#c.printedAck[this.#k]!;
  }
  set printedAck(v: number | null) {
    setNullable(this, this.#c, this.#k, this.#c.printedAck, NULL_PRINTED_ACK, 'printedAck', v);
  }
  get len(): number {
    return this.#c.len[this.#k]!;
  }
  set len(v: number) {
    if (isUint32(v)) this.#c.len[this.#k] = v;
    else ownValue(this, this.#c, this.#k, 'len', v);
  }
  get win(): number | null {
    return (this.#c.nulls[this.#k]! & NULL_WIN) !== 0 ? null : this.#c.win[this.#k]!;
  }
  set win(v: number | null) {
    setNullable(this, this.#c, this.#k, this.#c.win, NULL_WIN, 'win', v);
  }
}

Object.assign(StoredSegment.prototype, COMMON, { [STORED]: true });

export const moveStoredSegment: (s: Segment, dSeg: number, dLine: number) => boolean = StoredSegment.move;

/** Makes segments as makeSegment() does, with their numbers in this store's columns. */
export class SegmentStore {
  /** The columns being filled; made at the first segment (a store may make none). */
  private columns: Columns | null = null;

  /** makeSegment()'s segment, stored. */
  make(
    index: number,
    line: number,
    endLine: number,
    time: number | null,
    r: SegmentSource,
    seq: number | null,
    ack: number | null,
    options: TcpOptions,
    fields: readonly FieldSpan[],
    ip: Segment['ip'],
  ): MutableSegment {
    let c = this.columns;
    if (c === null || c.used === CHUNK) this.columns = c = new Columns();
    const s: MutableSegment = new StoredSegment(c, c.used++, r.src, r.dst, options);
    s.index = index;
    s.line = line;
    s.endLine = endLine;
    s.time = time;
    s.flags = r.flags;
    s.seq = seq;
    s.ack = ack;
    s.printedSeq = r.printedSeq;
    s.printedAck = r.printedAck;
    s.len = r.len;
    s.win = r.win;
    addRareProperties(s, r, fields, ip);
    return s;
  }
}
