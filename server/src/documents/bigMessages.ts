// Reading the JSON-RPC messages that carry a whole big document (didOpen, a
// full-text didChange) without the copies the generic reader makes. The
// generic reader decodes the message bytes to a string, JSON.parse copies the
// document text out of it (unescaping every `\n`), and the server then splits
// that text into lines: three passes and two 50 MB strings for a 50 MB trace.
// Here the message bytes are split into lines directly at their `\n` escapes:
// the lines stay where they are in the bytes (ByteLines, made into strings when
// read), and only the small rest of the message is decoded and goes through
// JSON.parse, with a token in place of each big string. The handlers exchange
// the token for the lines (takeText). Anything unexpected — a big string
// elsewhere than a document text, a malformed message — is read the generic
// way, so the result is always what JSON.parse gives.
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { ByteLines } from './byteLines';
import type { DocumentText, SplitText } from './lineStore';

/** String values of at least this many bytes are split into lines while decoding. */
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
 * The message in `body` (a whole JSON-RPC message in UTF-8), with document texts
 * of at least `big` bytes split into lines (a token in their place: takeText).
 * The body is not copied: the lines of a big text keep it.
 */
export function parseMessage(body: Buffer, big = BIG_STRING): unknown {
  if (body.length < big) return JSON.parse(body.toString('utf8')) as unknown;
  /** Big strings by the token that stands in their place. */
  const found = new Map<string, { start: number; end: number; text: SplitText }>();
  const parts: string[] = [];
  let at = 0;
  const scanned = scanStrings(body, isAscii(body), (start, end, text) => {
    if (end - start < big || !afterTextKey(body, start)) return;
    const token = `\u0000tcptrace-text:${nonce}:${tokens++}`;
    found.set(token, { start, end, text });
    parts.push(body.toString('utf8', at, start), JSON.stringify(token));
    at = end;
  });
  if (!scanned || found.size === 0) return JSON.parse(body.toString('utf8')) as unknown;
  parts.push(body.toString('utf8', at));
  const message = JSON.parse(parts.join('')) as unknown;
  const texts = new Map<string, SplitText>();
  for (const value of documentTexts(message)) {
    const f = typeof value === 'string' ? found.get(value) : undefined;
    if (f === undefined) continue;
    texts.set(value as string, f.text);
    found.delete(value as string);
  }
  // Big strings elsewhere: their own value again (as JSON.parse reads it).
  const restored = found.size === 0 ? message : restore(message, found, body);
  if (restored === undefined) return JSON.parse(body.toString('utf8')) as unknown;
  for (const [token, text] of texts) decoded.set(token, text);
  return restored;
}

/**
 * The string that starts at `start` is the value of a `"text"` key, where LSP
 * messages carry document texts (documentTexts() checks the place once parsed).
 */
function afterTextKey(b: Buffer, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && isSpace(b[i]!)) i--;
  if (b[i] !== 58) return false;
  i--;
  while (i >= 0 && isSpace(b[i]!)) i--;
  return startsWith(b, i - 5, '"text"');
}

/** The bytes of `b` at `at` are those of `ascii`. */
function startsWith(b: Buffer, at: number, ascii: string): boolean {
  if (at < 0 || at + ascii.length > b.length) return false;
  for (let k = 0; k < ascii.length; k++) if (b[at + k] !== ascii.charCodeAt(k)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** `value` with every token of `found` replaced by its string; undefined when one is an object key. */
function restore(
  value: unknown,
  found: ReadonlyMap<string, { start: number; end: number }>,
  body: Buffer,
): unknown {
  if (typeof value === 'string') {
    const f = found.get(value);
    return f === undefined ? value : (JSON.parse(body.toString('utf8', f.start, f.end)) as unknown);
  }
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const v = restore(value[k], found, body);
      if (v === undefined && value[k] !== undefined) return undefined;
      value[k] = v;
    }
    return value;
  }
  if (!isRecord(value)) return value;
  for (const key of Object.keys(value)) {
    if (found.has(key)) return undefined;
    const v = restore(value[key], found, body);
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
 * Calls `onString(start, end, text)` for every string value of the JSON bytes
 * (start at its opening quote, end after its closing one), with its content
 * split into lines. `ascii`: every byte of `b` is below 128. False when the
 * bytes end inside a string or an escape is malformed (the caller then lets
 * JSON.parse report it).
 */
function scanStrings(
  b: Buffer,
  ascii: boolean,
  onString: (start: number, end: number, text: SplitText) => void,
): boolean {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const q = b.indexOf(QUOTE, i);
    if (q < 0) return true;
    const s = readString(b, q + 1, ascii);
    if (s === undefined) return false;
    onString(q, s.end, s.text);
    i = s.end;
  }
  return true;
}

/**
 * The string whose content starts at `from`: its lines and the index after its
 * closing quote. A line of ASCII bytes without escapes stays in `b` (ByteLines);
 * others are decoded. (The bytes of a multi-byte UTF-8 character are all 128 or
 * more: a quote or backslash byte is always that character.)
 */
function readString(b: Buffer, from: number, ascii: boolean): { text: SplitText; end: number } | undefined {
  let starts = new Int32Array(16);
  let ends = new Int32Array(16);
  const strings = new Map<number, string>();
  let count = 0;
  /** The text's length in UTF-16 code units, line ends included. */
  let length = 0;
  /** Start of the current line's unescaped run, and what came before it in this line. */
  let run = from;
  let head = '';
  let quote = b.indexOf(QUOTE, from);
  let slash = b.indexOf(BACKSLASH, from);
  const endLine = (at: number, next: number, breakLength: number): void => {
    if (count === starts.length) {
      starts = grown(starts);
      ends = grown(ends);
    }
    if (head === '' && (ascii || isAscii(b.subarray(run, at)))) {
      starts[count] = run;
      ends[count] = at;
      length += at - run;
    } else {
      const line = head + b.toString('utf8', run, at);
      starts[count] = -1;
      ends[count] = -1;
      strings.set(count, line);
      length += line.length;
    }
    count++;
    length += breakLength;
    head = '';
    run = next;
  };
  for (;;) {
    if (quote < 0) return undefined;
    if (slash < 0 || quote < slash) {
      endLine(quote, quote + 1, 0);
      const lines = new ByteLines(b, starts.slice(0, count), ends.slice(0, count), strings);
      return { text: { lines, length }, end: quote + 1 };
    }
    const c = b[slash + 1];
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
        const hex = b.toString('latin1', slash + 2, slash + 6);
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
      if (startsWith(b, next, '\\n') || startsWith(b, next, '\\u000a') || startsWith(b, next, '\\u000A')) {
        const after = b[next + 1] === 110 ? next + 2 : next + 6;
        endLine(slash, after, 2);
        next = after;
      } else endLine(slash, next, 1);
    } else {
      head += b.toString('utf8', run, slash) + String.fromCharCode(unit);
      run = next;
    }
    if (quote < next) quote = b.indexOf(QUOTE, next);
    slash = b.indexOf(BACKSLASH, next);
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const g = new Int32Array(2 * a.length);
  g.set(a);
  return g;
}

/** Split texts waiting for their handler (for tests). */
export function pendingTexts(): number {
  return decoded.size;
}
