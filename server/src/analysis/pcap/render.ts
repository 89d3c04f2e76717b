// renderCapture: the TCP packets of a capture as `tcpdump -n -r FILE tcp`
// prints them, one '\n'-terminated line each.
import { decodeCapture } from './decode';
import type { InterfaceNamer } from './link';
import { knownTimeZone, TimestampFormatter } from './timestamp';
import type { CaptureRendering, RenderOptions } from './types';

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

export function renderCapture(bytes: Uint8Array, options: RenderCaptureOptions = {}): CaptureRendering {
  const clock = new TimestampFormatter(effectiveTimeZone(options.timeZone), options.withDate === true);
  // Lines are gathered in chunks and joined once: one flat string at the end.
  const chunks: string[] = [];
  let chunk = '';
  const summary = decodeCapture(bytes, { interfaceName: options.interfaceName }, (p) => {
    chunk += clock.format(p.record.seconds, p.record.micros) + p.text + '\n';
    if (chunk.length > 65536) {
      chunks.push(chunk);
      chunk = '';
    }
  });
  chunks.push(chunk);
  return {
    text: chunks.join(''),
    container: summary.container,
    packets: summary.packets,
    tcpPackets: summary.tcpPackets,
    skipped: summary.skipped,
    problems: summary.problems,
  };
}
