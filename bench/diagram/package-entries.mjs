// Adds (idempotently) the diagram's entries to package.json: commands, menus,
// the webview activation event and the bench script. Read-modify-write of only
// these keys, because other parts of the project edit the same file.
import * as fs from 'node:fs';

const file = new URL('../../package.json', import.meta.url);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
const upsert = (list, key, entry) => {
  const i = list.findIndex(
    (e) => e[key] === entry[key] && (key !== 'command' || !entry.when || e.when === entry.when),
  );
  if (i >= 0) list[i] = entry;
  else list.push(entry);
};

pkg.activationEvents ??= [];
if (!pkg.activationEvents.includes('onWebviewPanel:tcptrace.diagram'))
  pkg.activationEvents.push('onWebviewPanel:tcptrace.diagram');

const c = (pkg.contributes ??= {});
c.commands ??= [];
for (const cmd of [
  {
    command: 'tcptrace.showDiagram',
    title: 'Show Sequence Diagram',
    category: 'TCP Trace',
    icon: '$(type-hierarchy-sub)',
  },
  { command: 'tcptrace.exportDiagramSvg', title: 'Export Sequence Diagram as SVG', category: 'TCP Trace' },
  {
    command: 'tcptrace.exportDiagramMermaid',
    title: 'Export Selection as Mermaid Sequence Diagram',
    category: 'TCP Trace',
  },
  { command: 'tcptrace.diagram.nextSegment', title: 'Sequence Diagram: Next Segment', category: 'TCP Trace' },
  {
    command: 'tcptrace.diagram.previousSegment',
    title: 'Sequence Diagram: Previous Segment',
    category: 'TCP Trace',
  },
  { command: 'tcptrace.diagram.nextFinding', title: 'Sequence Diagram: Next Finding', category: 'TCP Trace' },
])
  upsert(c.commands, 'command', cmd);

const menus = (c.menus ??= {});
const add = (menu, entry) => {
  menus[menu] ??= [];
  const i = menus[menu].findIndex((e) => e.command === entry.command);
  if (i >= 0) menus[menu][i] = entry;
  else menus[menu].push(entry);
};
const trace = 'resourceLangId == tcptrace';
add('editor/title', { command: 'tcptrace.showDiagram', when: trace, group: 'navigation' });
add('editor/context', { command: 'tcptrace.showDiagram', when: trace, group: 'tcptrace@1' });
add('editor/context', { command: 'tcptrace.exportDiagramMermaid', when: trace, group: 'tcptrace@2' });
add('editor/context', { command: 'tcptrace.exportDiagramSvg', when: trace, group: 'tcptrace@3' });
const panel = "activeWebviewPanelId == 'tcptrace.diagram' || editorLangId == tcptrace";
add('commandPalette', { command: 'tcptrace.showDiagram', when: 'editorLangId == tcptrace' });
add('commandPalette', { command: 'tcptrace.exportDiagramSvg', when: panel });
add('commandPalette', { command: 'tcptrace.exportDiagramMermaid', when: panel });
add('commandPalette', { command: 'tcptrace.diagram.nextSegment', when: panel });
add('commandPalette', { command: 'tcptrace.diagram.previousSegment', when: panel });
add('commandPalette', { command: 'tcptrace.diagram.nextFinding', when: panel });

pkg.scripts['bench:diagram'] = 'node --import tsx bench/diagram/run.ts';
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
