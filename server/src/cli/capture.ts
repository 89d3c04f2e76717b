// Capture files (pcap/pcapng) go through the pcap decoder: its tcpdump
// rendering backs --format tcpdump and the text format; the other formats
// analyse the segments the decoder builds directly, which are those of the
// rendering (every finding's line is a line of that text) without the text.
import type { ParseResult } from '../analysis/model';
import {
  parseCaptureDirect,
  parseCaptureWithText,
  renderCaptureBytes,
  type CaptureProblem,
} from '../analysis/pcap';
import { hostInterfaceName } from '../hostInterfaces';

export interface CaptureDecoder {
  /**
   * The segments (with the capture's problems as findings) and, when asked
   * for, the rendering they were read from ('' otherwise: it is then parsed in
   * pieces and never held whole).
   */
  parse(
    bytes: Uint8Array,
    timeZone: string | undefined,
    withText: boolean,
  ): { parsed: ParseResult; text: string };
  /** The rendering as text pieces of about 1 MiB (no one huge string). */
  render(
    bytes: Uint8Array,
    timeZone: string | undefined,
  ): { pieces: Iterable<string>; problems: readonly CaptureProblem[] };
}

const decoder: CaptureDecoder = {
  parse(bytes, timeZone, withText) {
    const options = { timeZone, interfaceName: hostInterfaceName, spans: false };
    if (!withText) return { parsed: parseCaptureDirect(bytes, options), text: '' };
    const { rendering, parsed } = parseCaptureWithText(bytes, options);
    return { parsed, text: rendering.text };
  },
  render(bytes, timeZone) {
    const r = renderCaptureBytes(bytes, { timeZone, interfaceName: hostInterfaceName });
    return { pieces: pieces(r.bytes), problems: r.problems };
  },
};

function* pieces(bytes: Uint8Array): Iterable<string> {
  const decoder = new TextDecoder();
  const size = 1 << 20;
  for (let i = 0; i < bytes.length; i += size)
    yield decoder.decode(bytes.subarray(i, i + size), { stream: i + size < bytes.length });
}

export function captureDecoder(): CaptureDecoder {
  return decoder;
}

/** A capture problem as the CLI reports it on stderr (tcpdump, too, names the damage there). */
export function describeProblem(path: string | null, p: CaptureProblem): string {
  const where =
    p.packet === undefined ? `byte offset ${p.offset}` : `byte offset ${p.offset} (packet ${p.packet})`;
  return `tcptrace-inspect: ${path ?? 'standard input'}: ${p.severity}: ${where}: ${p.message}\n`;
}
