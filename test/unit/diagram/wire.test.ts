import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagramModel } from '../../../server/src/analysis/diagram/build';
import { decodeDiagramModel, encodeDiagramModel } from '../../../server/src/analysis/diagram/wire';
import { handshakeDataTeardown, LOOPBACK, makeResult } from './traceBuilder';

test('the columnar wire form decodes to the same model, through JSON', () => {
  const specs = handshakeDataTeardown(12, LOOPBACK, 0, 1_700_000_000.123456);
  specs[5] = {
    ...specs[5]!,
    codes: ['retransmission'],
    finding: { severity: 'warning', code: 'retransmission', message: 'Retransmission' },
  };
  const model = buildDiagramModel(makeResult([LOOPBACK], specs), 'file:///a.tcptrace', 3);
  const wire = JSON.parse(JSON.stringify(encodeDiagramModel(model))) as ReturnType<typeof encodeDiagramModel>;
  const back = decodeDiagramModel(wire);
  assert.equal(back.timeBase, 'epoch');
  assert.deepEqual(
    back.arrows.map((a) => ({ ...a, time: Math.round((a.time ?? 0) * 1e6) })),
    model.arrows.map((a) => ({ ...a, time: Math.round((a.time ?? 0) * 1e6) })),
  );
  assert.deepEqual(back.connections, model.connections);
});
