// Flag combinations no conforming stack sends (scans, broken middleboxes).
import type { Segment } from '../model';
import { ACK, FIN, PSH, RST, SYN, URG } from '../model';
import { addFinding } from '../findings';
import type { Sink, Step } from '../track';

/** Why the flag set is unusual, or null when it is fine. */
export function unusualFlags(flags: number, afterSyn: boolean): string | null {
  const f = flags & (FIN | SYN | RST | PSH | ACK | URG);
  if (f === 0) return 'no flags at all (a NULL scan)';
  if ((f & (FIN | PSH | URG)) === (FIN | PSH | URG) && (f & ACK) === 0) return 'FIN+PSH+URG (an Xmas scan)';
  if ((f & (SYN | FIN)) === (SYN | FIN)) return 'SYN and FIN together';
  if ((f & (SYN | RST)) === (SYN | RST)) return 'SYN and RST together';
  if ((f & (FIN | RST)) === (FIN | RST)) return 'FIN and RST together';
  if ((f & FIN) !== 0 && (f & ACK) === 0)
    return 'FIN without ACK (a FIN scan; every FIN of a real connection carries an ACK)';
  if (afterSyn && (f & (SYN | RST | ACK)) === 0) return 'neither SYN, RST nor ACK after the handshake';
  return null;
}

export function checkFlags(step: Step, seg: Segment, sink: Sink): void {
  const why = unusualFlags(seg.flags, step.conn.synAckIndex >= 0);
  if (why === null) return;
  step.codes.push('unusual-flags');
  addFinding(sink, 'unusual-flags', seg, step.conn.id, `Unusual flags: ${why}.`, [], { flags: seg.flags });
}
