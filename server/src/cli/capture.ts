// Capture files (pcap/pcapng) go through the pcap decoder: its tcpdump
// rendering backs --format tcpdump and the text format; the other formats
// analyse the segments the decoder builds directly, which are those of the
// rendering (every finding's line is a line of that text) without the text.
import { StreamAnalyzer, type StreamedAnalysis, type StreamOptions } from '../analysis';
import type { ParseResult } from '../analysis/model';
import {
  parseCaptureDirect,
  parseCaptureWithText,
  renderCapturePiecesSteps,
  ByteWindow,
  type CaptureProblem,
} from '../analysis/pcap';
import type { LoadedInput } from './input';
import { hostInterfaceName } from '../hostInterfaces';

/** A capture in memory, or a window reading its file in pieces. */
export type CaptureInput = Uint8Array | ByteWindow;

/** A capture ready to be read from its start; close() when done. */
export interface OpenedCapture {
  readonly bytes: CaptureInput;
  close(): void;
}

export interface CaptureDecoder {
  /**
   * The segments (with the capture's problems as findings) and, when asked
   * for, the rendering they were read from ('' otherwise: it is then parsed in
   * pieces and never held whole).
   */
  parse(
    bytes: CaptureInput,
    timeZone: string | undefined,
    withText: boolean,
  ): { parsed: ParseResult; text: string };
  /**
   * Renders the capture, handing the text out in byte pieces of about 1 MiB
   * as it is made; pauses every few thousand packets to await `between()`
   * (waiting for a slow reader).
   */
  render(
    bytes: CaptureInput,
    timeZone: string | undefined,
    onPiece: (piece: Uint8Array) => void,
    between: () => Promise<void> | undefined,
  ): Promise<{ problems: readonly CaptureProblem[] }>;
  /**
   * Connections and findings without per-segment results (summary, SARIF):
   * each segment is analysed as it is decoded and then dropped. `open` gives
   * the capture from its start: in the rare case the vantage vote needs it,
   * the capture is read a second time.
   */
  analyse(open: () => OpenedCapture, timeZone: string | undefined, options: StreamOptions): StreamedAnalysis;
}

const decoder: CaptureDecoder = {
  parse(bytes, timeZone, withText) {
    const options = { timeZone, interfaceName: hostInterfaceName, spans: false };
    if (!withText) return { parsed: parseCaptureDirect(bytes, options), text: '' };
    const { rendering, parsed } = parseCaptureWithText(bytes, options);
    return { parsed, text: rendering.text };
  },
  analyse(open, timeZone, options) {
    const once = (o: StreamOptions): StreamedAnalysis => {
      const capture = open();
      try {
        // Analysed at once, as if the vantage point were unknown (see StreamAnalyzer).
        const analyzer = new StreamAnalyzer(o, 'replay');
        const parsed = parseCaptureDirect(capture.bytes, {
          timeZone,
          interfaceName: hostInterfaceName,
          onSegment: (s) => analyzer.push(s),
          // In replay mode push() copies what it keeps of a segment (a held one would be kept whole).
          transientSegments: true,
        });
        return analyzer.finish(parsed);
      } finally {
        capture.close();
      }
    };
    const first = once(options);
    return first.replayWith === undefined ? first : once({ ...options, vantage: first.replayWith });
  },
  async render(bytes, timeZone, onPiece, between) {
    const steps = renderCapturePiecesSteps(bytes, { timeZone, interfaceName: hostInterfaceName }, onPiece);
    let step = steps.next();
    while (step.done !== true) {
      const wait = between();
      if (wait !== undefined) await wait;
      step = steps.next();
    }
    return { problems: step.value.problems };
  },
};

/**
 * The capture of a loaded input: a capture file as a window reading it in
 * pieces (close() closes the file), standard input's bytes as they are.
 */
export function openCaptureInput(input: LoadedInput): OpenedCapture {
  const file = input.openCapture?.();
  if (file === undefined) return { bytes: input.bytes ?? new Uint8Array(), close: () => undefined };
  return { bytes: ByteWindow.reading(file.read), close: () => file.close() };
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
