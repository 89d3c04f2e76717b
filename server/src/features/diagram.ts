// Registers the tcptrace/diagram request (filled in by the diagram work).
import type { Connection } from 'vscode-languageserver/node';
import type { AnalysisProvider } from './analysisProvider';

export function registerDiagramFeature(_connection: Connection, _analyses: AnalysisProvider): void {
  // The sequence-diagram model request is registered here.
}
