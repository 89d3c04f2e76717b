// The ladder diagram: toolbar, lifeline header and a virtualised SVG that
// holds only the rows on screen (plus a small overscan).
import type { DiagramModel, DiagramView } from '../../../server/src/analysis/diagram/model';
import type { DiagramPanelState, ExtensionToWebview } from '../../../server/src/analysis/diagram/messages';
import {
  arrowAccessibleName,
  arrowLabel,
  bandLabel,
  flagNames,
  formatTime,
} from '../../../server/src/analysis/diagram/format';
import {
  ARROW_TOP,
  firstRowBelow,
  layoutDiagram,
  type Layout,
  type Row,
} from '../../../server/src/analysis/diagram/layout';
import { decodeDiagramModel } from '../../../server/src/analysis/diagram/wire';
import { html, svg, svgText } from './svgDom';
import type { VsCodeApi } from './vscodeApi';

/** Pixels drawn above and below the visible area so small scrolls need no redraw. */
const OVERSCAN = 400;
/** Rows are added once the drawn ones reach less than this beyond the visible area. */
const REDRAW_MARGIN = 300;
/** How far the canvas reaches beyond the visible area, so that it moves rarely while scrolling. */
const BLOCK_MARGIN = 6000;
const AXIS_TEXT_X = 6;

const DEFAULT: DiagramView = { connection: 0, expanded: [], absoluteSeq: false, absoluteTime: false };

export class DiagramApp {
  private model: DiagramModel | null = null;
  private layout: Layout | null = null;
  private view: DiagramView;
  private selected: number | null = null; // index into model.arrows
  private pendingSegment: number | null;
  private pendingScroll: number;
  private frame = 0;
  private drawnRange: [number, number, number, number] = [-1, -1, -1, -1];
  /** The layout the canvas shows, the range of its rows drawn, and the group of each drawn row. */
  private drawnLayout: Layout | null = null;
  /** The vertical extent of the canvas (its viewBox), phases and lifelines. */
  private block: [number, number] = [-1, -1];
  private drawnRows: [number, number] = [0, 0];
  private readonly rowGroups = new Map<number, SVGGElement>();
  private readonly phasesLayer = svg('g', { class: 'phases' });
  private readonly lifelinesLayer = svg('g', { class: 'lifelines' });
  private readonly rowsLayer = svg('g', { class: 'rows' });
  private headerKey = '';

  private readonly toolbar: HTMLDivElement;
  private readonly picker: HTMLSelectElement;
  private readonly absSeq: HTMLInputElement;
  private readonly absTime: HTMLInputElement;
  private readonly status: HTMLSpanElement;
  private readonly header: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly canvas: SVGSVGElement;
  private readonly message: HTMLDivElement;

  constructor(
    root: HTMLElement,
    private readonly api: VsCodeApi,
    private uri: string,
    restored: DiagramPanelState | null,
  ) {
    this.view = restored?.view ?? DEFAULT;
    this.pendingSegment = restored?.selectedSegment ?? null;
    this.pendingScroll = restored?.scrollTop ?? 0;

    this.toolbar = html('div', 'toolbar', root);
    this.toolbar.setAttribute('role', 'toolbar');
    const pickerLabel = html('label', '', this.toolbar, 'Connection');
    this.picker = html('select', 'picker', pickerLabel);
    this.picker.setAttribute('aria-label', 'Connection');
    this.absSeq = this.checkbox('Absolute seq/ack', this.view.absoluteSeq);
    this.absTime = this.checkbox('Time of day', this.view.absoluteTime);
    this.status = html('span', 'status', this.toolbar);
    this.status.setAttribute('aria-live', 'polite');
    this.message = html('div', 'message', root, 'Waiting for the analysis…');
    this.header = html('div', 'lifeline-header', root);
    this.header.setAttribute('aria-hidden', 'true');
    this.scroller = html('div', 'scroller', root);
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'list');
    this.scroller.setAttribute(
      'aria-label',
      'Sequence diagram. Arrow keys or j/k: previous/next segment; n/p: next/previous finding; Enter: reveal in editor; Space: expand or collapse a band.',
    );
    this.sizer = html('div', 'sizer', this.scroller);
    this.canvas = svg('svg', { class: 'diagram' }, this.scroller);
    this.canvas.append(this.phasesLayer, this.lifelinesLayer, this.rowsLayer);

