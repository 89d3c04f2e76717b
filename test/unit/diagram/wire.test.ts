import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagramModel } from '../../../server/src/analysis/diagram/build';
import {
  buildDiagramWire,
  decodeDiagramModel,
  encodeDiagramModel,
  plainArrow,
  type DiagramWire,
} from '../../../server/src/analysis/diagram/wire';
import { layoutDiagram } from '../../../server/src/analysis/diagram/layout';
import { DEFAULT_VIEW } from '../../../server/src/analysis/diagram/model';
import { handshakeDataTeardown, LOOPBACK, makeResult } from './traceBuilder';

test('the columnar wire form decodes to the same model, through JSON', () => {
  const specs = handshakeDataTeardown(12, LOOPBACK, 0, 1_700_000_000.123456);
  specs[5] = {
    ...specs[5]!,
    codes: ['retransmission'],
    finding: { severity: 'warning', code: 'retransmission', message: 'Retransmission' },
  };
  const built = buildDiagramModel(makeResult([LOOPBACK], specs), 'file:///a.tcptrace', 3);
  // Numbers without a relative form, an unknown ack and a line without a timestamp.
  const model = {
    ...built,
    arrows: built.arrows.map((a, i) =>
      i === 4 ? { ...a, relSeq: null, relAck: null, ack: null } : i === 6 ? { ...a, time: null } : a,
    ),
  };
  const wire = JSON.parse(JSON.stringify(encodeDiagramModel(model))) as ReturnType<typeof encodeDiagramModel>;
  const back = decodeDiagramModel(wire);
  assert.equal(back.timeBase, 'epoch');
  const micros = (t: number | null): number | null => (t === null ? null : Math.round(t * 1e6));
  assert.deepEqual(
    back.arrows.map((a) => ({ ...plainArrow(a), time: micros(a.time) })),
    model.arrows.map((a) => ({ ...a, time: micros(a.time) })),
  );
  assert.equal(back.arrows[4]!.seq, 1101);
  assert.equal(back.arrows[5]!.seq, 1201);
  assert.deepEqual(back.connections, model.connections);
});

test('a steady transfer packs into a few characters per column, and decodes', () => {
  const specs = handshakeDataTeardown(2_000, LOOPBACK, 0, 1_700_000_000);
  const built = buildDiagramModel(makeResult([LOOPBACK], specs), 'file:///a.tcptrace', 1);
  // Directions alternating on every arrow, as data and its ACKs do.
  const model = {
    ...built,
    arrows: built.arrows.map((a, i) => ({
      ...a,
      direction: i % 2 === 0 ? ('c2s' as const) : ('s2c' as const),
    })),
  };
  const wire = JSON.parse(JSON.stringify(encodeDiagramModel(model))) as ReturnType<typeof encodeDiagramModel>;
  // One connection: its column is one value and one repeat.
  assert.ok(wire.connection.length <= 8, wire.connection);
  // Alternating directions: two values and one repeat of distance 2.
  assert.ok(wire.c2s.length <= 10, wire.c2s);
  assert.ok(JSON.stringify(wire).length < 5_000, `${JSON.stringify(wire).length} characters`);
  // Times travel as integer nanoseconds: compare them to the microsecond.
  const micros = (t: number | null): number | null => (t === null ? null : Math.round(t * 1e6));
  assert.deepEqual(
    decodeDiagramModel(wire).arrows.map((a) => ({ ...plainArrow(a), time: micros(a.time) })),
    model.arrows.map((a) => ({ ...a, time: micros(a.time) })),
  );
});

test('the one-pass wire form of an analysis is the wire form of its model', () => {
  const specs = handshakeDataTeardown(300, LOOPBACK, 0, 1_700_000_000.5);
  specs[40] = {
    ...specs[40]!,
    codes: ['retransmission'],
    finding: { severity: 'warning', code: 'retransmission', message: 'Retransmission' },
  };
  const result = makeResult([LOOPBACK], specs);
  assert.deepEqual(
    buildDiagramWire(result, 'file:///a.tcptrace', 7),
    encodeDiagramModel(buildDiagramModel(result, 'file:///a.tcptrace', 7)),
  );
});

test('a decoded model lays out as the model it came from (bands, states, phases, findings)', () => {
  const specs = handshakeDataTeardown(500, LOOPBACK, 0, 1_700_000_000);
  specs[100] = {
    ...specs[100]!,
    codes: ['retransmission'],
    finding: { severity: 'warning', code: 'retransmission', message: 'Retransmission' },
  };
  specs[300] = {
    ...specs[300]!,
    finding: { severity: 'error', code: 'fin-bad-ack', message: 'An error splits the band' },
  };
  const model = buildDiagramModel(makeResult([LOOPBACK], specs), 'file:///a.tcptrace', 1);
  const decoded = decodeDiagramModel(JSON.parse(JSON.stringify(encodeDiagramModel(model))) as DiagramWire);
  assert.ok(decoded.table, 'decoded models carry their columns');
  const collapsed = layoutDiagram(model, DEFAULT_VIEW);
  assert.ok(collapsed.rows.filter((r) => r.kind === 'band').length >= 2);
  const expanded = {
    ...DEFAULT_VIEW,
    expanded: collapsed.rows.flatMap((r) => (r.kind === 'band' ? [r.id] : [])).slice(0, 1),
  };
  for (const view of [DEFAULT_VIEW, expanded, { ...DEFAULT_VIEW, connection: 'all' as const }])
    assert.deepEqual(layoutDiagram(decoded, view), layoutDiagram(model, view));
});
