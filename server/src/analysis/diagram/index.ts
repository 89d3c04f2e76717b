// The sequence diagram's pure part: model, builder, layout and exporters.
export * from './model';
export { buildDiagramModel } from './build';
export * from './format';
export * from './layout';
export { toMermaid, mermaidText, mermaidDescription, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT } from './mermaid';
export type { MermaidOptions } from './mermaid';
export { toSvg, escapeXml } from './svg';
export type * from './messages';
export { buildDiagramWire, encodeDiagramModel, decodeDiagramModel } from './wire';
export type { DiagramWire } from './wire';
