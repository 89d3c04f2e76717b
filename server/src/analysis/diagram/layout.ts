// Where everything goes: the rows (arrows and collapsed data bands), the lanes
// (one lifeline pair per connection) and the shaded phases, in pixels. Pure,
// shared by the virtualised webview (which draws only the rows on screen) and
// the SVG exporter (which draws them all).
import type { Phase, TcpState } from '../model';
import type { BandSummary } from './format';
import { viewConnection } from './format';
import type { DiagramModel, DiagramView } from './model';
import {
  arrowTable,
  PHASE_DATA,
  PHASES,
  SEVERITY_ERROR,
  SEVERITY_WARNING,
  stateOf,
  type ArrowTable,
} from './table';

export const AXIS_WIDTH = 130;
export const HEADER_HEIGHT = 40;
export const LANE_WIDTH_SINGLE = 520;
export const LANE_WIDTH_ALL = 400;
/** Space between the lifelines and the lane edge (room for state labels). */
export const LANE_PADDING = 90;
export const ROW_BASE = 34;
/** Where an arrow's tail sits below its row's top (room for the label above it). */
export const ARROW_TOP = 13;
export const BAND_HEIGHT = 40;
export const BAND_HEADER_HEIGHT = 24;
/** A run of at least this many plain data segments collapses into a band. */
export const MIN_BAND_RUN = 8;

export interface Lane {
  readonly connection: number;
  readonly left: number;
  readonly right: number;
  readonly clientX: number;
  readonly serverX: number;
}

export interface ArrowRow {
  readonly kind: 'arrow';
  /** Index into model.arrows. */
  readonly arrow: number;
  readonly lane: number;
  readonly y: number;
  readonly height: number;
  /** Vertical distance between the arrow's tail and head: the slope shows time passing. */
  readonly drop: number;
  readonly fromX: number;
  readonly toX: number;
  /** Set where the endpoint's state differs from the one before. */
  readonly clientStateLabel: TcpState | null;
  readonly serverStateLabel: TcpState | null;
}

export interface BandRow {
  readonly kind: 'band';
  /** Stable id: the index (into model.arrows) of the band's first arrow. */
  readonly id: number;
  readonly expanded: boolean;
  /** The arrows the band stands for (indices into model.arrows). */
  readonly arrows: readonly number[];
  readonly summary: BandSummary;
  /** Lane the band belongs to, or null when it spans every lane ("all" view). */
  readonly lane: number | null;
  readonly y: number;
  readonly height: number;
}

export type Row = ArrowRow | BandRow;

export interface PhaseSpan {
  readonly lane: number;
  readonly phase: Phase;
  readonly y0: number;
  readonly y1: number;
}

export interface Layout {
  readonly lanes: readonly Lane[];
  readonly rows: readonly Row[];
  readonly phases: readonly PhaseSpan[];
  readonly width: number;
  readonly height: number;
  /** Row index showing each arrow (the band's row when collapsed), -1 when not in this view. */
  readonly rowOfArrow: Int32Array;
}

/** Extra height for the time that passed before a row: log-compressed, 0 to 30 px. */
function timeGap(previous: number | null, current: number | null): number {
  if (previous === null || current === null || current <= previous) return 0;
  const ms = (current - previous) * 1000;
  return Math.min(30, Math.round(6 * Math.log10(1 + ms)));
}

/** The arrows a view shows, in trace order. */
export function viewArrows(model: DiagramModel, view: DiagramView): readonly number[] {
  const connection = viewConnection(model, view);
  if (connection !== null) return model.connections[connection]!.arrows;
  return model.arrows.map((_, i) => i);
}

/**
 * Maximal runs of plain data segments in display order: data phase, no state
 * change, no error. Runs of at least MIN_BAND_RUN become bands.
 */
export function dataRuns(model: DiagramModel, order: readonly number[]): { start: number; end: number }[] {
  return dataRunsOf(arrowTable(model), model.connections.length, order);
}

function dataRunsOf(
  table: ArrowTable,
  connections: number,
  order: readonly number[],
): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  // Per connection: the states of its previous arrow; -2 before its first.
  const lastClient = new Int8Array(connections).fill(-2);
  const lastServer = new Int8Array(connections).fill(-2);
  let start = -1;
  const close = (end: number): void => {
    if (start >= 0 && end - start >= MIN_BAND_RUN) runs.push({ start, end });
    start = -1;
  };
  for (let i = 0; i < order.length; i++) {
    const a = order[i]!;
    const c = table.connection[a]!;
    const clientState = table.clientState[a]!;
    const serverState = table.serverState[a]!;
    const changed = lastClient[c] !== clientState || lastServer[c] !== serverState;
    lastClient[c] = clientState;
    lastServer[c] = serverState;
    const plain = !changed && table.phase[a] === PHASE_DATA && table.severity[a] !== SEVERITY_ERROR;
    if (plain) {
      if (start < 0) start = i;
    } else close(i);
  }
  close(order.length);
  return runs;
}

