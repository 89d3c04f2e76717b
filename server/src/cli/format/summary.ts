// Summary output: one line per connection, then the totals.
import type { Connection, Finding } from '../../analysis/model';
import { COUNTED_SEVERITIES, severityIndex, type FindingCounts } from '../../analysis';
import type { Palette } from '../color';
import { countsText, endpointText, plural, SEVERITIES, type Report, type SeverityCounts } from '../report';

function stateText(s: string | null): string {
  return s ?? '?';
}

/** Connections per piece: their lines are made in a plain function, whose loop is optimised (a generator's is not). */
const LINES_PER_PIECE = 64;

export function* formatSummary(report: Report, palette: Palette): Generator<string> {
  const r = report.result;
  const counted =
    report.findingCounts === undefined
      ? countByConnection(r.connections, r.diagnostics)
      : fromCounts(r.connections, report.findingCounts);
  const texts = new FindingsTexts(palette);
  const zeek = new Map<string, number>();
  for (let k = 0; k < r.connections.length; k += LINES_PER_PIECE)
    yield connectionLines(r.connections, k, k + LINES_PER_PIECE, counted, zeek, texts, palette);
  const unattached = counted.unattached;
  const source = report.path ?? 'standard input';
  const states = [...zeek].map(([state, n]) => `${state} ${n}`).join(', ');
  yield (
    `${palette.bold('Total')}: ${source} (${report.inputFormat}, ${plural(r.lineCount, 'line')}): ` +
    `${plural(r.connections.length, 'connection')}${states ? ` (${states})` : ''}, ` +
    `${plural(report.segmentCount, 'segment')}; ${severityText(countsAt(counted.total, 0), palette)}` +
    (unattached ? ` (${unattached} outside any connection)` : '') +
    `; vantage ${r.vantage}\n`
  );
}

interface Counted {
  /** A connection id's slot in `counts`. */
  readonly slotOf: Map<number, number>;
  /** SEVERITIES.length numbers per slot. */
  readonly counts: Int32Array;
  /** Findings outside any connection. */
  readonly unattached: number;
  /** Every finding by severity (SEVERITIES.length numbers). */
  readonly total: Int32Array;
}

/**
 * Each connection's findings counted by severity, and all of them, in one pass
 * over the findings: no list of findings per connection is made (61,000 findings
 * of 25,000 connections in the 1M bench trace).
 */
function countByConnection(connections: readonly Connection[], findings: readonly Finding[]): Counted {
  const slotOf = new Map<number, number>();
  for (const c of connections) if (!slotOf.has(c.id)) slotOf.set(c.id, slotOf.size);
  const counts = new Int32Array(SEVERITIES.length * slotOf.size);
  const total = new Int32Array(SEVERITIES.length);
  let unattached = 0;
  for (const f of findings) {
    const severity = severityIndex(f.severity);
    total[severity]++;
    if (f.connection === undefined) {
      unattached++;
      continue;
    }
    const slot = slotOf.get(f.connection);
    if (slot !== undefined) counts[SEVERITIES.length * slot + severity]++;
  }
  return { slotOf, counts, unattached, total };
}

/**
 * Counted from the analysis' counts (StreamOptions.countFindings): by connection id, in
 * the order of COUNTED_SEVERITIES (the same as SEVERITIES).
 */
function fromCounts(connections: readonly Connection[], counts: FindingCounts): Counted {
  const slotOf = new Map<number, number>();
  for (const c of connections) if (!slotOf.has(c.id)) slotOf.set(c.id, slotOf.size);
  const perSlot = new Int32Array(SEVERITIES.length * slotOf.size);
  const width = COUNTED_SEVERITIES.length;
  const total = new Int32Array(SEVERITIES.length);
  for (let s = 0; s < SEVERITIES.length; s++) {
    const k = COUNTED_SEVERITIES.indexOf(SEVERITIES[s]);
    total[s] = counts.total[k];
    for (const [id, slot] of slotOf)
      if (id >= 0 && width * id < counts.byConnection.length)
        perSlot[SEVERITIES.length * slot + s] = counts.byConnection[width * id + k];
  }
  let unattached = 0;
  for (let k = 0; k < width; k++) unattached += counts.outside[k];
  return { slotOf, counts: perSlot, unattached, total };
}

/** The lines of connections [from, to), counting their Zeek states into `zeek`. */
function connectionLines(
  connections: readonly Connection[],
  from: number,
  to: number,
  counted: Counted,
  zeek: Map<string, number>,
  texts: FindingsTexts,
  palette: Palette,
): string {
  let lines = '';
  for (let k = from; k < to && k < connections.length; k++) {
    const c = connections[k];
    zeek.set(c.zeekState, (zeek.get(c.zeekState) ?? 0) + 1);
    const slot = counted.slotOf.get(c.id) ?? -1;
    lines += connectionLine(c, texts.of(counted.counts, slot), palette);
  }
  return lines;
}

/** Largest count a key of FindingsTexts holds per severity. */
const KEY_BASE = 1 << 13;

/**
 * A connection's findings as text, made once per distinct set of counts: most
 * connections share a few (`no findings`, `1 warning`, ...).
 */
class FindingsTexts {
  private readonly made = new Map<number, string>();

  constructor(private readonly palette: Palette) {}

  /** The text of slot `slot` of `counts` (-1: no findings). */
  of(counts: Int32Array, slot: number): string {
    let key = 0;
    if (slot >= 0) {
      const at = SEVERITIES.length * slot;
      for (let k = 0; k < SEVERITIES.length; k++) {
        const n = counts[at + k];
        // Past the key's room (never in practice): made every time.
        if (n >= KEY_BASE) return severityText(countsAt(counts, slot), this.palette);
        key = key * KEY_BASE + n;
      }
    }
    let text = this.made.get(key);
    if (text === undefined) {
      text = severityText(countsAt(counts, slot), this.palette);
      this.made.set(key, text);
    }
    return text;
  }
}

/** The counts of one slot (-1: all zero). */
function countsAt(counts: Int32Array, slot: number): SeverityCounts {
  const at = SEVERITIES.length * slot;
  const c: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  if (slot >= 0) for (let k = 0; k < SEVERITIES.length; k++) c[SEVERITIES[k]] = counts[at + k];
  return c;
}

function severityText(c: SeverityCounts, palette: Palette): string {
  const text = countsText(c);
  if (c.error) return palette.error(text);
  if (c.warning) return palette.warning(text);
  return SEVERITIES.some((s) => c[s] > 0) ? palette.note(text) : text;
}

function connectionLine(c: Connection, findings: string, palette: Palette): string {
  const segments = c.c2s.segments + c.s2c.segments;
  const rtt = c.handshakeRtt === null ? '' : `, rtt ${(c.handshakeRtt * 1000).toFixed(3)} ms`;
  return (
    `${palette.bold(`#${c.id}`)} ${endpointText(c.client)} → ${endpointText(c.server)}  ` +
    `${stateText(c.clientState)}/${stateText(c.serverState)}  ${c.zeekState} ${c.history || '-'}  ` +
    `${plural(segments, 'segment')}, ${c.c2s.bytes}/${c.s2c.bytes} bytes${rtt}, lines ${c.firstLine + 1}-${c.lastLine + 1}` +
    `${c.outcome ? `, ${c.outcome}` : ''}: ${findings}\n`
  );
}
