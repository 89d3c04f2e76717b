import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { PassThrough } from 'node:stream';
import {
  loadFile,
  loadStream,
  PIECE_BYTES,
  sniffCapture,
  STREAM_MIN_BYTES,
  type TextPiece,
} from '../../../server/src/cli/input';
import { capturesDir } from './support';

describe('cli input sniffing', () => {
  test('real pcap files (tcpdump -w) are pcap', () => {
    for (const scenario of ['close-client', 'any-interface']) {
      const file = path.join(capturesDir, scenario, 'capture.pcap');
      if (fs.existsSync(file)) assert.equal(sniffCapture(fs.readFileSync(file)), 'pcap', scenario);
    }
  });

  test('every byte order and timestamp resolution of pcap, and pcapng', () => {
    const cases: [number[], string | null][] = [
      [[0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
      [[0xa1, 0xb2, 0xc3, 0xd4], 'pcap'],
      [[0x4d, 0x3c, 0xb2, 0xa1], 'pcap'],
      [[0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
      [[0x34, 0xcd, 0xb2, 0xa1], 'pcap'],
      [[0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
      [[0x30, 0x38, 0x3a, 0x34], null], // "08:4" — a tcpdump line
      [[0xd4, 0xc3], null],
    ];
    for (const [bytes, kind] of cases)
      assert.equal(sniffCapture(Uint8Array.from(bytes)), kind, bytes.join(','));
  });
});

describe('cli input in pieces', () => {
  test('a capture file is opened to be read in pieces, not loaded whole', () => {
    const file = path.join(capturesDir, 'loss-sack', 'capture.pcap');
    const loaded = loadFile(file);
    assert.equal(loaded.kind, 'pcap');
    assert.equal(loaded.bytes, undefined);
    assert.equal(loaded.size, fs.statSync(file).size);
    const capture = loaded.openCapture?.();
    assert.ok(capture !== undefined);
    const parts: Buffer[] = [];
    try {
      const into = new Uint8Array(1000);
      for (let n = capture.read(into); n > 0; n = capture.read(into))
        parts.push(Buffer.from(into.subarray(0, n)));
    } finally {
      capture.close();
    }
    assert.ok(parts.length > 1);
    assert.deepEqual(Buffer.concat(parts), fs.readFileSync(file));
  });

  test('a big text file comes back in pieces that join to its UTF-8 text, characters split across reads intact', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-pieces-'));
    try {
      // Two-, three- and four-byte characters at every offset around the 1 MiB read boundaries.
      const line = '# ü € 𝄞 comment that is not a packet\n';
      const parts: string[] = [];
      let bytes = 0;
      for (let i = 0; bytes < STREAM_MIN_BYTES + 4096; i++) {
        const part = line.repeat(1000) + 'x'.repeat(i % 7);
        parts.push(part);
        bytes += Buffer.byteLength(part);
      }
      const text = parts.join('');
      const file = path.join(dir, 'big.tcptrace');
      fs.writeFileSync(file, text);
      const streamed = loadFile(file, { pieces: true });
      assert.equal(streamed.kind, 'text');
      assert.equal(streamed.text, undefined);
      assert.ok(streamed.pieces !== undefined);
      const kinds: string[] = [];
      assert.equal(joinPieces(streamed.pieces, kinds), text);
      assert.ok(kinds.length > 16, `${kinds.length} pieces`);
      // Without the option, or for a small file, the text comes whole.
      assert.equal(loadFile(file).text, text);
      const small = path.join(dir, 'small.tcptrace');
      fs.writeFileSync(small, line);
      assert.deepEqual(loadFile(small, { pieces: true }).text, line);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('standard input in pieces: a text trace is handed on after its head, before the stream ends', async () => {
    const stream = new PassThrough();
    // Multi-byte characters split across the writes.
    const bytes = Buffer.from('# ü € 𝄞 a comment\n'.repeat(400));
    const cut = 4100;
    stream.write(bytes.subarray(0, 5));
    stream.write(bytes.subarray(5, cut));
    let reported = 0;
    // Resolves while the stream is still open: nothing after `cut` is written yet.
    const input = await loadStream(stream, (n) => (reported = n), { pieces: true });
    assert.equal(input.kind, 'text');
    assert.equal(input.text, undefined);
    assert.ok(input.streamed !== undefined);
    assert.equal(reported, cut);
    const text: string[] = [];
    const reading = (async () => {
      for await (const piece of input.streamed ?? []) text.push(piece);
    })();
    for (let at = cut; at < bytes.length; at += 333)
      stream.write(bytes.subarray(at, Math.min(bytes.length, at + 333)));
    stream.end();
    await reading;
    assert.equal(text.join(''), bytes.toString('utf8'));
    assert.equal(reported, bytes.length);
  });

  test('standard input in pieces: captures, byte-order marks, binary data and short inputs are still read whole', async () => {
    const pcap = fs.readFileSync(path.join(capturesDir, 'half-close', 'capture.pcap'));
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('# trace\n'.repeat(1000), 'utf16le'),
    ]);
    const binary = Buffer.concat([Buffer.from('abc\0'), Buffer.alloc(8000, 0x41)]);
    const short = Buffer.from('# a short trace\n');
    const whole = async (b: Buffer) => {
      const stream = new PassThrough();
      stream.end(b);
      return loadStream(stream, undefined, { pieces: true });
    };
    const fromPcap = await whole(pcap);
    assert.equal(fromPcap.kind, 'pcap');
    assert.deepEqual(Buffer.from(fromPcap.bytes ?? []), pcap);
    const fromUtf16 = await whole(utf16);
    assert.equal(fromUtf16.text, '# trace\n'.repeat(1000));
    assert.equal(fromUtf16.streamed, undefined);
    await assert.rejects(whole(binary), /neither a text trace nor a pcap/);
    const fromShort = await whole(short);
    assert.equal(fromShort.text, short.toString());
    assert.equal(fromShort.streamed, undefined);
  });

  test('a big ASCII text file comes in pieces that end at line breaks, but for a line longer than half a piece', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-pieces-'));
    try {
      // Lines of every length from 1 to 300 bytes, so the reads end at every offset of a
      // line; one line of 3 pieces' length in the middle, and no final line break.
      const lines: string[] = [];
      let bytes = 0;
      for (let i = 0; bytes < STREAM_MIN_BYTES + 4096; i++) {
        const own = i === 20000 ? 'y'.repeat(3 * PIECE_BYTES) : `${i} ${'x'.repeat(i % 300)}`;
        lines.push(own);
        bytes += own.length + 1;
      }
      const text = `${lines.join('\n')}\nlast line`;
      const file = path.join(dir, 'big.tcptrace');
      fs.writeFileSync(file, text);
      const streamed = loadFile(file, { pieces: true });
      assert.ok(streamed.pieces !== undefined);
      const kinds: string[] = [];
      const ends: string[] = [];
      assert.equal(joinPieces(streamed.pieces, kinds, ends), text);
      assert.ok(kinds.every((k) => k === 'bytes'));
      // Only the long line's pieces and the last one end elsewhere.
      const elsewhere = ends.filter((c) => c !== '\n').length;
      assert.ok(elsewhere >= 2 && elsewhere <= 5, `${elsewhere} of ${ends.length} pieces`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a big text file that is ASCII for many pieces, then not, joins to its UTF-8 text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-pieces-'));
    try {
      // ASCII pieces are decoded apart from the UTF-8 decoder: the hand-over must lose nothing,
      // wherever the first non-ASCII character falls (here across read boundaries too).
      const ascii = '12:00:00.000001 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0\n';
      for (const shift of [0, 1, 2, 3]) {
        let text = ascii.repeat(Math.ceil((STREAM_MIN_BYTES + 3 * 1048576) / ascii.length));
        text = text.slice(0, 5 * PIECE_BYTES - 2 + shift) + '€ é 𝄞\n' + text + '# ü\n';
        const file = path.join(dir, `mixed-${shift}.tcptrace`);
        fs.writeFileSync(file, text);
        const streamed = loadFile(file, { pieces: true });
        assert.ok(streamed.pieces !== undefined);
        const kinds: string[] = [];
        const ends: string[] = [];
        assert.equal(joinPieces(streamed.pieces, kinds, ends), text, `shift ${shift}`);
        // The ASCII pieces come as their bytes, each ending at a line break (the parser then
        // carries no line across them), then the decoder takes over for good.
        const firstText = kinds.indexOf('text');
        assert.ok(firstText >= 4 && firstText <= 5, `shift ${shift}: ${kinds.join(' ')}`);
        assert.ok(kinds.slice(0, firstText).every((k) => k === 'bytes'));
        assert.ok(kinds.slice(firstText).every((k) => k === 'text'));
        assert.ok(
          ends.slice(0, firstText).every((c) => c === '\n'),
          `shift ${shift}`,
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The text of pieces read in turn (a byte piece is only valid until the next one
 * is asked for), the kind of each piece in `kinds` and its last character in `ends`.
 */
function joinPieces(pieces: Iterable<TextPiece>, kinds: string[], ends: string[] = []): string {
  let text = '';
  for (const piece of pieces) {
    kinds.push(typeof piece === 'string' ? 'text' : 'bytes');
    const own = typeof piece === 'string' ? piece : Buffer.from(piece).toString('latin1');
    ends.push(own.slice(-1));
    text += own;
  }
  return text;
}
