// One line per diagnostic code, for SARIF rules and --help-like listings. The
// full rule, example and rationale live in docs/diagnostics.md#<code>.
import type { DiagnosticCode, Severity } from '../analysis/model';

export interface RuleInfo {
  readonly summary: string;
  /** The severity the analysis normally gives it (SARIF defaultConfiguration). */
  readonly severity: Severity;
}

export const RULES: Readonly<Record<DiagnosticCode, RuleInfo>> = {
  'parse-error': { summary: 'A line looks like a packet but cannot be read.', severity: 'error' },
  'capture-damaged': {
    summary: 'A capture file is damaged or holds packets that cannot be shown; the byte offset says where.',
    severity: 'error',
  },
  'handshake-bad-ack': {
    summary: 'A SYN-ACK or handshake ACK acknowledges the wrong number.',
    severity: 'error',
  },
  'handshake-incomplete': { summary: 'The three-way handshake never completed.', severity: 'warning' },
  'connection-refused': { summary: 'The server answered the SYN with a RST.', severity: 'warning' },
  'syn-retransmission': { summary: 'The SYN (or SYN-ACK) was sent again.', severity: 'warning' },
  'synack-without-syn': { summary: 'A SYN-ACK answers no SYN seen in the trace.', severity: 'warning' },
  'syn-isn-changed': {
    summary: 'A repeated SYN carries a different initial sequence number.',
    severity: 'warning',
  },
  'data-before-established': {
    summary: 'Data sent before the connection was established.',
    severity: 'warning',
  },
  'simultaneous-open': { summary: 'Both endpoints sent a SYN (simultaneous open).', severity: 'information' },
  'syn-flood': {
    summary: 'Many half-open connections to one listener from many sources.',
    severity: 'error',
  },
  'fin-bad-ack': { summary: 'The ACK of a FIN does not acknowledge it.', severity: 'warning' },
  'data-after-fin': { summary: 'Data sent after the sender had sent its FIN.', severity: 'error' },
  'connection-reset': { summary: 'The connection was aborted with a RST.', severity: 'warning' },
  'data-after-reset': { summary: 'Data sent after the connection was reset.', severity: 'warning' },
  retransmission: { summary: 'A segment repeats bytes already sent.', severity: 'warning' },
  'fast-retransmission': { summary: 'A retransmission triggered by duplicate ACKs.', severity: 'warning' },
  'spurious-retransmission': {
    summary: 'A retransmission of bytes already acknowledged.',
    severity: 'information',
  },
  'out-of-order': { summary: 'A segment arrived before an earlier one.', severity: 'warning' },
  'lost-segment': { summary: 'A gap: the previous segment was not captured.', severity: 'warning' },
  'acked-unseen': { summary: 'An ACK covers a segment the capture never saw.', severity: 'warning' },
  'duplicate-ack': { summary: 'The same acknowledgement again (duplicate ACK).', severity: 'information' },
  'zero-window': { summary: 'The receiver advertised a zero window.', severity: 'warning' },
  'zero-window-probe': { summary: 'A probe of a zero window.', severity: 'information' },
  'zero-window-probe-ack': { summary: 'The answer to a zero-window probe.', severity: 'information' },
  'window-full': { summary: "The sender filled the receiver's window.", severity: 'warning' },
  'window-update': { summary: 'A pure window update.', severity: 'hint' },
  'keep-alive': { summary: 'A TCP keep-alive.', severity: 'information' },
  'keep-alive-ack': { summary: 'The answer to a keep-alive.', severity: 'information' },
  'port-reuse': {
    summary: 'A new connection reuses the 4-tuple of an earlier one.',
    severity: 'information',
  },
  'challenge-ack': {
    summary: 'A challenge ACK answering an out-of-window RST or SYN (RFC 5961).',
    severity: 'information',
  },
  'unusual-flags': { summary: 'An unusual flag combination (e.g. SYN+FIN).', severity: 'warning' },
};

export const DOCS_BASE =
  'https://github.com/tcptrace-inspector/tcptrace-inspector/blob/main/docs/diagnostics.md';

export function helpUri(code: string): string {
  return `${DOCS_BASE}#${code}`;
}
