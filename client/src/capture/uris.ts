// A capture file and its rendering: `file:///x/capture.pcap` is shown as the
// read-only document `tcptrace-capture:/x/capture.pcap.tcptrace` (the suffix
// gives it the tcptrace language, so every language feature applies to it).
import * as vscode from 'vscode';

export const CAPTURE_SCHEME = 'tcptrace-capture';
const SUFFIX = '.tcptrace';

/** The extensions the custom editor and the Explorer command claim (see package.json). */
export const CAPTURE_EXTENSIONS = ['pcap', 'pcapng', 'cap'] as const;

export function isCaptureFileName(path: string): boolean {
  return /\.(pcap|pcapng|cap)$/i.test(path);
}

export function renderingUri(captureFile: vscode.Uri): vscode.Uri {
  return captureFile.with({
    scheme: CAPTURE_SCHEME,
    path: captureFile.path + SUFFIX,
    query: '',
    fragment: '',
  });
}

/** The capture file a rendering shows; undefined for any other URI. */
export function captureFileOf(rendering: vscode.Uri): vscode.Uri | undefined {
  if (rendering.scheme !== CAPTURE_SCHEME || !rendering.path.endsWith(SUFFIX)) return undefined;
  return rendering.with({ scheme: 'file', path: rendering.path.slice(0, -SUFFIX.length) });
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
