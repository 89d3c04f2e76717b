// A standalone SVG document of a view (every row, not just the visible ones).
// Colours come from `--vscode-*` variables with fallbacks so the file also
// looks right outside VS Code. Every trace string is XML-escaped.
import type { DiagramModel, DiagramView } from './model';
import { arrowAccessibleName, arrowLabel, bandLabel, formatTime } from './format';
import { ARROW_TOP, AXIS_WIDTH, layoutDiagram } from './layout';

/** XML-escapes text and drops the control characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    out += ch === '&' || ch === '<' || ch === '>' || ch === '"' || ch === "'" ? `&#${code};` : ch;
  }
  return out;
}

export const SVG_STYLE = `
  svg { font-family: var(--vscode-editor-font-family, monospace); font-size: 11px; }
  .background { fill: var(--vscode-editor-background, #ffffff); }
  .lifeline { stroke: var(--vscode-editor-foreground, #333333); stroke-width: 1.5; }
  .endpoint { fill: var(--vscode-editor-foreground, #333333); font-weight: bold; }
  .arrow line { stroke: var(--vscode-editor-foreground, #333333); stroke-width: 1.2; }
  .arrow path { fill: var(--vscode-editor-foreground, #333333); }
  .arrow.warning line { stroke: var(--vscode-editorWarning-foreground, #bf8803); }
  .arrow.warning path { fill: var(--vscode-editorWarning-foreground, #bf8803); }
  .arrow.error line { stroke: var(--vscode-editorError-foreground, #e51400); }
  .arrow.error path { fill: var(--vscode-editorError-foreground, #e51400); }
  .label { fill: var(--vscode-editor-foreground, #333333); }
  .time { fill: var(--vscode-descriptionForeground, #717171); }
  .state { fill: var(--vscode-textLink-foreground, #006ab1); font-weight: bold; }
  .band rect { fill: var(--vscode-editor-inactiveSelectionBackground, #e5ebf1); stroke: var(--vscode-editorWidget-border, #c8c8c8); }
  .band text { fill: var(--vscode-editor-foreground, #333333); }
  .phase-handshake { fill: var(--vscode-diffEditor-insertedTextBackground, rgba(156, 204, 44, 0.2)); }
  .phase-data { fill: transparent; }
  .phase-teardown { fill: var(--vscode-editor-findRangeHighlightBackground, rgba(180, 180, 180, 0.3)); }
  .phase-reset { fill: var(--vscode-diffEditor-removedTextBackground, rgba(255, 0, 0, 0.2)); }
`;

export function toSvg(model: DiagramModel, view: DiagramView): string {
  const layout = layoutDiagram(model, view);
  const out: string[] = [];
  const n = (v: number): string => String(Math.round(v * 10) / 10);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(layout.width)}" height="${n(layout.height)}" viewBox="0 0 ${n(layout.width)} ${n(layout.height)}">`,
    `<style>${SVG_STYLE}</style>`,
    `<rect class="background" x="0" y="0" width="${n(layout.width)}" height="${n(layout.height)}"/>`,
  );
  for (const p of layout.phases) {
    const lane = layout.lanes[p.lane]!;
    out.push(
      `<rect class="phase-${p.phase}" x="${n(lane.clientX)}" y="${n(p.y0)}" width="${n(lane.serverX - lane.clientX)}" height="${n(p.y1 - p.y0)}"/>`,
    );
  }
  for (const lane of layout.lanes) {
    const c = model.connections[lane.connection]!;
    out.push(
      `<text class="endpoint" x="${n(lane.clientX)}" y="20" text-anchor="middle">${escapeXml(c.client)}</text>`,
      `<text class="endpoint" x="${n(lane.serverX)}" y="20" text-anchor="middle">${escapeXml(c.server)}</text>`,
      `<line class="lifeline" x1="${n(lane.clientX)}" y1="30" x2="${n(lane.clientX)}" y2="${n(layout.height)}"/>`,
      `<line class="lifeline" x1="${n(lane.serverX)}" y1="30" x2="${n(lane.serverX)}" y2="${n(layout.height)}"/>`,
    );
  }
  for (const row of layout.rows) {
    if (row.kind === 'band') {
      const bandLane = row.lane !== null ? layout.lanes[row.lane]! : null;
      const x0 = bandLane ? bandLane.left : AXIS_WIDTH;
      const x1 = bandLane ? bandLane.right : layout.width;
      out.push(
        `<g class="band"><rect x="${n(x0 + 4)}" y="${n(row.y + 4)}" width="${n(x1 - x0 - 8)}" height="${n(row.height - 8)}" rx="4"/>`,
        `<text x="${n((x0 + x1) / 2)}" y="${n(row.y + row.height / 2 + 4)}" text-anchor="middle">${escapeXml(bandLabel(row.summary))}</text></g>`,
      );
      continue;
    }
    const a = model.arrows[row.arrow]!;
    const c = model.connections[a.connection]!;
    const y0 = row.y + ARROW_TOP;
    const y1 = y0 + row.drop;
    const dir = Math.sign(row.toX - row.fromX);
    const cls = a.severity === 'error' || a.severity === 'warning' ? `arrow ${a.severity}` : 'arrow';
    const lane = layout.lanes[row.lane]!;
    out.push(
      `<text class="time" x="${n(AXIS_TEXT_X)}" y="${n(y0 + 4)}">${escapeXml(formatTime(model, a.time, view.absoluteTime))}</text>`,
      `<g class="${cls}"><title>${escapeXml(arrowAccessibleName(a, c, view.absoluteSeq))}</title>`,
      `<line x1="${n(row.fromX)}" y1="${n(y0)}" x2="${n(row.toX - dir * 8)}" y2="${n(y1)}"/>`,
      `<path d="M${n(row.toX)} ${n(y1)} l${n(-dir * 9)} -4 l0 8 z"/>`,
      `<text class="label" x="${n((lane.clientX + lane.serverX) / 2)}" y="${n(y0 + row.drop / 2 - 6)}" text-anchor="middle">${escapeXml(arrowLabel(a, view.absoluteSeq))}</text></g>`,
    );
    if (row.clientStateLabel)
      out.push(
        `<text class="state" x="${n(lane.clientX - 6)}" y="${n(y1 + 4)}" text-anchor="end">${escapeXml(row.clientStateLabel)}</text>`,
      );
    if (row.serverStateLabel)
      out.push(
        `<text class="state" x="${n(lane.serverX + 6)}" y="${n(y1 + 4)}">${escapeXml(row.serverStateLabel)}</text>`,
      );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const AXIS_TEXT_X = 6;
