// Text the diagram writes: flag names, arrow labels, band summaries, times.
// Shared by the webview and the exporters so that all three say the same.
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../model';
import type { DiagramArrow, DiagramConnection, DiagramModel, DiagramView } from './model';

const FLAG_NAMES: readonly [number, string][] = [
  [SYN, 'SYN'],
  [FIN, 'FIN'],
  [RST, 'RST'],
  [PSH, 'PSH'],
  [ACK, 'ACK'],
  [URG, 'URG'],
  [ECE, 'ECE'],
  [CWR, 'CWR'],
  [AE, 'AE'],
];

/** "SYN, ACK"; "none" for a segment without flags. */
export function flagNames(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** Compact form for the arrow label: "SYN ACK" without the commas. */
export function flagLabel(flags: number): string {
  return flagNames(flags).replace(/, /g, ' ');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** Bytes with a decimal unit: "512 B", "1.7 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "seq 1:101 ack 1 len 100" — the numbers of one arrow, relative or absolute. */
export function arrowNumbers(arrow: DiagramArrow, absolute: boolean): string {
  const seq = absolute ? arrow.seq : arrow.relSeq;
  const ack = absolute ? arrow.ack : arrow.relAck;
  const parts: string[] = [];
  if (seq !== null) parts.push(arrow.len > 0 ? `seq ${seq}:${(seq + arrow.len) % 4294967296}` : `seq ${seq}`);
  if (ack !== null) parts.push(`ack ${ack}`);
  parts.push(`len ${arrow.len}`);
  return parts.join(' ');
}

/** The whole label of an arrow: "SYN ACK seq 0 ack 1 len 0". */
export function arrowLabel(arrow: DiagramArrow, absolute: boolean): string {
  return `${flagLabel(arrow.flags)} ${arrowNumbers(arrow, absolute)}`;
}

/** The accessible name of an arrow: who sends what to whom, and what is wrong with it. */
export function arrowAccessibleName(
  arrow: DiagramArrow,
  connection: DiagramConnection,
  absolute: boolean,
): string {
  const [from, to] = arrow.direction === 'c2s' ? ['client', 'server'] : ['server', 'client'];
  const findings = arrow.findings.map((f) => `${f.severity}: ${f.message}`).join('; ');
  const base = `Line ${arrow.line + 1}, ${from} to ${to}: ${flagNames(arrow.flags)}, ${arrowNumbers(arrow, absolute)}`;
  return findings ? `${base}. ${findings}` : `${base} (${connection.label})`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Seconds since midnight (UTC for epoch times) as HH:MM:SS.mmmmmm. */
function timeOfDay(seconds: number): string {
  const day = ((seconds % 86_400) + 86_400) % 86_400;
  const micros = Math.round(day * 1e6);
  const h = Math.floor(micros / 3_600_000_000);
  const m = Math.floor(micros / 60_000_000) % 60;
  const s = Math.floor(micros / 1_000_000) % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(micros % 1_000_000, 6)}`;
}

/** The time-axis text of an arrow: "+0.001234" relative to the trace start, or the time of day. */
export function formatTime(model: DiagramModel, time: number | null, absolute: boolean): string {
  if (time === null || model.timeOrigin === null) return '';
  if (absolute) return timeOfDay(time);
  return `+${(time - model.timeOrigin).toFixed(6)}`;
}

export interface BandSummary {
  readonly segments: number;
  readonly bytes: number;
  readonly retransmissions: number;
  /** Segments in the band that carry a warning (errors end a band, so never inside one). */
  readonly warnings: number;
}

/** "1,204 data segments, 1.7 MB, 3 retransmissions" (+ ", 2 warnings" when some segments carry one). */
export function bandLabel(summary: BandSummary): string {
  const retrans =
    summary.retransmissions === 1
      ? '1 retransmission'
      : `${formatCount(summary.retransmissions)} retransmissions`;
  const base = `${formatCount(summary.segments)} data segments, ${formatBytes(summary.bytes)}, ${retrans}`;
  if (summary.warnings === 0) return base;
  return `${base}, ${summary.warnings === 1 ? '1 warning' : `${formatCount(summary.warnings)} warnings`}`;
}

/** The connection index a view shows, or null for all connections. */
export function viewConnection(model: DiagramModel, view: DiagramView): number | null {
  if (view.connection === 'all') return null;
  return view.connection >= 0 && view.connection < model.connections.length ? view.connection : null;
}
