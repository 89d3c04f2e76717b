// Shared start of every request handler: get the analysis of the document's
// current version, and give up with RequestCancelled when the client cancelled
// (or a newer version made the request stale) while waiting.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { AnalysisCache, DocumentAnalysis } from '../documents/analysisCache';

export async function analysisFor(
  cache: AnalysisCache,
  uri: string,
  token: CancellationToken,
): Promise<DocumentAnalysis | undefined> {
  const analysis = await cache.get(uri);
  throwIfCancelled(token);
  return analysis;
}

export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) {
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
  }
}
