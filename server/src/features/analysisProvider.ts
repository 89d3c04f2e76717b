// The contract between LSP features and the document/analysis cache.
import type { AnalysisResult } from '../analysis';

export interface AnalysedDocument {
  readonly uri: string;
  readonly version: number;
  readonly result: AnalysisResult;
  /** The text of one 0-based line of the document at this version. */
  lineText(line: number): string;
  /**
   * Makes every per-segment analysis (result.perSegment has holes until asked);
   * false when this version was superseded meanwhile. `minSegments`: only those
   * of the 4-tuples with a connection of at least that many segments.
   */
  analyseAll(minSegments?: number): Promise<boolean>;
}

export interface AnalysisProvider {
  /** The analysis of the document's current version, or undefined if the document is not open. */
  get(uri: string): Promise<AnalysedDocument | undefined>;
}
