// The connection table finds a segment's connection by the values of its endpoints,
// whichever objects carry them, and tells apart ports that are not 16-bit numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoint } from '../../../server/src/analysis';
import { ACK, SYN } from '../../../server/src/analysis';
import { ConnectionTable } from '../../../server/src/analysis/connections';
import { buildSegments } from './builder';

function ep(host: string, port: number): Endpoint {
  return { host, port };
}

function connectionsOf(pairs: readonly (readonly [Endpoint, Endpoint])[]): number[] {
  const table = new ConnectionTable();
  const segs = buildSegments(
    pairs.map(([from, to]) => ({ from, to, flags: ACK, seq: 1, ack: 1, len: 0, win: 100, time: null })),
  );
  return segs.map((s) => table.assign(s).conn.id);
}

test('endpoints with the same host and port are one endpoint, whatever object carries them', () => {
  const ids = connectionsOf([
    [ep('10.0.0.1', 40000), ep('10.0.0.2', 80)],
    [ep('10.0.0.2', 80), ep('10.0.0.1', 40000)],
    [ep('10.0.0.1', 40000), ep('10.0.0.2', 80)],
    [ep('10.0.0.1', 40001), ep('10.0.0.2', 80)],
  ]);
  assert.deepEqual(ids, [0, 0, 0, 1]);
});

test('ports that are not 16-bit numbers stay apart from each other and from 16-bit ones', () => {
  const server = ep('10.0.0.2', 80);
  const ids = connectionsOf([
    [ep('10.0.0.1', 70000), server],
    [ep('10.0.0.1', 70000 - 65536), server],
    [ep('10.0.0.1', 1.5), server],
    [ep('10.0.0.1', 70001), server],
    [server, ep('10.0.0.1', 70000)],
    [ep('10.0.0.1', 1.5), server],
    [ep('10.0.0.1', -1), server],
  ]);
  assert.deepEqual(ids, [0, 1, 2, 3, 0, 2, 4]);
});

test('thousands of 4-tuples each keep their connection (the tables grow)', () => {
  const table = new ConnectionTable();
  const server = ep('192.0.2.1', 443);
  const clients: Endpoint[] = [];
  for (let k = 0; k < 3000; k++) clients.push(ep(`198.51.100.${k % 200}`, 20000 + k));
  const specs = clients.map((c) => ({
    from: c,
    to: server,
    flags: SYN,
    seq: 1000,
    ack: null,
    len: 0,
    win: 100,
    time: null,
  }));
  // The same 4-tuples again, as new endpoint objects and from the server's side.
  const again = clients.map((c) => ({
    from: ep(server.host, server.port),
    to: ep(c.host, c.port),
    flags: ACK,
    seq: 5000,
    ack: 1001,
    len: 0,
    win: 100,
    time: null,
  }));
  const segs = buildSegments([...specs, ...again]);
  const ids = segs.map((s) => table.assign(s).conn.id);
  assert.deepEqual(ids.slice(0, 3000), [...Array(3000).keys()]);
  assert.deepEqual(ids.slice(3000), [...Array(3000).keys()]);
  assert.equal(table.all.length, 3000);
});
