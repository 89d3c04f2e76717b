import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagramModel } from '../../../server/src/analysis/diagram/build';
import { mermaidText, toMermaid } from '../../../server/src/analysis/diagram/mermaid';
import { escapeXml, toSvg } from '../../../server/src/analysis/diagram/svg';
import { DEFAULT_VIEW } from '../../../server/src/analysis/diagram/model';
import { checkMermaidSequence } from './mermaidGrammar';
import { handshakeDataTeardown, LOOPBACK, makeResult } from './traceBuilder';

const EVIL = { host: '<script>alert(1)</script>', port: 80 };

describe('Mermaid export', () => {
  test('a handshake and teardown as messages with state notes', () => {
    const model = buildDiagramModel(makeResult([LOOPBACK], handshakeDataTeardown(1)), 'u', 1);
    const parts = toMermaid(model, model.connections[0]!.arrows);
    assert.equal(parts.length, 1);
    assert.deepEqual(checkMermaidSequence(parts[0]!), []);
    const lines = parts[0]!.split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      'sequenceDiagram',
      '    participant C0 as 127.0.0.1 port 40000',
      '    participant S0 as 127.0.0.1 port 8080',
      '    C0->>S0: SYN seq 0 len 0',
      '    Note over C0: SYN_SENT',
      '    Note over S0: SYN_RECV',
      '    S0->>C0: SYN ACK seq 0 ack 1 len 0',
    ]);
  });

  test('splits into parts Mermaid accepts (500 statements, 50,000 characters)', () => {
    const model = buildDiagramModel(makeResult([LOOPBACK], handshakeDataTeardown(3000)), 'u', 1);
    const parts = toMermaid(model, model.connections[0]!.arrows);
    assert.ok(parts.length >= 7, `${parts.length} parts`);
    for (const part of parts) assert.deepEqual(checkMermaidSequence(part), []);
    const messages = parts.flatMap((p) => p.split('\n').filter((l) => /->>|-x/.test(l)));
    assert.equal(messages.length, 3006);
    const small = toMermaid(model, model.connections[0]!.arrows, { maxTextSize: 5_000 });
    for (const part of small)
      assert.ok(
        part.length <= 5_000 &&
          checkMermaidSequence(part, { maxTextSize: 5_000, maxEdges: 500 }).length === 0,
      );
  });

  test('trace text the grammar would misread becomes entity codes or is dropped', () => {
    assert.equal(mermaidText('a;b#c<d>'), 'a#59;b#35;c#60;d#62;');
    const specs = handshakeDataTeardown(0);
    specs[0] = { ...specs[0]!, finding: { severity: 'error', code: 'unusual-flags', message: 'x' } };
    const ep = { ...LOOPBACK, client: EVIL };
    const model = buildDiagramModel(makeResult([ep], specs), 'u', 1);
    const [part] = toMermaid(model, [0, 1, 2]);
    assert.deepEqual(checkMermaidSequence(part!), []);
    assert.match(part!, /participant C0 as _script_alert_1___script_ port 80/);
    // The checker itself rejects what the exporter avoids.
    assert.notDeepEqual(
      checkMermaidSequence('sequenceDiagram\n    participant A as a\n    A->>A: x; y\n'),
      [],
    );
    assert.notDeepEqual(checkMermaidSequence('sequenceDiagram\n    participant A as a:b\n'), []);
  });
});

describe('SVG export', () => {
  test('escapes every trace string', () => {
    const model = buildDiagramModel(
      makeResult([{ ...LOOPBACK, client: EVIL }], handshakeDataTeardown(1)),
      'u',
      1,
    );
    const svg = toSvg(model, DEFAULT_VIEW);
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&#60;script&#62;alert(1)&#60;/script&#62;:80'));
    assert.equal(escapeXml('a\u0000&b'), 'a&#38;b');
    assert.equal((svg.match(/<g class="arrow/g) ?? []).length, 7);
  });
});
