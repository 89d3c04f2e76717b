// What the user is told about a rendered capture beyond its text: damage (with
// the byte offset), a rendering cut to fit the editor, a capture without TCP.
// Plain data, no `vscode`: the provider turns it into diagnostics and messages.
import type { RenderedCapture } from '../../../server/src/protocol';

/** Problems of single packets listed one by one; the rest are counted. */
export const MAX_PACKET_PROBLEMS = 100;

export type NoticeSeverity = 'error' | 'warning' | 'information';

export interface CaptureNotice {
  /** Stable code of the diagnostic (documented in the README's "Capture files"). */
  readonly code: 'capture-damaged' | 'capture-packet-problem' | 'capture-cut' | 'capture-no-tcp';
  readonly severity: NoticeSeverity;
  /** 0-based line of the rendering the diagnostic sits on (the packet shown before the problem). */
  readonly line: number;
  readonly message: string;
  /** Also worth a notification (said once per capture and session). */
  readonly notify: boolean;
}

export function captureNotices(name: string, c: RenderedCapture): CaptureNotice[] {
  const last = Math.max(0, c.shownLines - 1);
  /** The packet shown just before a problem (the last one shown when the problem lies beyond the text). */
  const lineBefore = (linesBefore: number | undefined): number =>
    linesBefore === undefined ? last : Math.min(last, Math.max(0, linesBefore - 1));
  const notices: CaptureNotice[] = [];
  const before =
    c.tcpPackets === 0
      ? 'No TCP packet comes before it.'
      : `The ${count(c.tcpPackets, 'TCP packet')} before it ${c.tcpPackets === 1 ? 'is' : 'are'} shown and analysed.`;
  let warnings = 0;
  for (const p of c.problems) {
    if (p.severity === 'warning' && ++warnings > MAX_PACKET_PROBLEMS) continue;
    const where = `at byte ${count(p.offset)}${p.packet !== undefined ? ` (packet ${count(p.packet)})` : ''}`;
    notices.push(
      p.severity === 'error'
        ? {
            code: 'capture-damaged',
            severity: 'error',
            line: lineBefore(p.line),
            message: `${name} is damaged ${where}: ${sentence(p.message)} ${before}`,
            notify: true,
          }
        : {
            code: 'capture-packet-problem',
            severity: 'warning',
            line: lineBefore(p.line),
            message: `${name} ${where}: ${sentence(p.message)}`,
            notify: false,
          },
    );
  }
  if (warnings > MAX_PACKET_PROBLEMS) {
    notices.push({
      code: 'capture-packet-problem',
      severity: 'warning',
      line: last,
      message: `${name}: ${count(warnings - MAX_PACKET_PROBLEMS, 'more packet problem')} not listed.`,
      notify: false,
    });
  }
  if (c.truncated) {
    notices.push({
      code: 'capture-cut',
      severity: 'information',
      line: last,
      message:
        `${name} renders to ${megabytes(c.totalChars)} of text, more than the 50 MB VS Code passes to extensions. ` +
        `Shown here: the first ${megabytes(c.text.length)}, ${count(c.shownLines)} of ${count(c.tcpPackets, 'TCP packet')}, ` +
        `with every feature. The whole capture is analysed from disk: its findings are listed in the Problems panel under ${name}.`,
      notify: true,
    });
  }
  if (c.tcpPackets === 0 && !c.problems.some((p) => p.severity === 'error')) {
    notices.push({
      code: 'capture-no-tcp',
      severity: 'information',
      line: 0,
      message: `${name} holds ${count(c.packets, 'packet')}, none of them TCP: there is nothing to show.`,
      notify: true,
    });
  }
  return notices;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function count(n: number, noun?: string): string {
  const digits = n.toLocaleString('en-US');
  return noun ? `${digits} ${noun}${n === 1 ? '' : 's'}` : digits;
}

function megabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
