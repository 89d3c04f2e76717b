// Server side of capture files (filled in by the capture work).
import type { Connection } from 'vscode-languageserver/node';

export function registerCaptureFeature(_connection: Connection): void {
  // Requests that render and analyse capture files from disk are registered here.
}
