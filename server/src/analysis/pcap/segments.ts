// The direct analysis path: a capture's segments without its text. The
// analysis of a capture is defined as the analysis of its tcpdump rendering
// (every line number is a line of that text), so each line's segment must be
// the one the text parser would make of it. The common record (see
// commonPacket.ts: plain IPv4 or IPv6, a whole TCP header, the usual options)
// is read by offsets and goes to the SegmentMaker as its fields, and becomes
// its Segment with no record and no text in between (the first lines, which
// the -S vote holds back, as the record the parser would read); any other
// record is decoded the long way, rendered and read by the text parser, so
// odd packets cost what they always did and come out the same by construction.
import type { Endpoint, ParseResult, SackBlock, TcpOptions } from '../model';
import { ACK, FIN, RST, SYN, URG } from '../model';
import { nextContext, readLine } from '../parse';
import {
  contextOf,
  INITIAL_CONTEXT,
  newPacketRecord,
  SKIP,
  TimeKind,
  TsMode,
  type LineContext,
  type LineRecord,
  type PacketRecord,
} from '../parse/records';
import { EMPTY_OPTIONS, type MutableOptions } from '../parse/tcpdumpOptions';
import { printsAppText } from './app';
import { be16, be32 } from './bytes';
import { ipv6Text } from './address';
import { CaptureEndpoints } from './captureEndpoints';
import { decodeCommon, emptyCommonPacket, type CommonPacket } from './commonPacket';
import {
  ACK_BASE,
  ConversationFlag,
  type Conversations,
  ID_A,
  ID_B,
  isReversed,
  KIND,
  numberInConversation,
  PAIR,
  SEQ_BASE,
  type Numbered,
} from './conversations';
import { decodeCaptureSteps, writePacket, type DecodedPacket } from './decode';
import { runToEnd } from '../steps';
import { LINKTYPE_LINUX_SLL2, sll2Prefix } from './link';
import { problemFinding, type CaptureParseOptions } from './parse';
import type { CaptureRecord } from './record';
import { effectiveTimeZone } from './render';
import { SegmentMaker, type DirectLine } from './segmentMaker';
import { TextSink } from './sink';
import { TcpDecoder } from './tcp';
import { TimestampFormatter } from './timestamp';
import type { ByteWindow } from './window';

/**
 * The options as the text parser reads their printed list (SACK edges as on
 * the wire: the caller makes them relative), or null when the list holds
 * anything but nop, mss, wscale, sackOK, sack and TS in their proper sizes
 * (the line is then read from its text). The caller guarantees the area is
 * captured. Into `into` when given (SegmentMaker.reusableOptions: every field
 * set, those not in the list to undefined), else a new object.
 */
function readOptions(b: Uint8Array, o: number, n: number, into: MutableOptions | null): TcpOptions | null {
  // Most segments carry just nop, nop, TS: made as one literal, not by adding properties.
  if (n === 12 && b[o] === 1 && b[o + 1] === 1 && b[o + 2] === 8 && b[o + 3] === 10) {
    if (into === null) return { tsVal: be32(b, o + 4), tsEcr: be32(b, o + 8) };
    const out = cleared(into);
    out.tsVal = be32(b, o + 4);
    out.tsEcr = be32(b, o + 8);
    return out;
  }
  let out: MutableOptions | null = null;
  const end = o + n;
  let cp = o;
  while (cp < end) {
    const kind = b[cp];
    if (kind === 1) {
      cp++;
      continue;
    }
    if (kind === 0 || cp + 1 >= end) return null;
    const len = b[cp + 1];
    if (len < 2 || cp + len > end) return null;
    switch (kind) {
      case 2:
        if (len !== 4) return null;
        out ??= blank(into);
        out.mss = be16(b, cp + 2);
        break;
      case 3:
        if (len !== 3) return null;
        out ??= blank(into);
        out.wscale = b[cp + 2];
        break;
      case 4:
        if (len !== 2) return null;
        out ??= blank(into);
        out.sackPermitted = true;
        break;
      case 5: {
        if (len < 10 || (len - 2) % 8 !== 0) return null;
        const blocks: SackBlock[] = [];
        for (let i = cp + 2; i < cp + len; i += 8) blocks.push({ left: be32(b, i), right: be32(b, i + 4) });
        out ??= blank(into);
        out.sack = blocks;
        break;
      }
      case 8:
        if (len !== 10) return null;
        out ??= blank(into);
        out.tsVal = be32(b, cp + 2);
        out.tsEcr = be32(b, cp + 6);
        break;
      default:
        return null;
    }
    cp += len;
  }
  return out ?? EMPTY_OPTIONS;
}

