// Capture files (pcap/pcapng): the client asks the server to render one from
// disk as `tcpdump -n` text (tcptrace/renderCapture). The server reads the file,
// so the extension host never holds the binary; the client shows the text as a
// read-only trace document, which the editor then syncs back like any trace.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { ParseResult } from '../analysis/model';
import type { CaptureRendering, IsCapture, RenderCapture, RenderOptions } from '../analysis/pcap/types';
import {
  RenderCaptureRequest,
  type CaptureRenderSettings,
  type RenderCaptureParams,
  type RenderCaptureResult,
} from '../protocol';
import { hostInterfaceName } from '../hostInterfaces';

/** The pure decoder (analysis/pcap), passed in so this glue does not choose it. */
export interface CaptureDecoder {
  readonly isCapture: IsCapture;
  readonly renderCapture: RenderCapture;
  /**
   * The analysis input of a capture (the parse of its rendering, capture
   * problems included) built without the text, in steps that pause every few
   * thousand packets.
   */
  readonly parseCaptureSteps: (bytes: Uint8Array, options: RenderOptions) => Generator<void, ParseResult>;
}

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function registerCaptureFeature(connection: Connection, decoder: CaptureDecoder): void {
  // By method name: the server's vscode-jsonrpc is not the copy protocol.ts's types come from.
  connection.onRequest(RenderCaptureRequest.method, (params: RenderCaptureParams) =>
    renderCaptureFile(decoder, params),
  );
}

export async function renderCaptureFile(
  decoder: CaptureDecoder,
  params: RenderCaptureParams,
): Promise<RenderCaptureResult> {
  const read = await readFileOfUri(params.uri, 'the capture');
  if (!read.ok) return read;
  const rendered = renderCaptureBytes(decoder, read.value, params);
  if (!rendered.ok) return rendered;
  const r = rendered.value;
  const maxChars = params.maxChars ?? Number.POSITIVE_INFINITY;
  const shown =
    r.text.length <= maxChars
      ? r.text
      : cutAfterLine(r.text, Math.min(maxChars, params.cutChars ?? maxChars));
  return {
    ok: true,
    capture: {
      text: shown,
      // renderCaptureBytes refuses unknown containers.
      container: r.container === 'pcapng' ? 'pcapng' : 'pcap',
      packets: r.packets,
      tcpPackets: r.tcpPackets,
      skipped: r.skipped,
      problems: r.problems.map((p) => ({ ...p })),
      truncated: shown.length < r.text.length,
      shownLines: countLines(shown),
      totalChars: r.text.length,
      fileBytes: read.value.length,
    },
  };
}

/** Reads a `file:` URI; a clear message (naming `what` is read) instead of an exception. */
export async function readFileOfUri(uri: string, what: string): Promise<Outcome<Buffer>> {
  if (!uri.startsWith('file:')) return { ok: false, message: `Only files on disk can be read (${uri}).` };
  try {
    return { ok: true, value: await readFile(fileURLToPath(uri)) };
  } catch (error) {
    return {
      ok: false,
      message: `Cannot read ${what}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Renders the bytes of a capture with the user's settings; refuses what is not a capture or not a time zone. */
export function renderCaptureBytes(
  decoder: CaptureDecoder,
  bytes: Uint8Array,
  settings: CaptureRenderSettings,
): Outcome<CaptureRendering> {
  if (settings.timeZone !== undefined && !isTimeZone(settings.timeZone)) {
    return {
      ok: false,
      message: `Unknown time zone '${settings.timeZone}' (setting tcptrace.capture.timeZone): use local, UTC or an IANA name such as Europe/Berlin.`,
    };
  }
  if (!decoder.isCapture(bytes)) {
    const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return {
      ok: false,
      message:
        bytes.length < 4
          ? `Not a pcap or pcapng capture: the file has only ${bytes.length} bytes.`
          : `Not a pcap or pcapng capture: it starts with the bytes ${head}, not a capture file's magic number.`,
    };
  }
  return {
    ok: true,
    value: decoder.renderCapture(bytes, {
      timeZone: settings.timeZone,
      withDate: settings.withDate === true,
      // Linux cooked v2 (`-i any`): tcpdump prints this host's name for the stored interface index.
      interfaceName: hostInterfaceName,
    }),
  };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The longest prefix of `text` that ends with a '\n' and has at most `maxChars` characters. */
export function cutAfterLine(text: string, maxChars: number): string {
  if (maxChars < 1) return '';
  const end = text.lastIndexOf('\n', maxChars - 1);
  return end < 0 ? '' : text.slice(0, end + 1);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
