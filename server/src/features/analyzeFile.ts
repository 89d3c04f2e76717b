// Files over the editor's 50 MB sync limit: the client asks the server to read
// the trace from disk. A text trace is opened as a document read from disk; a
// capture file (pcap/pcapng, told by its magic number) is rendered as
// `tcpdump -n` text (for the diagnostics' ranges) and its segments, built
// without the text, are analysed whole once (analyzeCapture.ts). With
// capture.ts, the server layer's only file I/O.
import type { Connection } from 'vscode-languageserver/node';
import type { Settings } from '../config';
import type { DocumentStore } from '../documents/documentStore';
import {
  AnalyzeFileRequest,
  TraceStatusNotification,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type TraceStatus,
} from '../protocol';
import { analyseWholeCapture } from './analyzeCapture';
import { readFileOfUri, renderCaptureBytes, type CaptureDecoder } from './capture';

export interface AnalyzeFileDependencies {
  readonly documents: DocumentStore;
  /** Publishes the diagnostics of an open document. */
  readonly publish: (uri: string) => Promise<TraceStatus | undefined>;
  readonly decoder: CaptureDecoder;
  readonly settingsFor: (uri: string) => Promise<Settings>;
  /** The client shows `relatedInformation`. */
  readonly relatedInformation: () => boolean;
}

export function registerAnalyzeFile(connection: Connection, deps: AnalyzeFileDependencies): void {
  const { documents, publish, decoder } = deps;
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
      if (decoder.isCapture(read.value)) {
        const rendered = renderCaptureBytes(decoder, read.value, capture ?? {});
        if (!rendered.ok) return rendered;
        const { diagnostics, status } = await analyseWholeCapture({
          uri,
          text: rendered.value.text,
          parse: decoder.parseCaptureSteps(read.value, {
            timeZone: capture?.timeZone,
            withDate: capture?.withDate === true,
          }),
          settings: await deps.settingsFor(uri),
          relatedInformation: deps.relatedInformation(),
        });
        await connection.sendDiagnostics({ uri, diagnostics });
        await connection.sendNotification(TraceStatusNotification.method, status);
        return { ok: true, status };
      }
      documents.open(uri, 'tcptrace', (open?.version ?? 0) + 1, read.value.toString('utf8'), true);
      const status = await publish(uri);
      return status
        ? { ok: true, status }
        : { ok: false, message: 'The analysis was superseded; try again.' };
    },
  );
}
