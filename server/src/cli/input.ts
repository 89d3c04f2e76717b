// Loads the input: a file read in one go (a big text trace, or any capture
// file, in pieces when the caller can take them), or standard input streamed
// in chunks, then tells a capture file (by its magic number) from a text trace.
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/** An input problem the user must fix (exit code 2). */
export class InputError extends Error {}

export type InputKind = 'text' | 'pcap' | 'pcapng';

export interface LoadedInput {
  /** The path as given, or null for standard input. */
  readonly path: string | null;
  readonly kind: InputKind;
  /** Size in bytes. */
  readonly size: number;
  /** The decoded text (text inputs only). */
  readonly text?: string;
  /** The raw bytes (capture inputs only). */
  readonly bytes?: Uint8Array;
  /**
   * Instead of `text`: the text read piece by piece when it is iterated (a big
   * file never held whole; a line may straddle two pieces). It can be iterated
   * more than once. See TextPiece.
   */
  readonly pieces?: Iterable<TextPiece>;
  /**
   * Instead of `bytes` (capture files): opens the file to be read in pieces,
   * so that it is never in memory whole. The caller closes it.
   */
  readonly openCapture?: () => CaptureFile;
  /**
   * Instead of `text` (standard input taken in pieces): the text decoded as it
   * arrives, for a caller that analyses as it reads. It can be iterated once;
   * `size` is then only the bytes read before it was returned.
   */
  readonly streamed?: AsyncIterable<string>;
}

/**
 * A piece of a text read in pieces: decoded text, or bytes that are all ASCII
 * (the bytes of their characters, for TraceParser.pushBytes), valid only until
 * the next piece is asked for (the buffer is reused).
 */
export type TextPiece = string | Uint8Array;

/** A capture file open for sequential reads. */
export interface CaptureFile {
  /** Fills `into` from its start; the bytes read, 0 at the end of the file. */
  readonly read: (into: Uint8Array) => number;
  close(): void;
}

/** Identifies a capture file by its first four bytes (either byte order). */
export function sniffCapture(bytes: Uint8Array): 'pcap' | 'pcapng' | null {
  if (bytes.length < 4) return null;
  const b = (i: number): number => bytes[i];
  if (b(0) === 0x0a && b(1) === 0x0d && b(2) === 0x0d && b(3) === 0x0a) return 'pcapng';
  const le = ((b(3) << 24) | (b(2) << 16) | (b(1) << 8) | b(0)) >>> 0;
  const be = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  // microsecond, nanosecond and Kuznetzov's modified pcap.
  const magics = [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34];
  if (magics.includes(le) || magics.includes(be)) return 'pcap';
  return null;
}

/** A NUL byte in the first 4 KiB: binary, and not a capture we know. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * Text with a byte-order mark: UTF-16 is what PowerShell's `>` writes, so a
 * trace saved on Windows is UTF-16LE; the UTF-8 BOM is dropped too.
 */
function decodeWithBom(bytes: Buffer): string | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    return swapped.swap16().toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return bytes.subarray(3).toString('utf8');
  return null;
}

function classify(path: string | null, bytes: Buffer): LoadedInput {
  const capture = sniffCapture(bytes);
  if (capture) return { path, kind: capture, size: bytes.length, bytes };
  const bom = decodeWithBom(bytes);
  if (bom !== null) return { path, kind: 'text', size: bytes.length, text: bom };
  if (looksBinary(bytes))
    throw new InputError(
      `${path ?? 'standard input'}: binary data that is neither a text trace nor a pcap/pcapng capture`,
    );
  return { path, kind: 'text', size: bytes.length, text: bytes.toString('utf8') };
}

function describe(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file`;
    case 'EISDIR':
      return `${path}: is a directory, not a trace file`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    default:
      return `${path}: cannot read (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Files at least this big are read in pieces when the caller can take them. */
export const STREAM_MIN_BYTES = 16 * 1024 * 1024;
// Under 0xFBEE9 bytes: Node makes a longer string from a Buffer an external one, kept
// outside the V8 heap until a full garbage collection (1 MiB pieces decoded as Latin-1
// raised the peak RSS of a 1M-line summary by ~20 MB). ASCII pieces are no longer
// decoded, but the pieces after the first non-ASCII one still are. 64 KiB: the piece
// is still in the core's cache (L2) when the parser reads it; reading the 156 MB bench
// trace in 960 KiB pieces took 2-3x longer (0.2 s against 0.08 s).
export const PIECE_BYTES = 64 * 1024;
const LF = 10;

/**
 * Reads a file. With `pieces`, a big plain text trace (no capture magic, no
 * byte-order mark, not binary) comes back as `pieces` instead of `text`.
 */
export function loadFile(path: string, options: { readonly pieces?: boolean } = {}): LoadedInput {
  const capture = openCaptureFile(path);
  if (capture !== null) return capture;
  if (options.pieces === true) {
    const streamed = openTextPieces(path);
    if (streamed !== null) return streamed;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    throw new InputError(describe(err, path));
  }
  return classify(path, bytes);
}

/** A capture file (by its magic number) to be read in pieces; null for anything else. */
function openCaptureFile(path: string): LoadedInput | null {
  let size: number;
  const head = Buffer.alloc(4);
  let headBytes: number;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      size = fs.fstatSync(fd).size;
      headBytes = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null; // loadFile's whole read reports the problem
  }
  const kind = sniffCapture(head.subarray(0, headBytes));
  if (kind === null) return null;
  return { path, kind, size, openCapture: () => captureReader(path) };
}

function captureReader(path: string): CaptureFile {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new InputError(describe(err, path));
  }
  return {
    read(into) {
      try {
        return fs.readSync(fd, into, 0, into.length, null);
      } catch (err) {
        throw new InputError(describe(err, path));
      }
    },
    close() {
      fs.closeSync(fd);
    },
  };
}

