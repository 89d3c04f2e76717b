// The Segment objects of text traces. Every own property of an object costs 8
// bytes, and a language server keeps one Segment per packet of a document (351,623
// on the 50 MB bench trace): the properties nearly every segment has alike (tcpdump
// format, no urgent pointer, not truncated, no checksum verdict, no field spans —
// the language server reads lines without them) are the prototype's, and a segment
// has them as its own only when its line printed something else. 14 own properties
// instead of 19: about 40 bytes less per segment, and one object shape for the
// common segment. Readers see the same values (`s.urg` is null either way); a copy
// must keep the prototype (copySegment, not `{ ...s }`).
import type { FieldSpan, InputFormat, Segment, TcpOptions } from '../model';
import { NO_FIELDS, type PacketRecord } from './records';

export type MutableSegment = { -readonly [K in keyof Segment]: Segment[K] };

/** What a segment takes from its packet record as it is. */
export type SegmentSource = Pick<
  PacketRecord,
  | 'format'
  | 'src'
  | 'dst'
  | 'flags'
  | 'flagsKnown'
  | 'printedSeq'
  | 'printedAck'
  | 'len'
  | 'win'
  | 'urg'
  | 'truncated'
  | 'badChecksum'
  | 'toolLabels'
  | 'appText'
>;

class TextSegment {
  declare index: number;
  declare line: number;
  declare endLine: number;
  declare time: number | null;
  declare src: Segment['src'];
  declare dst: Segment['dst'];
  declare flags: number;
  declare seq: number | null;
  declare ack: number | null;
  declare printedSeq: number | null;
  declare printedAck: number | null;
  declare len: number;
  declare win: number | null;
  declare options: TcpOptions;
  // On the prototype unless the line printed something else (see below).
  declare format: InputFormat;
  declare urg: number | null;
  declare truncated: boolean;
  declare badChecksum: boolean | null;
  declare fields: readonly FieldSpan[];
  // Own properties when present, as on every Segment.
  declare flagsUnknown?: boolean;
  declare ip?: Segment['ip'];
  declare toolLabels?: readonly string[];
  declare appText?: string;

  constructor(
    index: number,
    line: number,
    endLine: number,
    time: number | null,
    src: Segment['src'],
    dst: Segment['dst'],
    flags: number,
    seq: number | null,
    ack: number | null,
    printedSeq: number | null,
    printedAck: number | null,
    len: number,
    win: number | null,
    options: TcpOptions,
  ) {
    this.index = index;
    this.line = line;
    this.endLine = endLine;
    this.time = time;
    this.src = src;
    this.dst = dst;
    this.flags = flags;
    this.seq = seq;
    this.ack = ack;
    this.printedSeq = printedSeq;
    this.printedAck = printedAck;
    this.len = len;
    this.win = win;
    this.options = options;
  }
}

/** The values most segments have, as TextSegment's prototype holds them. */
export const COMMON: Pick<Segment, 'format' | 'urg' | 'truncated' | 'badChecksum' | 'fields'> = {
  format: 'tcpdump',
  urg: null,
  truncated: false,
  badChecksum: null,
  fields: NO_FIELDS,
};
Object.assign(TextSegment.prototype, COMMON);

/**
 * The segment of packet record `r` (its numbers made absolute: seq, ack and
 * the options with absolute SACK blocks), with the optional properties in the
 * order the parsers always added them.
 */
export function makeSegment(
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
  const s: MutableSegment = new TextSegment(
    index,
    line,
    endLine,
    time,
    r.src,
    r.dst,
    r.flags,
    seq,
    ack,
    r.printedSeq,
    r.printedAck,
    r.len,
    r.win,
    options,
  );
  addRareProperties(s, r, fields, ip);
  return s;
}

/**
 * The properties of `r` a segment seldom has other than the common value, or at all,
 * set on `s` where it has them, in the order the parsers always added them (one shape
 * for the same set).
 */
export function addRareProperties(
  s: MutableSegment,
  r: SegmentSource,
  fields: readonly FieldSpan[],
  ip: Segment['ip'],
): void {
  if (r.format !== COMMON.format) s.format = r.format;
  if (r.urg !== COMMON.urg) s.urg = r.urg;
  if (r.truncated !== COMMON.truncated) s.truncated = r.truncated;
  if (r.badChecksum !== COMMON.badChecksum) s.badChecksum = r.badChecksum;
  if (fields.length !== 0) s.fields = fields;
  if (ip !== undefined) s.ip = ip;
  if (r.toolLabels !== undefined) s.toolLabels = r.toolLabels;
  if (r.appText !== undefined) s.appText = r.appText;
  if (!r.flagsKnown) s.flagsUnknown = true;
}

/**
 * The segment of a capture's packet line built from its fields (pcap/segmentMaker.ts):
 * tcpdump format, known flags, not truncated, no checksum verdict, no spans, no IP notes.
 */
export function makeWireSegment(
  index: number,
  line: number,
  time: number | null,
  src: Segment['src'],
  dst: Segment['dst'],
  flags: number,
  seq: number | null,
  ack: number | null,
  printedSeq: number | null,
  printedAck: number | null,
  len: number,
  win: number,
  urg: number | null,
  options: TcpOptions,
): MutableSegment {
  const s: MutableSegment = new TextSegment(
    index,
    line,
    line,
    time,
    src,
    dst,
    flags,
    seq,
    ack,
    printedSeq,
    printedAck,
    len,
    win,
    options,
  );
  if (urg !== COMMON.urg) s.urg = urg;
  return s;
}

/**
 * Marks the prototype of segments whose numbers live elsewhere (segmentStore.ts):
 * their own properties are not all they hold.
 */
export const STORED: unique symbol = Symbol('stored segment');

/**
 * A copy of `s` to change: the same own properties and prototype (a spread would
 * lose the prototype's); a TextSegment with the same values for a stored segment
 * (whose copy must not write into the columns it shares).
 */
export function copySegment(s: Segment): MutableSegment {
  if (STORED in s) return plainSegment(s);
  return Object.assign(Object.create(Object.getPrototypeOf(s) as object) as MutableSegment, s);
}

/** A TextSegment with the values of `s`, read through its properties. */
function plainSegment(s: Segment): MutableSegment {
  const c: MutableSegment = new TextSegment(
    s.index,
    s.line,
    s.endLine,
    s.time,
    s.src,
    s.dst,
    s.flags,
    s.seq,
    s.ack,
    s.printedSeq,
    s.printedAck,
    s.len,
    s.win,
    s.options,
  );
  if (s.format !== COMMON.format) c.format = s.format;
  if (s.urg !== COMMON.urg) c.urg = s.urg;
  if (s.truncated !== COMMON.truncated) c.truncated = s.truncated;
  if (s.badChecksum !== COMMON.badChecksum) c.badChecksum = s.badChecksum;
  if (s.fields !== COMMON.fields) c.fields = s.fields;
  if (s.ip !== undefined) c.ip = s.ip;
  if (s.toolLabels !== undefined) c.toolLabels = s.toolLabels;
  if (s.appText !== undefined) c.appText = s.appText;
  if (s.flagsUnknown !== undefined) c.flagsUnknown = s.flagsUnknown;
  return c;
}
