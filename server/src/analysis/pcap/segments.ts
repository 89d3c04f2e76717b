// The direct analysis path: a capture's segments without its text. The
// analysis of a capture is defined as the analysis of its tcpdump rendering
// (every line number is a line of that text), so each line's segment must be
// the one the text parser would make of it. The common line (Ethernet/raw/
// cooked-v1/loopback, plain IPv4 or IPv6, a whole TCP header with the usual
// options) goes to the SegmentMaker as its decoded fields, and becomes its
// Segment with no record and no text in between (the first lines, which the
// -S vote holds back, as the record the parser would read); any other line is
// rendered and read by the text parser, so odd packets cost what they always
// did and come out the same by construction.
import type { ParseResult, SackBlock, TcpOptions } from '../model';
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
import { decodeCaptureSteps, runToEnd, writePacket, type DecodedPacket } from './decode';
import { IpKind } from './ip';
import { problemFinding, type CaptureParseOptions } from './parse';
import { effectiveTimeZone } from './render';
import { TextSink } from './sink';
import { CaptureEndpoints } from './captureEndpoints';
import { SegmentMaker, type DirectLine } from './segmentMaker';
import { TcpStage } from './tcp';
import { TimestampFormatter } from './timestamp';
import type { ByteWindow } from './window';

/**
 * The options as the text parser reads their printed list, or null when the
 * list holds anything but nop, mss, wscale, sackOK, sack and TS in their
 * proper sizes (the line is then read from its text). The caller guarantees
 * the area is captured.
 */
function readOptions(b: Uint8Array, o: number, n: number, sackBase: number): TcpOptions | null {
  // Most segments carry just nop, nop, TS: made as one literal, not by adding properties.
  if (n === 12 && b[o] === 1 && b[o + 1] === 1 && b[o + 2] === 8 && b[o + 3] === 10)
    return { tsVal: be32(b, o + 4), tsEcr: be32(b, o + 8) };
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
        out ??= {};
        out.mss = be16(b, cp + 2);
        break;
      case 3:
        if (len !== 3) return null;
        out ??= {};
        out.wscale = b[cp + 2];
        break;
      case 4:
        if (len !== 2) return null;
        out ??= {};
        out.sackPermitted = true;
        break;
      case 5: {
        if (len < 10 || (len - 2) % 8 !== 0) return null;
        const blocks: SackBlock[] = [];
        for (let i = cp + 2; i < cp + len; i += 8)
          blocks.push({ left: (be32(b, i) - sackBase) >>> 0, right: (be32(b, i + 4) - sackBase) >>> 0 });
        out ??= {};
        out.sack = blocks;
        break;
      }
      case 8:
        if (len !== 10) return null;
        out ??= {};
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
  const clock = new TimestampFormatter(effectiveTimeZone(options.timeZone), withDate);
  const mode = withDate ? TsMode.Date : TsMode.TimeOfDay;
  const timeKind = withDate ? TimeKind.Absolute : TimeKind.TimeOfDay;
  const endpoints = new CaptureEndpoints();
  const maker = new SegmentMaker(endpoints, options.onSegment ?? null);
  const scratch = new TextSink();
  const utf8 = new TextDecoder();
  // The context after a line built from its fields (interned: compared with ===).
  const afterDirect = contextOf(mode, false, true);
  let ctx: LineContext = INITIAL_CONTEXT;
  let lastPrefix = '';
  let lastPrefixPlain = true;
  let line = 0;
  const d: DirectLine = {
    timeKind,
    timeValue: 0,
    src: 0,
    dst: 0,
    flags: 0,
    printedSeq: null,
    printedAck: null,
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

  /** The line rendered and read as text (several lines, should it hold a line break). */
  const readRendered = (p: DecodedPacket): void => {
    if (counts !== undefined) counts.textLines++;
    scratch.length = 0;
    clock.write(scratch, p.record.seconds, p.record.micros);
    writePacket(p, scratch);
    const text = utf8.decode(scratch.bytes());
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      push(readLine(text, line, ctx, start, nl, false));
      start = nl + 1;
    }
    push(readLine(text.slice(start), line, ctx, 0, text.length - start, false));
  };

  const summary = yield* decodeCaptureSteps(bytes, { interfaceName: options.interfaceName }, (p) => {
    const ip = p.ip;
    const f = p.tcp;
    const b = p.bytes;
    const prefix = p.link.prefix;
    if (prefix !== lastPrefix) {
      // One prefix per interface and direction: asked once per change.
      lastPrefix = prefix;
      lastPrefixPlain = prefix === '' || plainPrefix(prefix);
    }
    if (
      !lastPrefixPlain ||
      ip.kind !== IpKind.Tcp ||
      f.stage !== TcpStage.Complete ||
      (ip.text !== 'IP ' && ip.text !== 'IP6 ') ||
      ip.tcp + f.hlen > ip.end ||
      (f.len > 0 && printsAppText(f.sport, f.dport)) ||
      (ctx.tsMode !== TsMode.Unknown && ctx.tsMode !== mode)
    ) {
      readRendered(p);
      return;
    }
    const time = clock.value(p.record.seconds, p.record.micros);
    const opts = f.hlen > 20 ? readOptions(b, ip.tcp + 20, f.hlen - 20, f.sackBase) : EMPTY_OPTIONS;
    if (Number.isNaN(time) || opts === null) {
      readRendered(p);
      return;
    }
    const flags = f.flags;
    const v4 = ip.version === 4;
    d.timeValue = time;
    d.src = v4 ? endpoints.ipv4(b, ip.srcAt, f.sport) : endpoints.ipv6(ip.src, f.sport);
    d.dst = v4 ? endpoints.ipv4(b, ip.dstAt, f.dport) : endpoints.ipv6(ip.dst, f.dport);
    d.flags = flags;
    d.printedSeq = f.len > 0 || (flags & (SYN | FIN | RST)) !== 0 ? f.seq : null;
    d.printedAck = (flags & ACK) !== 0 ? f.ack : null;
    d.len = f.len;
    d.win = f.win;
    d.urg = (flags & URG) !== 0 ? f.urg : null;
    d.options = opts;
    if (counts !== undefined) counts.directLines++;
    if (maker.decided) {
      maker.direct(d, line);
      ctx = afterDirect;
      line++;
    } else push(heldRecord(d, endpoints, line, ctx.tsMode === TsMode.Unknown ? mode : undefined));
  });
  // The text ends with a line break: the empty line after it is a line too.
  push(SKIP);
  const result = maker.finish();
  const problems = summary.problems.map((p) => problemFinding(p, line));
  return {
    format: 'tcpdump',
    lineCount: line,
    segments: result.segments,
    diagnostics: [...result.diagnostics, ...problems],
    disabledCodes: result.disabledCodes,
  };
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