    this.picker.addEventListener('change', () => {
      const v = this.picker.value;
      this.setView({ ...this.view, connection: v === 'all' ? 'all' : Number(v) });
    });
    this.absSeq.addEventListener('change', () =>
      this.setView({ ...this.view, absoluteSeq: this.absSeq.checked }),
    );
    this.absTime.addEventListener('change', () =>
      this.setView({ ...this.view, absoluteTime: this.absTime.checked }),
    );
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    window.addEventListener('resize', () => this.schedule(true));
  }

  private checkbox(label: string, checked: boolean): HTMLInputElement {
    const wrap = html('label', '', this.toolbar);
    const box = html('input', '', wrap);
    box.type = 'checkbox';
    box.checked = checked;
    wrap.appendChild(document.createTextNode(label));
    return box;
  }

  handle(message: ExtensionToWebview): void {
    switch (message.type) {
      case 'model':
        this.setModel(decodeDiagramModel(message.wire));
        break;
      case 'highlight':
        this.highlightLine(message.line);
        break;
      case 'showConnection':
        this.setView({ ...this.view, connection: message.connection });
        break;
      case 'navigate':
        if (message.to === 'nextSegment') this.step(1);
        else if (message.to === 'previousSegment') this.step(-1);
        else this.stepFinding(message.to === 'nextFinding' ? 1 : -1);
        break;
      case 'error':
        this.message.textContent = message.message;
        this.message.hidden = false;
        break;
    }
  }

  private setModel(model: DiagramModel): void {
    // Stale answers (an older version of the same document) are dropped.
    if (this.model && model.uri === this.model.uri && model.version < this.model.version) return;
    const previousSegment =
      this.selected !== null ? this.model?.arrows[this.selected]?.segment : this.pendingSegment;
    this.model = model;
    this.uri = model.uri;
    const c = this.view.connection;
    if (c !== 'all' && (c < 0 || c >= model.connections.length)) this.view = { ...this.view, connection: 0 };
    this.selected = null;
    if (previousSegment !== null && previousSegment !== undefined) {
      const index = model.arrows.findIndex((a) => a.segment === previousSegment);
      this.selected = index >= 0 ? index : null;
    }
    this.fillPicker();
    this.message.hidden = model.arrows.length > 0;
    if (model.arrows.length === 0) this.message.textContent = 'No TCP segments in this document.';
    this.relayout();
    if (this.pendingScroll > 0) {
      this.scroller.scrollTop = this.pendingScroll;
      this.pendingScroll = 0;
    }
    this.draw(true);
    this.api.postMessage({
      type: 'rendered',
      version: model.version,
      rows: this.layout?.rows.length ?? 0,
      elements: document.getElementsByTagName('*').length,
    });
  }

  private fillPicker(): void {
    const model = this.model!;
    this.picker.replaceChildren();
    model.connections.forEach((c, i) => {
      const option = html(
        'option',
        '',
        this.picker,
        `${c.label} (${c.arrows.length} segments, ${c.outcome})`,
      );
      option.value = String(i);
    });
    const all = html('option', '', this.picker, `All connections (${model.connections.length})`);
    all.value = 'all';
    this.picker.value = String(this.view.connection);
  }

  private setView(view: DiagramView): void {
    this.view = view;
    this.absSeq.checked = view.absoluteSeq;
    this.absTime.checked = view.absoluteTime;
    if (this.model) {
      this.picker.value = String(view.connection);
      this.relayout();
      this.draw(true);
      if (this.selected !== null) this.scrollToArrow(this.selected);
    }
    this.saveState();
  }

  private relayout(): void {
    if (!this.model) return;
    this.layout = layoutDiagram(this.model, this.view);
    this.sizer.style.height = `${this.layout.height}px`;
    this.sizer.style.width = `${this.layout.width}px`;
    this.canvas.setAttribute('width', String(this.layout.width));
    const single = this.view.connection !== 'all' ? this.model.connections[this.view.connection] : undefined;
    this.status.textContent = single
      ? `${single.arrows.length} segments · ${single.outcome}`
      : `${this.model.arrows.length} segments in ${this.model.connections.length} connections`;
  }

  /** Redraws on the next animation frame (scroll events come faster than frames). */
  private schedule(force = false): void {
    if (force) this.drawnRange = [-1, -1, -1, -1];
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw(false);
      this.saveStateSoon();
    });
  }

  private draw(force: boolean): void {
    const layout = this.layout;
    const model = this.model;
    if (!layout || !model) return;
    // All reads of layout-dependent values come first, before any write (no forced reflow).
    const { scrollTop, scrollLeft, clientHeight, clientWidth } = this.scroller;
    this.drawHeader(scrollLeft, clientWidth);
    const top = Math.max(0, scrollTop - OVERSCAN);
    const bottom = scrollTop + clientHeight + OVERSCAN;
    const left = Math.max(0, scrollLeft - OVERSCAN);
    const right = scrollLeft + clientWidth + OVERSCAN;
    // Skip the redraw while the drawn rows still reach well beyond the visible area;
    // otherwise a few rows are added each frame rather than many every few frames.
    const [drawnTop, drawnBottom, drawnLeft, drawnRight] = this.drawnRange;
    if (
      !force &&
      drawnTop <= scrollTop - REDRAW_MARGIN &&
      drawnBottom >= scrollTop + clientHeight + REDRAW_MARGIN &&
      drawnLeft <= scrollLeft &&
      drawnRight >= scrollLeft + clientWidth
    )
      return;
    // Rows already on the canvas stay when only the vertical window moved; anything
    // else (another layout, horizontal scrolling, selection) draws the rows afresh.
    const keepRows = !force && layout === this.drawnLayout && drawnLeft === left && drawnRight === right;
    this.drawnRange = [top, bottom, left, right];
    this.drawnLayout = layout;
    // Lanes are virtualised too: the "all" view of a SYN flood has thousands.
    const visibleLane = (lane: number): boolean => {
      const l = layout.lanes[lane]!;
      return l.right >= left && l.left <= right;
    };
    // The canvas covers a block much taller than the drawn rows and moves only when
    // they leave it: moving it (its viewBox) makes the browser lay out and paint
    // everything on it again, adding a few rows does not.
    // It ends where the diagram ends: reaching further would lengthen the scroll area.
    const end = Math.max(0, Math.min(bottom, layout.height));
    const [blockTop, blockBottom] = this.block;
    if (!keepRows || top < blockTop || end > blockBottom) {
      const newTop = Math.min(Math.max(0, scrollTop - BLOCK_MARGIN), end);
      const newBottom = Math.min(layout.height, scrollTop + clientHeight + BLOCK_MARGIN);
      this.block = [newTop, newBottom];
      this.drawBlock(layout, newTop, newBottom, visibleLane);
    }

    const from = firstRowBelow(layout.rows, top);
    let to = from;
    while (to < layout.rows.length && layout.rows[to]!.y <= bottom) to++;
    const [oldFrom, oldTo] = this.drawnRows;
    const overlaps = keepRows && from < oldTo && oldFrom < to;
    if (overlaps) {
      for (const [index, group] of this.rowGroups)
        if (index < from || index >= to) {
          group.remove();
          this.rowGroups.delete(index);
        }
    } else {
      this.rowsLayer.replaceChildren();
      this.rowGroups.clear();
    }
    // New rows above the kept ones go before them, new rows below after them: the
    // document order stays the row order (screen readers and tests read it so).
    const before = overlaps ? this.rowsLayer.firstChild : null;
    for (let i = from; i < to; i++) {
      if (overlaps && i >= oldFrom && i < oldTo) continue;
      const row = layout.rows[i]!;
      if (row.kind === 'arrow' && !visibleLane(row.lane)) continue;
      const group = svg('g', {});
      this.drawRow(row, group, scrollLeft, clientWidth);
      this.rowsLayer.insertBefore(group, overlaps && i < oldFrom ? before : null);
      this.rowGroups.set(i, group);
    }
    this.drawnRows = [from, to];
    const active = this.selected !== null ? this.canvas.querySelector(`#arrow-${this.selected}`) : null;
    if (active) this.scroller.setAttribute('aria-activedescendant', active.id);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  /** Positions the canvas over [top, bottom] and draws the phases and lifelines there (a few elements). */
  private drawBlock(
    layout: Layout,
    top: number,
    bottom: number,
    visibleLane: (lane: number) => boolean,
  ): void {
    const height = bottom - top;
    this.canvas.style.top = `${top}px`;
    this.canvas.setAttribute('height', String(height));
    this.canvas.setAttribute('viewBox', `0 ${top} ${layout.width} ${height}`);
    const phases = this.phasesLayer;
    phases.replaceChildren();
    for (const p of layout.phases) {
      if (p.y1 < top || p.y0 > bottom || !visibleLane(p.lane)) continue;
      const lane = layout.lanes[p.lane]!;
      svg(
        'rect',
        {
          class: `phase-${p.phase}`,
          x: lane.clientX,
          y: Math.max(p.y0, top),
          width: lane.serverX - lane.clientX,
          height: Math.min(p.y1, bottom) - Math.max(p.y0, top),
        },
        phases,
      );
    }
    const lifelines = this.lifelinesLayer;
    lifelines.replaceChildren();
    for (const [index, lane] of layout.lanes.entries()) {
      if (!visibleLane(index)) continue;
      for (const x of [lane.clientX, lane.serverX])
        svg('line', { class: 'lifeline', x1: x, y1: top, x2: x, y2: bottom }, lifelines);
    }
  }

  /** Endpoint names above the lifelines of the lanes in view, following horizontal scrolling. */
  private drawHeader(scrollLeft: number, width: number): void {
    const layout = this.layout!;
    const key = `${scrollLeft}:${width}:${this.model!.version}:${String(this.view.connection)}`;
    if (key === this.headerKey) return;
    this.headerKey = key;
    this.header.replaceChildren();
    for (const lane of layout.lanes) {
      if (lane.right < scrollLeft || lane.left > scrollLeft + width) continue;
      const c = this.model!.connections[lane.connection]!;
      for (const [x, text] of [
        [lane.clientX, c.client],
        [lane.serverX, c.server],
      ] as const) {
        const span = html('span', '', this.header, text);
        span.style.left = `${x - scrollLeft}px`;
      }
    }
  }

  private drawRow(row: Row, parent: SVGGElement, scrollLeft: number, clientWidth: number): void {
    const model = this.model!;
    const layout = this.layout!;
    if (row.kind === 'band') {
      const lane = row.lane !== null ? layout.lanes[row.lane]! : null;
      const x0 = lane ? lane.left : layout.lanes[0]!.left;
      const x1 = lane ? lane.right : layout.width;
      const g = svg(
        'g',
        {
          class: row.summary.warnings > 0 ? 'band warning' : 'band',
          'data-band': row.id,
          role: 'button',
          'aria-expanded': String(row.expanded),
          id: `band-${row.id}`,
        },
        parent,
      );
      const text = row.expanded ? `▾ ${bandLabel(row.summary)} (collapse)` : `▸ ${bandLabel(row.summary)}`;
      g.setAttribute('aria-label', text);
      svg('rect', { x: x0 + 4, y: row.y + 3, width: x1 - x0 - 8, height: row.height - 6, rx: 4 }, g);
      // Centred in the part of the band that is on screen (an "all" band can be very wide).
      const from = Math.max(x0, scrollLeft);
      const to = Math.min(x1, scrollLeft + clientWidth);
      svgText(text, { x: (from + to) / 2, y: row.y + row.height / 2 + 4, 'text-anchor': 'middle' }, g);
      return;
    }
    const arrow = model.arrows[row.arrow]!;
    const connection = model.connections[arrow.connection]!;
    const lane = layout.lanes[row.lane]!;
    const y0 = row.y + ARROW_TOP;
    const y1 = y0 + row.drop;
    const dir = Math.sign(row.toX - row.fromX);
    const classes = ['arrow'];
    if (arrow.severity === 'error' || arrow.severity === 'warning') classes.push(arrow.severity);
    if (row.arrow === this.selected) classes.push('selected');
    svgText(
      formatTime(model, arrow.time, this.view.absoluteTime),
      { class: 'time', x: AXIS_TEXT_X, y: y0 + 4 },
      parent,
    );
    if (row.arrow === this.selected)
      svg(
        'rect',
        { class: 'selection-bar', x: lane.left, y: row.y, width: lane.right - lane.left, height: row.height },
        parent,
      );
    const g = svg(
      'g',
      { class: classes.join(' '), 'data-arrow': row.arrow, id: `arrow-${row.arrow}`, role: 'listitem' },
      parent,
    );
    const name = arrowAccessibleName(arrow, connection, this.view.absoluteSeq);
    g.setAttribute('aria-label', name);
    svg('title', {}, g).textContent = name;
    svg('line', { class: 'hit', x1: row.fromX, y1: y0, x2: row.toX, y2: y1 }, g);
    svg('line', { x1: row.fromX, y1: y0, x2: row.toX - dir * 8, y2: y1 }, g);
    svg('path', { d: `M${row.toX} ${y1} l${-dir * 9} -4 l0 8 z` }, g);
    svgText(
      arrowLabel(arrow, this.view.absoluteSeq),
      { x: (lane.clientX + lane.serverX) / 2, y: y0 + row.drop / 2 - 6, 'text-anchor': 'middle' },
      g,
    );
    if (arrow.severity)
      svg(
        'circle',
        {
          class: `marker ${arrow.severity}`,
          cx: (lane.clientX + lane.serverX) / 2,
          cy: y0 + row.drop / 2 + 1,
          r: 4,
        },
        g,
      );
    if (row.clientStateLabel)
      svgText(
        row.clientStateLabel,
        {
          class: 'state',
          x: lane.clientX - 6,
          y: (arrow.direction === 'c2s' ? y0 : y1) + 4,
          'text-anchor': 'end',
        },
        parent,
      );
    if (row.serverStateLabel)
      svgText(
        row.serverStateLabel,
        { class: 'state', x: lane.serverX + 6, y: (arrow.direction === 'c2s' ? y1 : y0) + 4 },
        parent,
      );
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target : null;
    const arrowEl = target?.closest('[data-arrow]');
    if (arrowEl) {
      this.select(Number(arrowEl.getAttribute('data-arrow')), true);
      return;
    }
    const bandEl = target?.closest('[data-band]');
    if (bandEl) this.toggleBand(Number(bandEl.getAttribute('data-band')));
  }

  private onKey(e: KeyboardEvent): void {
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        this.step(1);
        break;
      case 'ArrowUp':
      case 'k':
        this.step(-1);
        break;
      case 'n':
        this.stepFinding(1);
        break;
      case 'p':
      case 'N':
        this.stepFinding(-1);
        break;
      case 'Enter':
        if (this.selected !== null) this.reveal(this.selected);
        break;
      case ' ': {
        const row = this.selectedRow();
        if (row?.kind === 'band') this.toggleBand(row.id);
        else if (this.selected !== null) {
          const band = this.layout?.rows.find(
            (r) => r.kind === 'band' && r.expanded && r.arrows.includes(this.selected!),
          );
          if (band?.kind === 'band') this.toggleBand(band.id);
        }
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  private selectedRow(): Row | undefined {
    if (this.selected === null || !this.layout) return undefined;
    return this.layout.rows[this.layout.rowOfArrow[this.selected]!];
  }

  /** Moves the selection by one arrow in the current view (a collapsed band counts as one). */
  private step(delta: 1 | -1): void {
    const layout = this.layout;
    if (!layout || layout.rows.length === 0) return;
    const current = this.selected !== null ? layout.rowOfArrow[this.selected]! : -1;
    let next = current < 0 ? (delta > 0 ? 0 : layout.rows.length - 1) : current + delta;
    next = Math.max(0, Math.min(layout.rows.length - 1, next));
    const row = layout.rows[next]!;
    this.select(row.kind === 'arrow' ? row.arrow : row.arrows[0]!, false);
  }

  /** Moves to the next/previous arrow carrying a finding in this view, expanding its band if needed. */
  private stepFinding(delta: 1 | -1): void {
    const model = this.model;
    const layout = this.layout;
    if (!model || !layout) return;
    const start = this.selected ?? (delta > 0 ? -1 : model.arrows.length);
    for (let i = start + delta; i >= 0 && i < model.arrows.length; i += delta) {
      if (model.arrows[i]!.findings.length > 0 && layout.rowOfArrow[i]! >= 0) {
        this.showArrow(i);
        return;
      }
    }
  }

  private toggleBand(id: number): void {
    const expanded = new Set(this.view.expanded);
    if (expanded.has(id)) expanded.delete(id);
    else expanded.add(id);
    this.setView({ ...this.view, expanded: [...expanded] });
  }

  private select(index: number, reveal: boolean): void {
    this.selected = index;
    this.scrollToArrow(index);
    this.draw(true);
    this.saveState();
    if (reveal) this.reveal(index);
  }

  private reveal(index: number): void {
    const arrow = this.model?.arrows[index];
    if (arrow) this.api.postMessage({ type: 'reveal', line: arrow.line, endLine: arrow.endLine });
  }

  /** The editor's cursor moved to `line`: select the arrow of that packet. */
  private highlightLine(line: number): void {
    const model = this.model;
    if (!model) return;
    // Arrows are in trace order, so their lines ascend: binary search.
    let lo = 0;
    let hi = model.arrows.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const a = model.arrows[mid]!;
      if (line < a.line) hi = mid - 1;
      else if (line > a.endLine) lo = mid + 1;
      else {
        found = mid;
        break;
      }
    }
    if (found >= 0) this.showArrow(found);
  }

  /** Selects an arrow and scrolls to it, switching connection or expanding its band as needed. */
  private showArrow(index: number): void {
    const model = this.model;
    if (!model) return;
    const arrow = model.arrows[index]!;
    let view = this.view;
    if (view.connection !== 'all' && view.connection !== arrow.connection)
      view = { ...view, connection: arrow.connection };
    this.selected = index;
    const layout = view === this.view && this.layout ? this.layout : layoutDiagram(model, view);
    const row = layout.rows[layout.rowOfArrow[index]!];
    if (row?.kind === 'band' && !row.expanded) view = { ...view, expanded: [...view.expanded, row.id] };
    if (view !== this.view) this.setView(view);
    this.scrollToArrow(index);
    this.draw(true);
    this.saveState();
  }

  private scrollToArrow(index: number): void {
    const layout = this.layout;
    if (!layout) return;
    const row = layout.rows[layout.rowOfArrow[index]!];
    if (!row) return;
    const viewTop = this.scroller.scrollTop;
    const viewHeight = this.scroller.clientHeight;
    if (row.y < viewTop + 30 || row.y + row.height > viewTop + viewHeight - 10)
      this.scroller.scrollTop = Math.max(0, row.y - viewHeight / 2);
    const lane = row.kind === 'arrow' ? layout.lanes[row.lane] : undefined;
    if (
      lane &&
      (lane.left < this.scroller.scrollLeft ||
        lane.right > this.scroller.scrollLeft + this.scroller.clientWidth)
    )
      this.scroller.scrollLeft = Math.max(0, lane.left - 130);
  }

  private saveTimer = 0;
  private saveStateSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      this.saveState();
    }, 200);
  }

  private saveState(): void {
    const state: DiagramPanelState = {
      uri: this.uri,
      view: this.view,
      scrollTop: this.scroller.scrollTop,
      selectedSegment: this.selected !== null ? (this.model?.arrows[this.selected]?.segment ?? null) : null,
    };
    this.api.setState(state);
    this.api.postMessage({ type: 'stateChanged', state });
  }

  /** For the summary line of a selection (used by tests through the DOM). */
  describeSelection(): string {
    const a = this.selected !== null ? this.model?.arrows[this.selected] : undefined;
    return a ? flagNames(a.flags) : '';
  }
}
