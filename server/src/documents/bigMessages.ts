// Reading the JSON-RPC messages that carry a whole big document (didOpen, a
// full-text didChange) without the copies the generic reader makes. The
// generic reader decodes the message bytes to a string, JSON.parse copies the
// document text out of it (unescaping every `\n`), and the server then splits
// that text into lines: three passes and two 50 MB strings for a 50 MB trace.
// Here the message string is split into lines directly at its `\n` escapes, the
// lines being slices of it (no copy), and only the small rest of the message
// goes through JSON.parse, with a token in place of each big string. The
// handlers exchange the token for the lines (takeText), with where each line
// lies in the message string (wholeRead.ts reads them from there). Anything unexpected —
// a big string elsewhere than a document text, a malformed message — is read
// the generic way, so the result is always what JSON.parse gives.
import { randomBytes } from 'node:crypto';
import type { DocumentText, SplitText } from './lineStore';

/** String values at least this long are split into lines while decoding. */
export const BIG_STRING = 1 << 16;

const BACKSLASH = 92;
const QUOTE = 34;

const nonce = randomBytes(8).toString('hex');
let tokens = 0;
/** Split texts decoded, by token, until their handler takes them. */
const decoded = new Map<string, SplitText>();

/** The split text a decoded message carries in place of `text`, or `text` itself. */
export function takeText(text: string): DocumentText {
  const split = decoded.get(text);
  if (split === undefined) return text;
  decoded.delete(text);
  return split;
}

/**
 * The message in `json` (a whole JSON-RPC message), with document texts of at
 * least `big` characters split into lines (a token in their place: takeText).
 */
export function parseMessage(json: string, big = BIG_STRING): unknown {
  if (json.length < big) return JSON.parse(json) as unknown;
  /** Big strings by the token that stands in their place. */
  const found = new Map<string, { start: number; end: number; text: SplitText }>();
  const parts: string[] = [];
  let at = 0;
  const scanned = scanStrings(json, (start, end, text) => {
    if (end - start < big || !afterTextKey(json, start)) return;
    const token = `\u0000tcptrace-text:${nonce}:${tokens++}`;
    found.set(token, { start, end, text });
    parts.push(json.slice(at, start), JSON.stringify(token));
    at = end;
  });
  if (!scanned || found.size === 0) return JSON.parse(json) as unknown;
  parts.push(json.slice(at));
  const message = JSON.parse(parts.join('')) as unknown;
  const texts = new Map<string, SplitText>();
  for (const value of documentTexts(message)) {
    const f = typeof value === 'string' ? found.get(value) : undefined;
    if (f === undefined) continue;
    texts.set(value as string, f.text);
    found.delete(value as string);
  }
  // Big strings elsewhere: their own value again (as JSON.parse reads it).
  const restored = found.size === 0 ? message : restore(message, found, json);
  if (restored === undefined) return JSON.parse(json) as unknown;
  for (const [token, text] of texts) decoded.set(token, text);
  return restored;
}

/**
 * The string that starts at `start` is the value of a `"text"` key, where LSP
 * messages carry document texts (documentTexts() checks the place once parsed).
 */
function afterTextKey(json: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && isSpace(json.charCodeAt(i))) i--;
  if (json.charCodeAt(i) !== 58) return false;
  i--;
  while (i >= 0 && isSpace(json.charCodeAt(i))) i--;
  return json.startsWith('"text"', i - 5);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** `value` with every token of `found` replaced by its string; undefined when one is an object key. */
function restore(
  value: unknown,
  found: ReadonlyMap<string, { start: number; end: number }>,
  json: string,
): unknown {
  if (typeof value === 'string') {
    const f = found.get(value);
    return f === undefined ? value : (JSON.parse(json.slice(f.start, f.end)) as unknown);
  }
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const v = restore(value[k], found, json);
      if (v === undefined && value[k] !== undefined) return undefined;
      value[k] = v;
    }
    return value;
  }
  if (!isRecord(value)) return value;
  for (const key of Object.keys(value)) {
    if (found.has(key)) return undefined;
    const v = restore(value[key], found, json);
    if (v === undefined && value[key] !== undefined) return undefined;
    value[key] = v;
  }
  return value;
}

