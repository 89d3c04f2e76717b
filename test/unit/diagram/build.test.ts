import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagramModel } from '../../../server/src/analysis/diagram/build';
import { arrowLabel, bandLabel, formatTime } from '../../../server/src/analysis/diagram/format';
import { layoutDiagram } from '../../../server/src/analysis/diagram/layout';
import { DEFAULT_VIEW } from '../../../server/src/analysis/diagram/model';
import { handshakeDataTeardown, LOOPBACK, makeResult } from './traceBuilder';

describe('diagram model builder', () => {
  test('one arrow per segment with flags, relative numbers and both states', () => {
    const model = buildDiagramModel(
      makeResult([LOOPBACK], handshakeDataTeardown(2)),
      'file:///t.tcptrace',
      7,
    );
    assert.equal(model.version, 7);
    assert.equal(model.arrows.length, 8);
    assert.deepEqual(
      model.arrows.map((a) => [arrowLabel(a, false), a.clientState, a.serverState]),
      [
        ['SYN seq 0 len 0', 'SYN_SENT', 'SYN_RECV'],
        ['SYN ACK seq 0 ack 1 len 0', 'ESTABLISHED', 'SYN_RECV'],
        ['ACK seq 1 ack 1 len 0', 'ESTABLISHED', 'ESTABLISHED'],
        ['PSH ACK seq 1:101 ack 1 len 100', 'ESTABLISHED', 'ESTABLISHED'],
        ['PSH ACK seq 101:201 ack 1 len 100', 'ESTABLISHED', 'ESTABLISHED'],
        ['FIN ACK seq 201 ack 1 len 0', 'FIN_WAIT_1', 'CLOSE_WAIT'],
        ['FIN ACK seq 1 ack 202 len 0', 'TIME_WAIT', 'LAST_ACK'],
        ['ACK seq 202 ack 2 len 0', 'TIME_WAIT', 'CLOSED'],
      ],
    );
    assert.equal(arrowLabel(model.arrows[1]!, true), 'SYN ACK seq 5000 ack 1001 len 0');
    assert.deepEqual(model.connections[0]!.arrows, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(model.connections[0]!.client, '127.0.0.1:40000');
  });

  test('findings land on their arrow with the worst severity', () => {
    const specs = handshakeDataTeardown(1);
    specs[3] = {
      ...specs[3]!,
      codes: ['retransmission'],
      finding: { severity: 'warning', code: 'retransmission', message: 'Retransmission of 1:101' },
    };
    const model = buildDiagramModel(makeResult([LOOPBACK], specs), 'u', 1);
    assert.equal(model.arrows[3]!.severity, 'warning');
    assert.equal(model.arrows[3]!.retransmission, true);
    assert.equal(model.arrows[3]!.findings[0]!.message, 'Retransmission of 1:101');
    assert.equal(model.arrows[2]!.severity, null);
  });

  test('relative time from the first segment, absolute as time of day', () => {
    const model = buildDiagramModel(
      makeResult([LOOPBACK], handshakeDataTeardown(0, LOOPBACK, 0, 3723.5)),
      'u',
      1,
    );
    assert.equal(model.timeBase, 'time-of-day');
    assert.equal(formatTime(model, model.arrows[1]!.time, false), '+0.000100');
    assert.equal(formatTime(model, model.arrows[0]!.time, true), '01:02:03.500000');
  });
});

describe('diagram layout', () => {
  test('a long run of data segments collapses into one band, expandable', () => {
    const specs = handshakeDataTeardown(20);
    specs[10] = { ...specs[10]!, codes: ['retransmission'] };
    const model = buildDiagramModel(makeResult([LOOPBACK], specs), 'u', 1);
    const layout = layoutDiagram(model, DEFAULT_VIEW);
    const kinds = layout.rows.map((r) => r.kind);
    const band = layout.rows.find((r) => r.kind === 'band');
    assert.ok(band && band.kind === 'band');
    assert.equal(band.summary.segments, 20);
    assert.equal(band.summary.bytes, 2000);
    assert.equal(band.summary.retransmissions, 1);
    assert.equal(bandLabel(band.summary), '20 data segments, 2.0 kB, 1 retransmission');
    assert.deepEqual(kinds, ['arrow', 'arrow', 'arrow', 'band', 'arrow', 'arrow', 'arrow']);
    const open = layoutDiagram(model, { ...DEFAULT_VIEW, expanded: [band.id] });
    assert.equal(open.rows.length, 7 + 20);
    assert.ok(open.height > layout.height);
  });

  test('state labels only where a state changes', () => {
    const model = buildDiagramModel(makeResult([LOOPBACK], handshakeDataTeardown(2)), 'u', 1);
    const layout = layoutDiagram(model, DEFAULT_VIEW);
    const labels = layout.rows.map((r) =>
      r.kind === 'arrow' ? [r.clientStateLabel, r.serverStateLabel] : null,
    );
    assert.deepEqual(labels, [
      ['SYN_SENT', 'SYN_RECV'],
      ['ESTABLISHED', null],
      [null, 'ESTABLISHED'],
      [null, null],
      [null, null],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      [null, 'CLOSED'],
    ]);
    assert.deepEqual(
      layout.phases.map((p) => p.phase),
      ['handshake', 'data', 'teardown'],
    );
  });

  test('"all" view: one lane pair per connection, rows in trace order', () => {
    const second = { ...LOOPBACK, client: { host: '10.0.0.2', port: 5555 } };
    const specs = [...handshakeDataTeardown(1, LOOPBACK, 0, 1), ...handshakeDataTeardown(1, second, 1, 2)];
    const model = buildDiagramModel(makeResult([LOOPBACK, second], specs), 'u', 1);
    const all = layoutDiagram(model, { ...DEFAULT_VIEW, connection: 'all' });
    assert.equal(all.lanes.length, 2);
    assert.equal(all.rows.length, 14);
    const lanesOfRows = all.rows.map((r) => (r.kind === 'arrow' ? r.lane : -1));
    assert.deepEqual(lanesOfRows, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    const one = layoutDiagram(model, { ...DEFAULT_VIEW, connection: 1 });
    assert.equal(one.rows.length, 7);
    assert.equal(one.rowOfArrow[0], -1);
    assert.equal(one.rowOfArrow[7], 0);
  });
});
