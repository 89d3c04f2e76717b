// Endpoint numbers (endpoints.ts endpointNumber): the normaliser's numbering table
// keys on them in place of the objects, so they must follow object identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointAt, endpointNumber, endpointOf } from '../../../server/src/analysis/parse/endpoints';

test('the same interned endpoint has one number, different endpoints different ones', () => {
  const a = endpointAt('10.9.8.7.1234', 0, 13);
  const b = endpointAt('10.9.8.7.1235', 0, 13);
  const c = endpointOf('fe80::1', 443);
  assert.ok(a !== null && b !== null);
  assert.equal(endpointNumber(a), endpointNumber(endpointAt('10.9.8.7.1234', 0, 13) as typeof a));
  assert.equal(endpointNumber(c), endpointNumber(endpointOf('fe80::1', 443)));
  const numbers = new Set([endpointNumber(a), endpointNumber(b), endpointNumber(c)]);
  assert.equal(numbers.size, 3);
});

test('an endpoint made elsewhere gets a number of its own, kept; the number is invisible to copies and JSON', () => {
  const own = { host: '10.9.8.7', port: 1234 };
  const interned = endpointAt('10.9.8.7.1234', 0, 13);
  assert.ok(interned !== null);
  assert.notEqual(endpointNumber(own), endpointNumber(interned));
  assert.equal(endpointNumber(own), endpointNumber(own));
  assert.deepStrictEqual(interned, own);
  assert.equal(JSON.stringify(interned), JSON.stringify(own));
  assert.deepStrictEqual({ ...interned }, own);
});
