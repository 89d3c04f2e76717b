// tcptrace/diagram: the sequence-diagram model of a document at its current
// version. Thin glue: get the analysed document, bail if missing, build.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { buildDiagramWire } from '../analysis/diagram/wire';
import { DiagramRequest, type DiagramParams, type DiagramResult } from '../protocol';
import type { AnalysisProvider } from './analysisProvider';

export async function diagramModel(
  analyses: AnalysisProvider,
  params: DiagramParams,
  token?: CancellationToken,
): Promise<DiagramResult> {
  const doc = await analyses.get(params.uri);
  if (!doc || token?.isCancellationRequested) return null;
  return buildDiagramWire(doc.result, doc.uri, doc.version);
}

export function registerDiagramFeature(connection: Connection, analyses: AnalysisProvider): void {
  connection.onRequest(DiagramRequest.method, (params: DiagramParams, token: CancellationToken) =>
    diagramModel(analyses, params, token),
  );
}
