// Shared start of every request handler: get the analysis of the document at
// the version the request was made for. The request fails with
// ContentModified as soon as a newer version supersedes that one (its
// positions refer to text that is gone), and with RequestCancelled as soon as
// the client cancels it, even while the analysis is still under way.
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Disposable,
} from 'vscode-languageserver/node';
import { SUPERSEDED, type AnalysisCache, type DocumentAnalysis } from '../documents/analysisCache';

export async function analysisFor(
  cache: AnalysisCache,
  uri: string,
  token: CancellationToken,
): Promise<DocumentAnalysis | undefined> {
  throwIfCancelled(token);
  const version = cache.versionOf(uri);
  if (version === undefined) return undefined;
  const analysis = await unlessCancelled(cache.at(uri, version), token);
  throwIfCancelled(token);
  if (analysis === SUPERSEDED) throw superseded();
  return analysis;
}

/**
 * For a request's work that yields: it is still wanted while not cancelled and
 * its version is the document's (a newer version's analysis may be written into
 * the same arrays: analysis/incremental.ts).
 */
export function whileCurrent(
  cache: AnalysisCache,
  a: DocumentAnalysis,
  token: CancellationToken,
): () => boolean {
  return () => !token.isCancellationRequested && cache.versionOf(a.uri) === a.version;
}

/** After work that yields: RequestCancelled or ContentModified if it stopped for either. */
export function throwIfStopped(cache: AnalysisCache, a: DocumentAnalysis, token: CancellationToken): void {
  throwIfCancelled(token);
  if (cache.versionOf(a.uri) !== a.version) throw superseded();
}

function superseded(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
}

export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw cancelled();
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** `work`, or RequestCancelled as soon as the token fires (the work goes on for whoever else waits). */
async function unlessCancelled<T>(work: Promise<T>, token: CancellationToken): Promise<T> {
  let subscription: Disposable | undefined;
  const onCancel = new Promise<never>((_, reject) => {
    subscription = token.onCancellationRequested(() => reject(cancelled()));
  });
  try {
    return await Promise.race([work, onCancel]);
  } finally {
    subscription?.dispose();
  }
}
