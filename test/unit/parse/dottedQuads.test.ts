// The fast reader's dotted-quad endpoints (dottedQuads.ts): a token found by its
// packed characters must be exactly the one the general endpoint reader interns,
// and anything that is not a canonical `a.b.c.d.port` is left to the general reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4End, ipv4EndpointAt } from '../../../server/src/analysis/parse/dottedQuads';
import { endpointAt, endpointAtBytes, endpointNumber } from '../../../server/src/analysis/parse/endpoints';

const encoder = new TextEncoder();

/** ipv4EndpointAt() over `text` placed after a prefix, as in a line. */
function at(text: string): { ep: ReturnType<typeof ipv4EndpointAt>; end: number } {
  const prefix = 'IP ';
  const b = encoder.encode(prefix + text);
  const ep = ipv4EndpointAt(b, prefix.length, b.length);
  return { ep, end: ipv4End - prefix.length };
}

test('canonical tokens give the general reader’s object, first seen and seen again, up to 21 characters', () => {
  for (const token of [
    '10.0.0.1.80',
    '192.168.100.200.65535',
    '255.255.255.255.65535',
    '0.0.0.0.0',
    '1.2.3.4.5',
  ]) {
    for (const follow of [' > ', ': Flags', '']) {
      const first = at(token + follow);
      const again = at(token + follow);
      const general = endpointAt(token, 0, token.length);
      assert.ok(first.ep !== null, token);
      assert.equal(first.ep, general, token);
      assert.equal(again.ep, general, token);
      assert.equal(first.end, token.length);
      assert.equal(again.end, token.length);
    }
  }
});

test('tokens that differ in one character are different endpoints', () => {
  const a = at('10.0.0.1.8080 ').ep;
  const b = at('10.0.0.1.8081 ').ep;
  const c = at('10.0.0.11.808 ').ep;
  assert.ok(a !== null && b !== null && c !== null);
  assert.notEqual(a, b);
  assert.notEqual(a, c);
  assert.deepEqual([a.host, a.port, c.host, c.port], ['10.0.0.1', 8080, '10.0.0.11', 808]);
});

test('what is not a canonical dotted quad and port is left (null), seen before or not', () => {
  at('10.0.0.1.80 '); // the canonical one is in the table
  for (const token of [
    '010.0.0.1.80', // leading zero
    '10.0.0.1.080',
    '256.0.0.1.80', // octet past 255
    '10.0.0.1.65536', // port past 65535
    '10.0.0.1.80.', // trailing dot
    '10.0.0.1.80.7',
    '10.0.0.1', // no port
    '10.0.0.1.',
    '10..0.1.80',
    '.10.0.0.1.80',
    '1000.0.0.1.80',
    '255.255.255.255.655350', // 22 characters
    '255.255.255.255.65535.255.255', // past 24
    '',
    'host.80',
  ])
    assert.equal(at(`${token} > x`).ep, null, token);
});

test('a token gives one object whichever reader meets it first: the general reader, the bytes, or the bytes read generally', () => {
  // This table makes canonical endpoints for both readers: tokens not seen before here.
  const textFirst = endpointAt('10.77.0.1.4242', 0, 14);
  assert.ok(textFirst !== null);
  assert.equal(at('10.77.0.1.4242 > ').ep, textFirst);
  assert.equal(endpointAtBytes(encoder.encode('10.77.0.1.4242'), 0, 14), textFirst);
  const bytesFirst = at('10.77.0.2.4242: ').ep;
  assert.ok(bytesFirst !== null);
  assert.equal(endpointAt('x 10.77.0.2.4242 y', 2, 16), bytesFirst);
  assert.equal(endpointAtBytes(encoder.encode('10.77.0.2.4242'), 0, 14), bytesFirst);
  const generalBytesFirst = endpointAtBytes(encoder.encode('10.77.0.3.4242'), 0, 14);
  assert.ok(generalBytesFirst !== null);
  assert.equal(at('10.77.0.3.4242 ').ep, generalBytesFirst);
  assert.equal(endpointAt('10.77.0.3.4242', 0, 14), generalBytesFirst);
  assert.deepStrictEqual(
    [textFirst, bytesFirst, generalBytesFirst],
    [
      { host: '10.77.0.1', port: 4242 },
      { host: '10.77.0.2', port: 4242 },
      { host: '10.77.0.3', port: 4242 },
    ],
  );
  assert.equal(new Set([textFirst, bytesFirst, generalBytesFirst].map(endpointNumber)).size, 3);
  // Not canonical: the general reader's own objects, the same each time (a leading zero here).
  const odd = endpointAt('10.77.0.04.4242', 0, 15);
  assert.ok(odd !== null);
  assert.equal(at('10.77.0.04.4242 ').ep, null);
  assert.equal(endpointAt('10.77.0.04.4242', 0, 15), odd);
  assert.notEqual(odd, endpointAt('10.77.0.4.4242', 0, 14));
});
