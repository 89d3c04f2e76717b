// A checker for the rules of Mermaid's sequenceDiagram grammar that the
// exporter relies on (from Mermaid's sequenceDiagram.jison lexer and its
// documented limits). Returns the problems found, one per offending line.
//  - the first line is `sequenceDiagram`;
//  - `participant ID as DESCRIPTION`: ID is alphanumeric; the description is
//    read up to a newline, `;` or `#` and may not contain `:`, `,`, `<`, `>`, `-`,
//    `+` (the ACTOR token excludes them);
//  - messages `A->>B: text` / `A-xB: text`: both ends declared; the text is read
//    up to the first `;`, `#` or newline, so those may only appear as an entity
//    code `#123;` (Mermaid decodes entities before lexing); `<`/`>` are HTML to
//    the renderer, so they are rejected too;
//  - `Note over A: text` with the same text rules;
//  - `%%` starts a comment, and keywords such as `end` must not appear as ids;
//  - a part holds at most `maxTextSize` characters (50,000) and `maxEdges`
//    messages (500).
export interface MermaidLimits {
  readonly maxTextSize: number;
  readonly maxEdges: number;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const TEXT_OK = /^(?:[^#;<>\n\r]|#[0-9]+;)*$/;
const KEYWORDS = new Set([
  'end',
  'loop',
  'alt',
  'else',
  'opt',
  'par',
  'and',
  'rect',
  'critical',
  'break',
  'note',
  'participant',
  'actor',
  'as',
  'over',
  'box',
  'autonumber',
  'activate',
  'deactivate',
  'title',
  'links',
  'link',
  'properties',
  'details',
  'left',
  'right',
  'of',
  'create',
  'destroy',
]);

export function checkMermaidSequence(
  text: string,
  limits: MermaidLimits = { maxTextSize: 50_000, maxEdges: 500 },
): string[] {
  const problems: string[] = [];
  if (text.length > limits.maxTextSize)
    problems.push(`text has ${text.length} characters (limit ${limits.maxTextSize})`);
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== 'sequenceDiagram') problems.push(`first line is ${JSON.stringify(lines[0])}`);
  const declared = new Set<string>();
  let edges = 0;
  const participant = new RegExp(`^\\s+participant (${ID}) as ([^\\n;#:,<>+-]+)$`);
  const message = new RegExp(`^\\s+(${ID})(->>|-x|-->>|--x|->|-->)(${ID}): (.*)$`);
  const note = new RegExp(`^\\s+Note (?:over|left of|right of) (${ID}): (.*)$`);
  lines.slice(1).forEach((line, i) => {
    const where = `line ${i + 2}: ${line}`;
    if (line.trim().startsWith('%%')) return;
    let m = participant.exec(line);
    if (m) {
      if (KEYWORDS.has(m[1]!.toLowerCase())) problems.push(`${where}: keyword used as id`);
      if (m[2]!.trim() === '') problems.push(`${where}: empty description`);
      declared.add(m[1]!);
      return;
    }
    m = message.exec(line);
    if (m) {
      edges++;
      if (!declared.has(m[1]!) || !declared.has(m[3]!)) problems.push(`${where}: undeclared participant`);
      if (!TEXT_OK.test(m[4]!)) problems.push(`${where}: text has #, ; or <> outside an entity code`);
      return;
    }
    m = note.exec(line);
    if (m) {
      edges++;
      if (!declared.has(m[1]!)) problems.push(`${where}: undeclared participant`);
      if (!TEXT_OK.test(m[2]!)) problems.push(`${where}: text has #, ; or <> outside an entity code`);
      return;
    }
    problems.push(`${where}: not a statement the exporter may write`);
  });
  if (edges > limits.maxEdges) problems.push(`${edges} statements (limit ${limits.maxEdges})`);
  return problems;
}
