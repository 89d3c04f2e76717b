// renderCapture: the TCP packets of a capture as `tcpdump -n -r FILE tcp`
// prints them, one '\n'-terminated line each.
import { decodeCapture, decodeCaptureSteps, writePacket } from './decode';
import { runToEnd } from '../steps';
import { TextSink } from './sink';
import type { InterfaceNamer } from './link';
import { knownTimeZone, TimestampFormatter } from './timestamp';
import type { CaptureRendering, RenderOptions } from './types';
import type { ByteWindow } from './window';

/** The zone tcpdump would use for a TZ value: unknown names fall back to UTC, as glibc does. */
export function effectiveTimeZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;
  const zone = timeZone.startsWith(':') ? timeZone.slice(1) : timeZone;
  if (zone === '') return 'UTC';
  return knownTimeZone(zone) ? zone : 'UTC';
}

export interface RenderCaptureOptions extends RenderOptions {
  readonly interfaceName?: InterfaceNamer;
}

/** The rendering as UTF-8 bytes (ASCII in practice), for writing straight to a file or pipe. */
export function renderCaptureBytes(
  bytes: Uint8Array | ByteWindow,
  options: RenderCaptureOptions = {},
): Omit<CaptureRendering, 'text'> & { readonly bytes: Uint8Array } {
  const clock = new TimestampFormatter(effectiveTimeZone(options.timeZone), options.withDate === true);
  const w = new TextSink();
  const summary = decodeCapture(bytes, { interfaceName: options.interfaceName }, (p) => {
    clock.write(w, p.record.seconds, p.record.micros);
    writePacket(p, w);
    w.byte(10);
  });
  return {
    bytes: w.bytes(),
    container: summary.container,
    packets: summary.packets,
    tcpPackets: summary.tcpPackets,
    skipped: summary.skipped,
    problems: summary.problems,
  };
}

/**
 * The rendering handed out in pieces of about `pieceBytes` (whole lines, a
 * fresh copy each) as it is made, so it never has to be held whole; returns
 * what renderCaptureBytes returns besides the bytes.
 */
export function renderCapturePieces(
  bytes: Uint8Array | ByteWindow,
  options: RenderCaptureOptions,
  onPiece: (piece: Uint8Array) => void,
  pieceBytes = 1 << 20,
): Omit<CaptureRendering, 'text'> {
  return runToEnd(renderCapturePiecesSteps(bytes, options, onPiece, pieceBytes));
}

/**
 * renderCapturePieces() in steps: it pauses every few thousand packets, so a
 * caller can wait for a slow reader of the pieces in between.
 */
export function* renderCapturePiecesSteps(
  bytes: Uint8Array | ByteWindow,
  options: RenderCaptureOptions,
  onPiece: (piece: Uint8Array) => void,
  pieceBytes = 1 << 20,
): Generator<void, Omit<CaptureRendering, 'text'>> {
  const clock = new TimestampFormatter(effectiveTimeZone(options.timeZone), options.withDate === true);
  const w = new TextSink(pieceBytes + 4096);
  const summary = yield* decodeCaptureSteps(bytes, { interfaceName: options.interfaceName }, (p) => {
    clock.write(w, p.record.seconds, p.record.micros);
    writePacket(p, w);
    w.byte(10);
    if (w.length >= pieceBytes) {
      onPiece(w.bytes().slice());
      w.length = 0;
    }
  });
  if (w.length > 0) onPiece(w.bytes().slice());
  return {
    container: summary.container,
    packets: summary.packets,
    tcpPackets: summary.tcpPackets,
    skipped: summary.skipped,
    problems: summary.problems,
  };
}

export function renderCapture(
  bytes: Uint8Array | ByteWindow,
  options: RenderCaptureOptions = {},
): CaptureRendering {
  const { bytes: text, ...rest } = renderCaptureBytes(bytes, options);
  return { text: new TextDecoder().decode(text), ...rest };
}
