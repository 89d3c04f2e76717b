// Mermaid `sequenceDiagram` text for a selection of arrows, split into parts
// that Mermaid's defaults accept (maxTextSize 50,000 characters, maxEdges 500).
// Mermaid's grammar reads a message text up to the first `#`, `;` or newline
// and treats `#name;` as an entity, so every character outside a small safe set
// is written as a numeric entity (`#60;`); participant descriptions are kept
// to letters, digits, spaces, dots and underscores.
import type { DiagramModel } from './model';
import { arrowNumbers, flagLabel } from './format';
import { RST } from '../model';

export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

export interface MermaidOptions {
  readonly absoluteSeq?: boolean;
  /** Limits per part; the defaults are Mermaid's. */
  readonly maxTextSize?: number;
  readonly maxStatements?: number;
}

const SAFE_TEXT = /[A-Za-z0-9 .,:()+=/_-]/;

/** Message text: unsafe characters become numeric entities Mermaid decodes. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (SAFE_TEXT.test(ch)) out += ch;
    else if (ch === '\n' || ch === '\r' || ch === '\t') out += ' ';
    else out += `#${ch.codePointAt(0)};`;
  }
  return out.trim();
}

/** Participant description: no entities there, so anything else becomes `_`. */
export function mermaidDescription(text: string): string {
  const cleaned = text
    .replace(/:/g, ' port ')
    .replace(/[^A-Za-z0-9 ._]/g, '_')
    .replace(/\s+/g, ' ');
  return cleaned.trim() || 'unknown';
}

function endpointDescription(hostPort: string): string {
  // "[2001:db8::1]:443" or "10.0.0.1:80": split at the last colon.
  const cut = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, cut).replace(/^\[|\]$/g, '');
  const port = hostPort.slice(cut + 1);
  return mermaidDescription(`${host.replace(/:/g, '.')}:${port}`);
}

/**
 * The Mermaid text of the given arrows (indices into model.arrows, any order),
 * as one or more complete `sequenceDiagram` documents.
 */
export function toMermaid(
  model: DiagramModel,
  selection: readonly number[],
  options: MermaidOptions = {},
): string[] {
  const maxText = options.maxTextSize ?? MERMAID_MAX_TEXT;
  const maxStatements = options.maxStatements ?? MERMAID_MAX_EDGES;
  const arrows = [...new Set(selection)].filter((i) => model.arrows[i] !== undefined).sort((a, b) => a - b);
  const participants = (c: number): string[] => {
    const conn = model.connections[c]!;
    return [
      `    participant C${c} as ${endpointDescription(conn.client)}`,
      `    participant S${c} as ${endpointDescription(conn.server)}`,
    ];
  };

  // Statements: each arrow's state notes, then the message itself; kept together.
  const groups: string[][] = [];
  const lastClient = new Map<number, string | null>();
  const lastServer = new Map<number, string | null>();
  for (const i of arrows) {
    const a = model.arrows[i]!;
    const [from, to] =
      a.direction === 'c2s'
        ? [`C${a.connection}`, `S${a.connection}`]
        : [`S${a.connection}`, `C${a.connection}`];
    const arrowKind = (a.flags & RST) !== 0 ? '-x' : '->>';
    const codes = a.findings.map((f) => f.code).join(', ');
    const text = `${flagLabel(a.flags)} ${arrowNumbers(a, options.absoluteSeq ?? false)}${codes ? ` (${codes})` : ''}`;
    const group = [`    ${from}${arrowKind}${to}: ${mermaidText(text)}`];
    if (a.clientState !== null && lastClient.get(a.connection) !== a.clientState)
      group.push(`    Note over C${a.connection}: ${mermaidText(a.clientState)}`);
    if (a.serverState !== null && lastServer.get(a.connection) !== a.serverState)
      group.push(`    Note over S${a.connection}: ${mermaidText(a.serverState)}`);
    lastClient.set(a.connection, a.clientState);
    lastServer.set(a.connection, a.serverState);
    groups.push(group);
  }

  // Each part declares only the participants it uses, so its size is known as it grows.
  const parts: string[] = [];
  let body: string[] = [];
  let declared: number[] = [];
  let size = 'sequenceDiagram\n'.length;
  let statements = 0;
  const flush = (): void => {
    const header = ['sequenceDiagram', ...declared.sort((a, b) => a - b).flatMap(participants)];
    parts.push([...header, ...body].join('\n') + '\n');
    body = [];
    declared = [];
    size = 'sequenceDiagram\n'.length;
    statements = 0;
  };
  groups.forEach((group, g) => {
    const connection = model.arrows[arrows[g]!]!.connection;
    const extra = declared.includes(connection) ? [] : participants(connection);
    const groupSize = [...extra, ...group].reduce((n, s) => n + s.length + 1, 0);
    if (body.length > 0 && (size + groupSize > maxText || statements + group.length > maxStatements)) flush();
    if (!declared.includes(connection)) {
      declared.push(connection);
      size += participants(connection).reduce((n, s) => n + s.length + 1, 0);
    }
    body.push(...group);
    size += group.reduce((n, s) => n + s.length + 1, 0);
    statements += group.length;
  });
  if (body.length > 0 || parts.length === 0) flush();
  return parts;
}
