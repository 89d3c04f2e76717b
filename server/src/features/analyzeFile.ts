// Files over the editor's 50 MB sync limit: the client asks the server to read
// the trace from disk. This is the server layer's only file I/O.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents/documentStore';
import {
  AnalyzeFileRequest,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type TraceStatus,
} from '../protocol';

export function registerAnalyzeFile(
  connection: Connection,
  documents: DocumentStore,
  publish: (uri: string) => Promise<TraceStatus | undefined>,
): void {
  // By method name: the server's vscode-jsonrpc is not the copy protocol.ts's types come from.
  connection.onRequest(
    AnalyzeFileRequest.method,
    async ({ uri }: AnalyzeFileParams): Promise<AnalyzeFileResult> => {
      if (!uri.startsWith('file:'))
        return { ok: false, message: `Only files on disk can be analysed (${uri}).` };
      const open = documents.get(uri);
      if (open && !open.fromDisk) return { ok: false, message: 'The editor already syncs this document.' };
      let text: string;
      try {
        text = await readFile(fileURLToPath(uri), 'utf8');
      } catch (error) {
        return {
          ok: false,
          message: `Cannot read the trace: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      documents.open(uri, 'tcptrace', (open?.version ?? 0) + 1, text, true);
      const status = await publish(uri);
      return status
        ? { ok: true, status }
        : { ok: false, message: 'The analysis was superseded; try again.' };
    },
  );
}
