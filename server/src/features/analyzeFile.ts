// Files over the editor's 50 MB sync limit: the client asks the server to read
// the trace from disk. A capture file (pcap/pcapng, told by its magic number)
// is rendered as `tcpdump -n` text first, so its whole rendering is analysed
// however large it is. With capture.ts, the server layer's only file I/O.
import type { Connection } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents/documentStore';
import {
  AnalyzeFileRequest,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type TraceStatus,
} from '../protocol';
import { readFileOfUri, renderCaptureBytes, type CaptureDecoder } from './capture';

export function registerAnalyzeFile(
  connection: Connection,
  documents: DocumentStore,
  publish: (uri: string) => Promise<TraceStatus | undefined>,
  decoder: CaptureDecoder,
): void {
  // By method name: the server's vscode-jsonrpc is not the copy protocol.ts's types come from.
  connection.onRequest(
    AnalyzeFileRequest.method,
    async ({ uri, capture }: AnalyzeFileParams): Promise<AnalyzeFileResult> => {
      if (!uri.startsWith('file:'))
        return { ok: false, message: `Only files on disk can be analysed (${uri}).` };
      const open = documents.get(uri);
      if (open && !open.fromDisk) return { ok: false, message: 'The editor already syncs this document.' };
      const read = await readFileOfUri(uri, 'the trace');
      if (!read.ok) return read;
      let text: string;
      if (decoder.isCapture(read.value)) {
        const rendered = renderCaptureBytes(decoder, read.value, capture ?? {});
        if (!rendered.ok) return rendered;
        text = rendered.value.text;
      } else {
        text = read.value.toString('utf8');
      }
      documents.open(uri, 'tcptrace', (open?.version ?? 0) + 1, text, true);
      const status = await publish(uri);
      return status
        ? { ok: true, status }
        : { ok: false, message: 'The analysis was superseded; try again.' };
    },
  );
}
