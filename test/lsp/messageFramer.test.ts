// The framing of JSON-RPC messages read from a pipe into one reused buffer:
// the bodies must come out whole and in order however the bytes are cut.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MessageFramer } from '../../server/src/documents/messageFramer';

function framed(body: string, extraHeader = ''): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([
    Buffer.from(`Content-Length: ${bytes.length}\r\n${extraHeader}\r\n`, 'ascii'),
    bytes,
  ]);
}

/** What the framer gives for `stream` fed in pieces that end at `cuts`, through one reused buffer. */
function frame(stream: Buffer, cuts: readonly number[]): { bodies: string[]; errors: string[] } {
  const bodies: string[] = [];
  const errors: string[] = [];
  const framer = new MessageFramer({
    body: (b) => bodies.push(b.toString('utf8')),
    error: (e) => errors.push(e.message),
  });
  const reused = Buffer.alloc(stream.length);
  let at = 0;
  for (const end of [...cuts, stream.length]) {
    const n = stream.copy(reused, 0, at, end);
    framer.take(reused, n);
    // The caller overwrites its buffer once take() returns.
    reused.fill(0x2a);
    at = end;
  }
  return { bodies, errors };
}

const bodyText = fc.string({
  unit: fc.constantFrom('a', '{', '"', '\r', '\n', 'é', '😀', ':'),
  maxLength: 40,
});

describe('message framing', () => {
  test('bodies come out whole and in order wherever the pieces end', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            bodyText,
            fc.constantFrom('', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'),
          ),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        (messages, cutSeeds) => {
          const stream = Buffer.concat(messages.map(([body, header]) => framed(body, header)));
          const cuts = [...new Set(cutSeeds.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          assert.deepEqual(frame(stream, cuts), { bodies: messages.map(([body]) => body), errors: [] });
        },
      ),
    );
  });

  test('one byte at a time, and long headers', () => {
    const long = `X-Padding: ${'p'.repeat(700)}\r\n`;
    const stream = Buffer.concat([framed('{"a":1}', long), framed(''), framed('{"b":"→"}')]);
    const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(frame(stream, cuts), { bodies: ['{"a":1}', '', '{"b":"→"}'], errors: [] });
  });

  test('header names in any case; a header without a usable length is reported and skipped', () => {
    const stream = Buffer.concat([
      Buffer.from('content-LENGTH: 2\r\n\r\n{}', 'ascii'),
      Buffer.from('Content-Type: x\r\n\r\n', 'ascii'),
      Buffer.from('Content-Length: many\r\n\r\n', 'ascii'),
      Buffer.from('no colon\r\n\r\n', 'ascii'),
      framed('[1]'),
    ]);
    const { bodies, errors } = frame(stream, [5, 30]);
    assert.deepEqual(bodies, ['{}', '[1]']);
    assert.equal(errors.length, 3);
    assert.match(errors[0]!, /must provide a Content-Length/);
    assert.match(errors[1]!, /must be a number/);
    assert.match(errors[2]!, /separate key and value/);
  });
});
