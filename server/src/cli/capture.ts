// Capture files (pcap/pcapng) go through the pcap decoder, which turns the
// packets straight into segments; its tcpdump rendering backs --format tcpdump
// and the text format.
import type { ParseResult } from '../analysis/model';
import { InputError } from './input';

export interface CaptureDecoder {
  parse(bytes: Uint8Array): ParseResult;
  render(bytes: Uint8Array, timeZone: string | undefined): string;
}

/** The decoder, or an explanation of why captures cannot be read. */
export function captureDecoder(): CaptureDecoder {
  throw new InputError(
    'capture files need the pcap decoder, which this build does not include yet; ' +
      'render the capture as text first: tcpdump -n -r FILE | tcptrace-inspect -',
  );
}
