// The contract between LSP features and the document/analysis cache.
import type { AnalysisResult } from '../analysis';

export interface AnalysedDocument {
  readonly uri: string;
  readonly version: number;
  readonly result: AnalysisResult;
  /** The text of one 0-based line of the document at this version. */
  lineText(line: number): string;
}

export interface AnalysisProvider {
  /** The analysis of the document's current version, or undefined if the document is not open. */
  get(uri: string): Promise<AnalysedDocument | undefined>;
}
