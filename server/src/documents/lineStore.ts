// The text of one open document as an array of lines, so that an edit costs
// what it changes: a one-character edit replaces one array slot instead of
// rebuilding a 50 MB string (what `TextDocuments` does on every change).
// Line ends are not stored; `\r\n`, `\r` and `\n` all end a line, which keeps
// characters (UTF-16 code units, the LSP default) the same as in the editor.
// The lines are a LineList: each version's lines share what the edit did not change.
import type { ByteLines } from './byteLines';
import { LineList } from './lineList';

export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/**
 * A document text already split into lines (line ends `\r\n`, `\r` or `\n`, not
 * stored), where they lie in the message that carried it (bigMessages.ts).
 */
export interface SplitText {
  readonly lines: ByteLines;
  /** Length of the text in UTF-16 code units, line ends included. */
  readonly length: number;
}

/** A document text as the server receives it: a string, or already split into lines (bigMessages.ts). */
export type DocumentText = string | SplitText;

export interface LineEdit {
  /** Absent: the whole document is replaced. */
  readonly range?: { readonly start: LinePosition; readonly end: LinePosition };
  readonly text: DocumentText;
}

/** Which lines an edit replaced: `removed` old lines at `first` became `inserted` new ones. */
export interface LineChange {
  readonly first: number;
  readonly removed: number;
  readonly inserted: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

function listOf(text: DocumentText): LineList {
  return typeof text === 'string' ? LineList.from(splitLines(text)) : LineList.fromBytes(text.lines);
}

export class LineStore {
  private lines: LineList;
  private chars: number;

  constructor(text: DocumentText) {
    this.lines = listOf(text);
    this.chars = text.length;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Approximate size of the text in UTF-16 code units (line ends count as one). */
  get length(): number {
    return this.chars;
  }

  line(index: number): string {
    return this.lines.at(index) ?? '';
  }

  /** The lines as they are now; later edits do not change them (they make a new LineList). */
  snapshot(): LineList {
    return this.lines;
  }

  /** The whole text, lines joined with `\n`. Costs a full copy: use only to analyse. */
  text(): string {
    return this.lines.toArray().join('\n');
  }

  apply(edit: LineEdit): LineChange {
    if (!edit.range) {
      const removed = this.lines.length;
      this.lines = listOf(edit.text);
      this.chars = edit.text.length;
      return { first: 0, removed, inserted: this.lines.length };
    }
    const start = this.clamp(edit.range.start);
    const end = this.clamp(edit.range.end);
    const [from, to] = comparePositions(start, end) <= 0 ? [start, end] : [end, start];
    const prefix = this.line(from.line).slice(0, from.character);
    const suffix = this.line(to.line).slice(to.character);
    const removedChars = this.spanLength(from, to);
    const replacement = joined(prefix, edit.text, suffix);
    const removed = to.line - from.line + 1;
    this.lines = this.lines.splice(from.line, removed, replacement);
    this.chars += edit.text.length - removedChars;
    return { first: from.line, removed, inserted: replacement.length };
  }

  private clamp(p: LinePosition): LinePosition {
    const line = Math.max(0, Math.min(p.line, this.lines.length - 1));
    if (p.line > line) return { line, character: this.line(line).length };
    return { line, character: Math.max(0, Math.min(p.character, this.line(line).length)) };
  }

  private spanLength(from: LinePosition, to: LinePosition): number {
    if (from.line === to.line) return to.character - from.character;
    let n = this.line(from.line).length - from.character + 1;
    for (let l = from.line + 1; l < to.line; l++) n += this.line(l).length + 1;
    return n + to.character;
  }
}

/** The lines of `prefix + text + suffix`, where prefix and suffix hold no line break. */
function joined(prefix: string, text: DocumentText, suffix: string): string[] {
  if (typeof text === 'string') return splitLines(prefix + text + suffix);
  const lines = text.lines.slice(0, text.lines.length);
  lines[0] = prefix + lines[0];
  lines[lines.length - 1] += suffix;
  return lines;
}

function comparePositions(a: LinePosition, b: LinePosition): number {
  return a.line - b.line || a.character - b.character;
}