/** A big plain text file as pieces; null when it must be read whole (small, capture, BOM, binary). */
function openTextPieces(path: string): LoadedInput | null {
  let size: number;
  const head = Buffer.alloc(4096);
  let headBytes: number;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      size = fs.fstatSync(fd).size;
      headBytes = size >= STREAM_MIN_BYTES ? fs.readSync(fd, head, 0, head.length, 0) : 0;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null; // loadFile's whole read reports the problem
  }
  if (size < STREAM_MIN_BYTES) return null;
  const start = head.subarray(0, headBytes);
  if (sniffCapture(start) !== null || decodeWithBom(start) !== null || looksBinary(start)) return null;
  // Each iteration reads the file again from the start.
  return { path, kind: 'text', size, pieces: { [Symbol.iterator]: () => readPieces(path) } };
}

/**
 * The file in pieces of about PIECE_BYTES: ASCII ones as bytes, the others decoded
 * as UTF-8 (a character is never split). An ASCII piece ends at a line break (the
 * unfinished line is kept for the next one) unless it holds none.
 */
function* readPieces(path: string): Generator<TextPiece> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new InputError(describe(err, path));
  }
  try {
    const buf = Buffer.allocUnsafe(PIECE_BYTES);
    const decoder = new StringDecoder('utf8');
    // While every piece is ASCII, it is handed on as its bytes: the parser reads them
    // where they are, and no string is made (nor the UTF-8 decoder's work done). The
    // first other piece hands over to the decoder for good (it then starts at a
    // character boundary: the piece before was ASCII).
    let ascii = true;
    // Bytes at the start of buf that the last piece left: an unfinished line (ASCII).
    let kept = 0;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, kept, buf.length - kept, null);
      } catch (err) {
        throw new InputError(describe(err, path));
      }
      if (n === 0) break;
      const filled = kept + n;
      kept = 0;
      const bytes = buf.subarray(0, filled);
      if (ascii && isAscii(bytes)) {
        // Whole lines only: a line cut between two pieces is one the parser must carry
        // over and read the slow way (one a piece, ~2,400 in a 156 MB trace).
        // (A tail longer than half the buffer, a very long line, goes as it is.)
        const last = buf.lastIndexOf(LF, filled - 1);
        const tail = filled - last - 1;
        if (last < 0 || tail === 0 || 2 * tail > buf.length) yield bytes;
        else {
          yield buf.subarray(0, last + 1);
          // The caller is done with that piece once it asks for the next.
          buf.copyWithin(0, last + 1, filled);
          kept = tail;
        }
      } else {
        ascii = false;
        yield decoder.write(bytes);
      }
    }
    if (kept > 0) yield buf.subarray(0, kept);
    const rest = decoder.end();
    if (rest !== '') yield rest;
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes of standard input looked at before it is streamed: enough to tell a capture, a BOM or binary data. */
const STREAM_HEAD_BYTES = 4096;

/**
 * Reads a stream in chunks, reporting the bytes read so far. Read to its end by
 * default; with `pieces`, a plain text trace (no capture magic, no byte-order
 * mark, not binary in its first 4 KiB) comes back as `streamed` once its head
 * is read, so that a trace piped in is never held whole.
 */
export async function loadStream(
  stream: Readable,
  onBytes?: (bytes: number) => void,
  options: { readonly pieces?: boolean } = {},
): Promise<LoadedInput> {
  const chunks: Buffer[] = [];
  let total = 0;
  const source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const next = async (): Promise<Buffer | null> => {
    let r: IteratorResult<Buffer | string>;
    try {
      r = await source.next();
    } catch (err) {
      throw new InputError(
        `standard input: cannot read (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    if (r.done === true) return null;
    const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    total += buf.length;
    onBytes?.(total);
    return buf;
  };
  let decided = options.pieces !== true;
  for (let chunk = await next(); chunk !== null; chunk = await next()) {
    chunks.push(chunk);
    if (!decided && total >= STREAM_HEAD_BYTES) {
      decided = true;
      const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
      const start = head.subarray(0, STREAM_HEAD_BYTES);
      if (sniffCapture(start) === null && decodeWithBom(start) === null && !looksBinary(start))
        return { path: null, kind: 'text', size: total, streamed: decodeRest(head, next) };
    }
  }
  return classify(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
}

/** The head already read, then every later chunk, decoded as UTF-8 (a character is never split). */
async function* decodeRest(head: Buffer, next: () => Promise<Buffer | null>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  yield decoder.write(head);
  for (let chunk = await next(); chunk !== null; chunk = await next()) yield decoder.write(chunk);
  const rest = decoder.end();
  if (rest !== '') yield rest;
}