/** The `text` values where LSP messages carry whole document texts (didOpen, didChange). */
function documentTexts(message: unknown): unknown[] {
  if (!isRecord(message) || !isRecord(message.params)) return [];
  const params = message.params;
  if (message.method === 'textDocument/didOpen' && isRecord(params.textDocument)) {
    return [params.textDocument.text];
  }
  if (message.method === 'textDocument/didChange' && Array.isArray(params.contentChanges)) {
    return params.contentChanges.map((c: unknown) => (isRecord(c) ? c.text : undefined));
  }
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Calls `onString(start, end, text)` for every string value of the JSON text
 * (start at its opening quote, end after its closing one), with its content
 * split into lines. False when the text ends inside a string or an escape is
 * malformed (the caller then lets JSON.parse report it).
 */
function scanStrings(json: string, onString: (start: number, end: number, text: SplitText) => void): boolean {
  let i = 0;
  const n = json.length;
  while (i < n) {
    const q = json.indexOf('"', i);
    if (q < 0) return true;
    const s = readString(json, q + 1);
    if (s === undefined) return false;
    onString(q, s.end, s.text);
    i = s.end;
  }
  return true;
}

/**
 * The string whose content starts at `from`: its lines and the index after
 * its closing quote. Lines without escapes are slices of `json`.
 */
function readString(json: string, from: number): { text: SplitText; end: number } | undefined {
  const lines: string[] = [];
  let length = 0;
  /** Where each line starts in `json`, -1 for a line with escapes (LineOrigin). */
  let offsets = new Int32Array(16);
  /** Start of the current line's unescaped run, and what came before it in this line. */
  let run = from;
  let head = '';
  let quote = json.indexOf('"', from);
  let slash = json.indexOf('\\', from);
  const endLine = (at: number, next: number, breakLength: number): void => {
    const line = head + json.slice(run, at);
    if (lines.length === offsets.length) {
      const grown = new Int32Array(2 * offsets.length);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[lines.length] = head === '' ? run : -1;
    lines.push(line);
    length += line.length + breakLength;
    head = '';
    run = next;
  };
  for (;;) {
    if (quote < 0) return undefined;
    if (slash < 0 || quote < slash) {
      endLine(quote, quote + 1, 0);
      const origin = { source: json, offsets: offsets.slice(0, lines.length) };
      return { text: { lines, length, origin }, end: quote + 1 };
    }
    const c = json.charCodeAt(slash + 1);
    let next = slash + 2;
    let unit = -1;
    switch (c) {
      case 110: // n
        unit = 10;
        break;
      case 114: // r
        unit = 13;
        break;
      case 116: // t
        unit = 9;
        break;
      case 98: // b
        unit = 8;
        break;
      case 102: // f
        unit = 12;
        break;
      case QUOTE:
      case BACKSLASH:
      case 47: // /
        unit = c;
        break;
      case 117: {
        // u: four hex digits
        const hex = json.slice(slash + 2, slash + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
        unit = parseInt(hex, 16);
        next = slash + 6;
        break;
      }
      default:
        return undefined;
    }
    if (unit === 10) {
      endLine(slash, next, 1);
    } else if (unit === 13) {
      // `\r\n` is one line end; a lone `\r` is one too.
      if (
        json.startsWith('\\n', next) ||
        json.startsWith('\\u000a', next) ||
        json.startsWith('\\u000A', next)
      ) {
        const after = json.charCodeAt(next + 1) === 110 ? next + 2 : next + 6;
        endLine(slash, after, 2);
        next = after;
      } else endLine(slash, next, 1);
    } else {
      head += json.slice(run, slash) + String.fromCharCode(unit);
      run = next;
    }
    if (quote < next) quote = json.indexOf('"', next);
    slash = json.indexOf('\\', next);
  }
}

/** Split texts waiting for their handler (for tests). */
export function pendingTexts(): number {
  return decoded.size;
}
