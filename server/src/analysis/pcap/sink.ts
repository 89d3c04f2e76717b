// The rendering is written as bytes into one growing buffer, not built from
// strings: a million lines of small string pieces cost more in garbage
// collection than the decoding itself. Everything tcpdump prints here is
// ASCII (interface names are UTF-8 encoded), so the text is one decode away.

/** 10^i for i = 0..10. */
const POWERS = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000];

export class TextSink {
  private buf: Uint8Array;
  length = 0;

  /** `capacity`: the bytes to start with (it grows as needed). */
  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(c: number): void {
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = c;
  }

  str(s: string): void {
    const n = s.length;
    if (this.length + n * 3 > this.buf.length) this.grow(n * 3);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) buf[at++] = c;
      else {
        const bytes = new TextEncoder().encode(s.slice(i, i + 1));
        for (const x of bytes) buf[at++] = x;
      }
    }
    this.length = at;
  }

  /** A non-negative integer in decimal. */
  num(n: number): void {
    if (this.length + 22 > this.buf.length) this.grow(22);
    const buf = this.buf;
    if (n < 10) {
      buf[this.length++] = 48 + n;
      return;
    }
    if (n > 0x7fffffff) {
      // Above 31 bits: peel the low digits with floating-point division first.
      const high = Math.floor(n / 100000);
      this.num(high);
      this.padded(n - high * 100000, 5);
      return;
    }
    let digits = 2;
    while (digits < 10 && n >= POWERS[digits]) digits++;
    let at = this.length + digits;
    this.length = at;
    let x = n;
    while (x >= 10) {
      const q = (x / 10) | 0;
      buf[--at] = 48 + x - q * 10;
      x = q;
    }
    buf[--at] = 48 + x;
  }

  /** A number with leading zeros to `width` digits. */
  padded(n: number, width: number): void {
    if (this.length + width + 22 > this.buf.length) this.grow(width + 22);
    for (let i = width - 1; i >= 1 && n < POWERS[i]; i--) this.buf[this.length++] = 48;
    this.num(n);
  }

  /** Dotted-quad IPv4 address from 4 bytes. */
  ipv4(b: Uint8Array, o: number): void {
    this.num(b[o]);
    this.byte(46);
    this.num(b[o + 1]);
    this.byte(46);
    this.num(b[o + 2]);
    this.byte(46);
    this.num(b[o + 3]);
  }

  /** The bytes written so far (a view; valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