/** An options object to fill: `into` cleared, or a new one. */
function blank(into: MutableOptions | null): MutableOptions {
  return into === null ? {} : cleared(into);
}

/** `into` with every field the direct path reads set to undefined. */
function cleared(into: MutableOptions): MutableOptions {
  into.mss = undefined;
  into.wscale = undefined;
  into.sackPermitted = undefined;
  into.sack = undefined;
  into.tsVal = undefined;
  into.tsEcr = undefined;
  return into;
}

/**
 * Does the text parser read a line with this link prefix as it reads one
 * without? Linux cooked v2 prints `NAME DIR ` (padded): read so when the name
 * is one printable word the parser cannot take for something else (`IP`, a
 * MAC-looking or `ethertype` text) and the direction is one it knows.
 */
function plainPrefix(prefix: string): boolean {
  const m = /^([\x21-\x7e]+) +(?:In|Out|B|M|P) +$/.exec(prefix);
  if (m === null) return false;
  const name = m[1] as string;
  return !/^(?:IP6?|ip6?:)$/.test(name) && !name.includes('ethertype') && name.length < 17;
}

/** How the lines were made (for tests and benchmarks). */
export interface DirectCounts {
  /** Lines rendered and read as text. */
  textLines: number;
  /** Lines built from the decoded fields. */
  directLines: number;
  /** Of those, lines whose absolute numbers were taken from the wire (SegmentMaker.wireNumbers). */
  wireLines: number;
}

/**
 * The ParseResult of the capture's rendering, the same as parseCapture's with
 * `spans: false`, built without the text for the common lines. The capture is
 * bytes in memory or a window reading the file in pieces. With
 * `options.onSegment` each segment goes there as it is made and is not kept
 * (the result's `segments` is then empty).
 */
export function parseCaptureDirect(
  bytes: Uint8Array | ByteWindow,
  options: CaptureParseOptions = {},
  counts?: DirectCounts,
): ParseResult {
  return runToEnd(parseCaptureDirectSteps(bytes, options, counts));
}

