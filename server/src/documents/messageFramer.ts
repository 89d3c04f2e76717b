// The JSON-RPC base protocol's framing (`Content-Length: N` headers, an empty
// line, N bytes of body) over bytes that arrive in pieces of any size: each
// body is copied into a buffer of its own length as the pieces come, so a
// reader can read the pipe into one reused buffer (pipeReader.ts). Headers
// are read as vscode-jsonrpc's MessageBuffer reads them: `Name: value` lines,
// names without regard to case; only Content-Length matters (its reader
// decodes every body as UTF-8 JSON whatever the Content-Type says).

const CR = 13;
const LF = 10;

export interface FramedMessages {
  /** A whole body, in a buffer of its own (the framer keeps no reference to it). */
  body(bytes: Buffer): void;
  /** Headers without a usable Content-Length: the framer waits for the next headers. */
  error(error: Error): void;
}

export class MessageFramer {
  /** The header bytes read so far (headers are short: grown when not). */
  private header = Buffer.allocUnsafe(256);
  private headerLength = 0;
  /** The body being filled, and how many of its bytes are in. */
  private body: Buffer | null = null;
  private filled = 0;

  constructor(private readonly out: FramedMessages) {}

  /** Takes bytes [0, n) of `bytes`, which the caller may overwrite once this returns. */
  take(bytes: Uint8Array, n: number): void {
    let p = 0;
    while (p < n) {
      const body = this.body;
      if (body !== null) {
        const count = Math.min(n - p, body.length - this.filled);
        body.set(bytes.subarray(p, p + count), this.filled);
        this.filled += count;
        p += count;
        if (this.filled === body.length) this.finishBody(body);
        continue;
      }
      p = this.takeHeader(bytes, p, n);
    }
  }

  /** Header bytes from `p` up to the empty line that ends them (or `n`); where the next read starts. */
  private takeHeader(bytes: Uint8Array, p: number, n: number): number {
    while (p < n) {
      const c = bytes[p++]!;
      if (this.headerLength === this.header.length) {
        const grown = Buffer.allocUnsafe(2 * this.header.length);
        this.header.copy(grown);
        this.header = grown;
      }
      this.header[this.headerLength++] = c;
      if (c === LF && this.endsHeaders()) {
        this.startBody(this.header.toString('ascii', 0, this.headerLength - 4));
        this.headerLength = 0;
        return p;
      }
    }
    return p;
  }

  /** The header bytes end with CR LF CR LF. */
  private endsHeaders(): boolean {
    const h = this.header;
    const k = this.headerLength;
    return k >= 4 && h[k - 2] === CR && h[k - 3] === LF && h[k - 4] === CR;
  }

  private startBody(headers: string): void {
    let length: string | undefined;
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) {
        this.out.error(new Error(`Message header must separate key and value using ':'\n${line}`));
        return;
      }
      if (line.slice(0, colon).trim().toLowerCase() === 'content-length')
        length = line.slice(colon + 1).trim();
    }
    if (length === undefined) {
      this.out.error(new Error(`Header must provide a Content-Length property.\n${headers}`));
      return;
    }
    const size = parseInt(length, 10);
    if (isNaN(size) || size < 0) {
      this.out.error(new Error(`Content-Length value must be a number. Got ${length}`));
      return;
    }
    const body = Buffer.allocUnsafe(size);
    if (size === 0) this.finishBody(body);
    else {
      this.body = body;
      this.filled = 0;
    }
  }

  private finishBody(body: Buffer): void {
    this.body = null;
    this.filled = 0;
    this.out.body(body);
  }
}