function summarise(table: ArrowTable, arrows: readonly number[]): BandSummary {
  let bytes = 0;
  let retransmissions = 0;
  let warnings = 0;
  for (let k = 0; k < arrows.length; k++) {
    const i = arrows[k]!;
    bytes += table.len[i]!;
    if (table.retransmission[i] === 1) retransmissions++;
    if (table.severity[i] === SEVERITY_WARNING) warnings++;
  }
  return { segments: arrows.length, bytes, retransmissions, warnings };
}

const timeOf = (table: ArrowTable, i: number): number | null => {
  const t = table.time[i]!;
  return Number.isNaN(t) ? null : t;
};

export function layoutDiagram(model: DiagramModel, view: DiagramView): Layout {
  const single = viewConnection(model, view);
  const order = viewArrows(model, view);
  const laneConnections = single !== null ? [single] : model.connections.map((_, i) => i);
  const laneWidth = single !== null ? LANE_WIDTH_SINGLE : LANE_WIDTH_ALL;
  const laneOf = new Map<number, number>();
  const lanes: Lane[] = laneConnections.map((connection, i) => {
    laneOf.set(connection, i);
    const left = AXIS_WIDTH + i * laneWidth;
    return {
      connection,
      left,
      right: left + laneWidth,
      clientX: left + LANE_PADDING,
      serverX: left + laneWidth - LANE_PADDING,
    };
  });

  const expanded = new Set(view.expanded);
  const runStartingAt = new Map<number, number>();
  const table = arrowTable(model);
  for (const run of dataRunsOf(table, model.connections.length, order)) runStartingAt.set(run.start, run.end);

  const rows: Row[] = [];
  const phases: PhaseSpan[] = [];
  const openPhase: ({ phase: Phase; y0: number } | null)[] = lanes.map(() => null);
  const rowOfArrow = new Int32Array(model.arrows.length).fill(-1);
  const lastClient: (TcpState | null)[] = lanes.map(() => null);
  const lastServer: (TcpState | null)[] = lanes.map(() => null);
  let y = HEADER_HEIGHT;
  let lastTime: number | null = null;

  const markPhase = (lane: number, phase: Phase, at: number): void => {
    const open = openPhase[lane];
    if (open && open.phase === phase) return;
    if (open) phases.push({ lane, phase: open.phase, y0: open.y0, y1: at });
    openPhase[lane] = { phase, y0: at };
  };

  for (let i = 0; i < order.length;) {
    const runEnd = runStartingAt.get(i);
    if (runEnd !== undefined) {
      const arrows = order.slice(i, runEnd);
      const id = arrows[0]!;
      const isOpen = expanded.has(id);
      const laneOfBand = single !== null ? 0 : null;
      const height = isOpen ? BAND_HEADER_HEIGHT : BAND_HEIGHT;
      const rowIndex = rows.length;
      if (laneOfBand !== null) markPhase(laneOfBand, 'data', y);
      else for (const a of arrows) markPhase(laneOf.get(table.connection[a]!)!, 'data', y);
      rows.push({
        kind: 'band',
        id,
        expanded: isOpen,
        arrows,
        summary: summarise(table, arrows),
        lane: laneOfBand,
        y,
        height,
      });
      y += height;
      if (!isOpen) {
        for (let k = 0; k < arrows.length; k++) rowOfArrow[arrows[k]!] = rowIndex;
        lastTime = timeOf(table, arrows[arrows.length - 1]!);
        i = runEnd;
        continue;
      }
      // Expanded: the arrows follow the band's header row as ordinary rows.
      for (; i < runEnd; i++) y = pushArrow(order[i]!, y);
      continue;
    }
    y = pushArrow(order[i]!, y);
    i++;
  }
  lanes.forEach((_, lane) => {
    const open = openPhase[lane];
    if (open) phases.push({ lane, phase: open.phase, y0: open.y0, y1: y });
  });

  return {
    lanes,
    rows,
    phases,
    width: AXIS_WIDTH + lanes.length * laneWidth,
    height: y + 24,
    rowOfArrow,
  };

  function pushArrow(index: number, top: number): number {
    const lane = laneOf.get(table.connection[index]!)!;
    const l = lanes[lane]!;
    const time = timeOf(table, index);
    const gap = timeGap(lastTime, time);
    lastTime = time ?? lastTime;
    const rowTop = top + gap;
    markPhase(lane, PHASES[table.phase[index]!] ?? 'data', top);
    const c2s = table.c2s[index] === 1;
    const clientState = stateOf(table.clientState[index]!);
    const serverState = stateOf(table.serverState[index]!);
    const clientStateLabel = clientState !== lastClient[lane] ? clientState : null;
    const serverStateLabel = serverState !== lastServer[lane] ? serverState : null;
    lastClient[lane] = clientState;
    lastServer[lane] = serverState;
    rowOfArrow[index] = rows.length;
    rows.push({
      kind: 'arrow',
      arrow: index,
      lane,
      y: rowTop,
      height: ROW_BASE,
      drop: 6 + Math.min(12, gap),
      fromX: c2s ? l.clientX : l.serverX,
      toX: c2s ? l.serverX : l.clientX,
      clientStateLabel,
      serverStateLabel,
    });
    return rowTop + ROW_BASE;
  }
}

/** Index of the first row whose bottom is below `y` (binary search; rows are sorted by y). */
export function firstRowBelow(rows: readonly Row[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid]!;
    if (r.y + r.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
