// The walk over a capture shared by the renderer and the direct analysis
// path: container → records → link layer → IP → TCP, with the counts and
// problems every caller reports. Callers get each shown packet's decoded
// fields and can write its line (writePacket).
import { decodeIp, emptyIp, IpKind, type IpResult } from './ip';
import { decodeLink, type InterfaceNamer, type LinkResult } from './link';
import { isPcapng, readPcapng } from './pcapng';
import { isPcap, readPcap } from './pcapFile';
import { ProblemLog } from './problems';
import { emptyRecord, type CaptureRecord } from './record';
import { emptyTcp, TcpDecoder, writeTcp, type TcpFields } from './tcp';
import type { TextSink } from './sink';
import type { CaptureProblem } from './types';
import { ByteWindow } from './window';
import { runToEnd } from '../steps';

export interface DecodedPacket {
  /** The bytes the offsets of record, link, ip refer to (the window's, during the call). */
  bytes: Uint8Array;
  readonly record: CaptureRecord;
  readonly link: LinkResult;
  readonly ip: IpResult;
  /** The TCP header's fields; meaningless for fragments (ip.kind Fragment), which have none. */
  readonly tcp: TcpFields;
}

/** Writes a packet's line after the timestamp (link prefix, IP part, TCP part), without the newline. */
export function writePacket(p: DecodedPacket, w: TextSink): void {
  if (p.link.prefix !== '') w.str(p.link.prefix);
  w.str(p.ip.text);
  if (p.ip.kind !== IpKind.Fragment) writeTcp(p.bytes, p.ip, p.tcp, w);
}

export interface DecodeSummary {
  readonly container: 'pcap' | 'pcapng' | 'unknown';
  readonly packets: number;
  readonly tcpPackets: number;
  readonly skipped: number;
  readonly fragments: number;
  readonly problems: readonly CaptureProblem[];
}

export interface DecodeOptions {
  readonly interfaceName?: InterfaceNamer;
}

/**
 * A faster way for the common record (the direct analysis path): it takes a
 * record whole, or declines it having changed nothing, and the record is then
 * decoded here and handed to onPacket.
 */
export interface RecordShortcut {
  /** The TCP decoder to use: the shortcut shares its state (tcpdump's numbering). */
  readonly tcp: TcpDecoder;
  /** true: the record was one shown TCP packet, and is done with. */
  take(bytes: Uint8Array, r: CaptureRecord): boolean;
}

export function isCaptureBytes(bytes: Uint8Array): boolean {
  return isPcap(bytes) || isPcapng(bytes);
}

/**
 * Decodes every record and calls `onPacket` for each packet the rendering
 * shows (TCP, and TCP fragments), in order; the packet object is reused.
 */
export function decodeCapture(
  input: Uint8Array | ByteWindow,
  options: DecodeOptions,
  onPacket: (p: DecodedPacket) => void,
): DecodeSummary {
  return runToEnd(decodeCaptureSteps(input, options, onPacket));
}

/** decodeCapture() in steps: it pauses every few thousand packets (for time slices). */
export function* decodeCaptureSteps(
  input: Uint8Array | ByteWindow,
  options: DecodeOptions,
  onPacket: (p: DecodedPacket) => void,
  shortcut?: RecordShortcut,
): Generator<void, DecodeSummary> {
  const w = input instanceof ByteWindow ? input : ByteWindow.of(input);
  const log = new ProblemLog();
  const rec = emptyRecord();
  const link: LinkResult = { prefix: '', net: 0, family: 0, length: 0 };
  const ip = emptyIp();
  const tcp = emptyTcp();
  const tcpDecoder = shortcut?.tcp ?? new TcpDecoder();
  const packet: DecodedPacket = { bytes: w.bytes, record: rec, link, ip, tcp };
  let tcpPackets = 0;
  let skipped = 0;
  let fragments = 0;
  let unknownLink = -1;
  const onRecord = (r: CaptureRecord): void => {
    const bytes = w.bytes;
    if (shortcut !== undefined && shortcut.take(bytes, r)) {
      tcpPackets++;
      log.lines = tcpPackets;
      return;
    }
    packet.bytes = bytes;
    const capEnd = r.start + r.capLen;
    if (!decodeLink(bytes, r.linkType, r.start, capEnd, r.wireLen, options.interfaceName, link)) {
      skipped++;
      if (r.linkType !== unknownLink && !KNOWN_LINKS.has(r.linkType)) {
        unknownLink = r.linkType;
        log.warning(r.offset, `link type ${r.linkType} is not supported: its packets are skipped`, r.number);
      }
      return;
    }
    decodeIp(bytes, link.net, capEnd, link.length, link.family, ip);
    if (ip.kind === IpKind.Other) {
      skipped++;
      return;
    }
    tcpPackets++;
    log.lines = tcpPackets;
    if (ip.kind === IpKind.Fragment) fragments++;
    else tcpDecoder.decode(bytes, ip, tcp);
    onPacket(packet);
  };
  let container: DecodeSummary['container'] = 'unknown';
  let packets = 0;
  w.ensure(0, 4);
  const head = w.bytes;
  if (isPcap(head)) {
    container = 'pcap';
    packets = yield* readPcap(w, rec, log, onRecord);
  } else if (isPcapng(head)) {
    container = 'pcapng';
    packets = yield* readPcapng(w, rec, log, onRecord);
  } else {
    log.error(
      0,
      head.length < 4
        ? `not a capture file: only ${head.length} bytes`
        : 'not a capture file: unknown magic number',
    );
  }
  const size = w.size();
  if (fragments > 0)
    log.warning(
      size,
      `${fragments} IP fragment${fragments === 1 ? '' : 's'} without a TCP header: shown as tcpdump prints them, not analysed`,
    );
  return { container, packets, tcpPackets, skipped, fragments, problems: log.finish(size) };
}

const KNOWN_LINKS = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);