/** parseCaptureDirect() in steps: it pauses every few thousand packets (for time slices). */
export function* parseCaptureDirectSteps(
  bytes: Uint8Array | ByteWindow,
  options: CaptureParseOptions = {},
  counts?: DirectCounts,
): Generator<void, ParseResult> {
  const withDate = options.withDate === true;
  const names = options.interfaceName;
  const clock = new TimestampFormatter(effectiveTimeZone(options.timeZone), withDate);
  const mode = withDate ? TsMode.Date : TsMode.TimeOfDay;
  const timeKind = withDate ? TimeKind.Absolute : TimeKind.TimeOfDay;
  const endpoints = new CaptureEndpoints();
  const tcp = new TcpDecoder();
  const maker = new SegmentMaker(endpoints, options.onSegment ?? null, options.transientSegments === true);
  const scratch = new TextSink();
  const utf8 = new TextDecoder();
  // The context after a line built from its fields (interned: compared with ===).
  const afterDirect = contextOf(mode, false, true);
  let ctx: LineContext = INITIAL_CONTEXT;
  // Linux cooked v2 prefixes read as plain, by interface index and direction byte.
  const plainSll2 = new Map<number, boolean>();
  let line = 0;
  const p = emptyCommonPacket();
  /** Per conversation number c: its endpoints (key order) at 2c and 2c + 1, once a line built from fields named them. */
  const pairEndpoints: Endpoint[] = [];
  const numbered: Numbered = { seq: 0, ack: 0, sackBase: 0 };
  const d: DirectLine = {
    timeKind,
    timeValue: 0,
    src: 0,
    dst: 0,
    srcEndpoint: NO_ENDPOINT,
    dstEndpoint: NO_ENDPOINT,
    pair: -1,
    flags: 0,
    printedSeq: null,
    printedAck: null,
    srcBase: 0,
    dstBase: 0,
    len: 0,
    win: 0,
    urg: null,
    options: EMPTY_OPTIONS,
  };

  const push = (r: LineRecord): void => {
    maker.push(r, line);
    ctx = nextContext(ctx, r);
    line++;
  };

  /** Does the text parser read this cooked v2 record's prefix as it reads a line without one? */
  const sll2Plain = (b: Uint8Array, start: number): boolean => {
    const key = be32(b, start + 4) * 256 + b[start + 10];
    let plain = plainSll2.get(key);
    if (plain === undefined) {
      plain = plainPrefix(sll2Prefix(b, start, names));
      plainSll2.set(key, plain);
    }
    return plain;
  };

  /** The common record as a line built from its fields; false (nothing changed) for any other. */
  const take = (b: Uint8Array, r: CaptureRecord): boolean => {
    if (!decodeCommon(b, r.linkType, r.start, r.start + r.capLen, r.wireLen, p)) return false;
    if (r.linkType === LINKTYPE_LINUX_SLL2 && !sll2Plain(b, r.start)) return false;
    if (ctx.tsMode !== TsMode.Unknown && ctx.tsMode !== mode) return false;
    if (p.len > 0 && printsAppText(p.sport, p.dport)) return false;
    const time = clock.value(r.seconds, r.micros);
    if (Number.isNaN(time)) return false;
    const opts =
      p.hlen > 20 ? readOptions(b, p.tcp + 20, p.hlen - 20, maker.reusableOptions()) : EMPTY_OPTIONS;
    if (opts === null) return false;
    const v4 = p.version === 4;
    const reversed = isReversed(b, p.srcAt, p.dstAt, v4 ? 4 : 16, p.sport, p.dport);
    const conversations = tcp.conversations;
    const at = conversations.find(b, p.version, p.srcAt, p.dstAt, p.sport, p.dport, reversed);
    const words = conversations.words;
    if ((words[at + KIND] & ConversationFlag.Endpoints) === 0)
      conversationEndpoints(endpoints, b, p, reversed, conversations, at, pairEndpoints);
    const flags = p.flags;
    let seq = p.seq;
    let ack = p.ack;
    let wire = false;
    if ((flags & ACK) !== 0) {
      // tcpdump's relative numbers, in the conversation the long way shares.
      numberInConversation(words, at, reversed, (flags & SYN) !== 0, seq, ack, numbered);
      seq = numbered.seq;
      ack = numbered.ack;
      wire =
        (flags & SYN) === 0 &&
        (words[at + KIND] & ConversationFlag.Checked) !== 0 &&
        maker.wireNumbers(words[at + PAIR]);
      // Its own object (made just now, or the maker's to reuse): SACK edges become relative as tcpdump prints them
      // (unless the segment takes the wire's, which it then needs as they are).
      if (!wire && opts.sack !== undefined && numbered.sackBase !== 0)
        (opts as MutableOptions).sack = rebased(opts.sack, numbered.sackBase);
    }
    if (wire) {
      // wireNumbers() allowed it (so: decided, with ACK): the segment from these fields at once.
      if (counts !== undefined) {
        counts.directLines++;
        counts.wireLines++;
      }
      const c = 2 * conversations.number(at);
      const printedSeq = p.len > 0 || (flags & (SYN | FIN | RST)) !== 0 ? seq : null;
      maker.wireLine(
        line,
        timeKind,
        time,
        pairEndpoints[reversed ? c + 1 : c] as Endpoint,
        pairEndpoints[reversed ? c : c + 1] as Endpoint,
        flags,
        printedSeq === null ? null : p.seq,
        p.ack,
        printedSeq,
        ack,
        p.len,
        p.win,
        (flags & URG) !== 0 ? p.urg : null,
        opts,
      );
      ctx = afterDirect;
      line++;
      return true;
    }
    d.timeValue = time;
    d.src = words[at + (reversed ? ID_B : ID_A)];
    d.dst = words[at + (reversed ? ID_A : ID_B)];
    // The pair's objects side by side, by conversation number: one memory access for both.
    const c = 2 * conversations.number(at);
    d.srcEndpoint = pairEndpoints[reversed ? c + 1 : c] as Endpoint;
    d.dstEndpoint = pairEndpoints[reversed ? c : c + 1] as Endpoint;
    d.pair = words[at + PAIR];
    d.flags = flags;
    d.printedSeq = p.len > 0 || (flags & (SYN | FIN | RST)) !== 0 ? seq : null;
    d.printedAck = (flags & ACK) !== 0 ? ack : null;
    d.len = p.len;
    d.win = p.win;
    d.urg = (flags & URG) !== 0 ? p.urg : null;
    d.options = opts;
    d.srcBase = words[at + (reversed ? ACK_BASE : SEQ_BASE)];
    d.dstBase = words[at + (reversed ? SEQ_BASE : ACK_BASE)];
    if (counts !== undefined) counts.directLines++;
    if (maker.decided) {
      maker.direct(d, line);
      words[at + PAIR] = d.pair;
      // direct() compared the bases after this line (or, with wire, they stayed as compared).
      if ((flags & ACK) !== 0) words[at + KIND] |= ConversationFlag.Checked;
      ctx = afterDirect;
      line++;
    } else push(heldRecord(d, endpoints, line, ctx.tsMode === TsMode.Unknown ? mode : undefined));
    return true;
  };

  /** Any other record: its line rendered and read as text (several lines, should it hold a line break). */
  const readRendered = (packet: DecodedPacket): void => {
    if (counts !== undefined) counts.textLines++;
    scratch.length = 0;
    clock.write(scratch, packet.record.seconds, packet.record.micros);
    writePacket(packet, scratch);
    const text = utf8.decode(scratch.bytes());
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      push(readLine(text, line, ctx, start, nl, false));
      start = nl + 1;
    }
    push(readLine(text.slice(start), line, ctx, 0, text.length - start, false));
  };

  const summary = yield* decodeCaptureSteps(bytes, { interfaceName: names }, readRendered, { tcp, take });
  // The text ends with a line break: the empty line after it is a line too.
  push(SKIP);
  const result = maker.finish();
  const problems = summary.problems.map((problem) => problemFinding(problem, line));
  return {
    format: 'tcpdump',
    lineCount: line,
    segments: result.segments,
    diagnostics: [...result.diagnostics, ...problems],
    disabledCodes: result.disabledCodes,
  };
}

