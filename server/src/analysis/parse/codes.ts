// Runtime list of the DiagnosticCode union, to validate `# tcptrace-disable` comments.
import type { DiagnosticCode } from '../model';

// A Record over the union: adding a code to model.ts without adding it here is a compile error.
const CODES: Readonly<Record<DiagnosticCode, true>> = {
  'parse-error': true,
  'capture-damaged': true,
  'handshake-bad-ack': true,
  'handshake-incomplete': true,
  'connection-refused': true,
  'syn-retransmission': true,
  'synack-without-syn': true,
  'syn-isn-changed': true,
  'data-before-established': true,
  'simultaneous-open': true,
  'syn-flood': true,
  'fin-bad-ack': true,
  'data-after-fin': true,
  'connection-reset': true,
  'data-after-reset': true,
  retransmission: true,
  'fast-retransmission': true,
  'spurious-retransmission': true,
  'out-of-order': true,
  'lost-segment': true,
  'acked-unseen': true,
  'duplicate-ack': true,
  'zero-window': true,
  'zero-window-probe': true,
  'zero-window-probe-ack': true,
  'window-full': true,
  'window-update': true,
  'keep-alive': true,
  'keep-alive-ack': true,
  'port-reuse': true,
  'challenge-ack': true,
  'unusual-flags': true,
};

export function isDiagnosticCode(s: string): s is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}