/** Stands for an endpoint not known yet (never in a segment). */
const NO_ENDPOINT: Endpoint = { host: '', port: 0 };

/** The endpoint ids of a conversation, made on its first line built from fields. */
function conversationEndpoints(
  endpoints: CaptureEndpoints,
  b: Uint8Array,
  p: CommonPacket,
  reversed: boolean,
  conversations: Conversations,
  at: number,
  pairEndpoints: Endpoint[],
): void {
  const words = conversations.words;
  const v4 = p.version === 4;
  const aAt = reversed ? p.dstAt : p.srcAt;
  const bAt = reversed ? p.srcAt : p.dstAt;
  const aPort = reversed ? p.dport : p.sport;
  const bPort = reversed ? p.sport : p.dport;
  const idA = v4 ? endpoints.ipv4(b, aAt, aPort) : endpoints.ipv6(ipv6Text(b, aAt), aPort);
  const idB = v4 ? endpoints.ipv4(b, bAt, bPort) : endpoints.ipv6(ipv6Text(b, bAt), bPort);
  words[at + ID_A] = idA;
  words[at + ID_B] = idB;
  const a = endpoints.byId[idA] as Endpoint;
  const z = endpoints.byId[idB] as Endpoint;
  const c = 2 * conversations.number(at);
  // Conversations are numbered in order of appearance: the array grows at its end (or fills an earlier gap).
  while (pairEndpoints.length < c) pairEndpoints.push(NO_ENDPOINT);
  pairEndpoints[c] = a;
  pairEndpoints[c + 1] = z;
  words[at + KIND] |= ConversationFlag.Endpoints;
}

/** SACK edges relative to `base`. */
function rebased(sack: readonly SackBlock[], base: number): SackBlock[] {
  return sack.map((s) => ({ left: (s.left - base) >>> 0, right: (s.right - base) >>> 0 }));
}

/** The record the text parser reads from a direct line (for the first lines, which are held). */
function heldRecord(
  d: DirectLine,
  endpoints: CaptureEndpoints,
  line: number,
  learnedTsMode: TsMode | undefined,
): PacketRecord {
  const r = newPacketRecord();
  r.line = line;
  r.endLine = line;
  r.timeKind = d.timeKind;
  r.timeValue = d.timeValue;
  r.src = endpoints.interned(d.src);
  r.dst = endpoints.interned(d.dst);
  r.flags = d.flags;
  r.printedSeq = d.printedSeq;
  r.printedAck = d.printedAck;
  r.len = d.len;
  r.win = d.win;
  r.urg = d.urg;
  r.options = d.options;
  r.learnedTsMode = learnedTsMode;
  return r;
}
