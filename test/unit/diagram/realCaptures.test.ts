// The diagram model of every real capture, checked against tshark's reading of
// the same pcap (tshark-fields.tsv beside each rendering): one arrow per TCP
// frame, with tshark's flags, raw seq/ack, payload length and time. Then the
// exports of each: Mermaid passes the grammar checker, SVG escapes and closes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeTrace } from '../../../server/src/analysis';
import { buildDiagramModel } from '../../../server/src/analysis/diagram/build';
import { flagNames } from '../../../server/src/analysis/diagram/format';
import { layoutDiagram } from '../../../server/src/analysis/diagram/layout';
import { toMermaid } from '../../../server/src/analysis/diagram/mermaid';
import { DEFAULT_VIEW } from '../../../server/src/analysis/diagram/model';
import { toSvg } from '../../../server/src/analysis/diagram/svg';
import {
  buildDiagramWire,
  decodeDiagramModel,
  encodeDiagramModel,
  plainArrow,
} from '../../../server/src/analysis/diagram/wire';
import { fixturesDir } from '../../support/paths';
import { checkMermaidSequence } from './mermaidGrammar';

const capturesDir = path.join(fixturesDir, 'captures');

/** tcp.flags.str is 12 characters, FIN last; a set bit is any character but the middle dot. */
function tsharkFlags(text: string): number {
  const chars = [...text];
  let bits = 0;
  const order = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x100];
  order.forEach((bit, i) => {
    const ch = chars[chars.length - 1 - i];
    if (ch !== undefined && ch !== '·') bits |= bit;
  });
  return bits;
}

interface TsharkFrame {
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly len: number;
  readonly epoch: number;
}

function readTshark(file: string): TsharkFrame[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  const col = (name: string): number => columns.indexOf(name);
  return rows
    .map((row) => row.split('\t'))
    .filter((f) => f[col('tcp.flags.str')])
    .map((f) => ({
      flags: tsharkFlags(f[col('tcp.flags.str')]!),
      seq: Number(f[col('tcp.seq_raw')]),
      ack: Number(f[col('tcp.ack_raw')]),
      len: Number(f[col('tcp.len')]),
      epoch: Number(f[col('frame.time_epoch')]),
    }));
}

const scenarios = fs.existsSync(capturesDir)
  ? fs
      .readdirSync(capturesDir)
      .filter(
        (s) =>
          fs.existsSync(path.join(capturesDir, s, 'tcpdump-n.tcptrace')) &&
          fs.existsSync(path.join(capturesDir, s, 'tshark-fields.tsv')),
      )
      .sort()
  : [];

describe('diagram of real captures, against tshark', () => {
  test('the fixtures are there', () => assert.ok(scenarios.length >= 5, `${scenarios.length} scenarios`));

  for (const scenario of scenarios) {
    test(scenario, () => {
      const dir = path.join(capturesDir, scenario);
      const result = analyzeTrace(fs.readFileSync(path.join(dir, 'tcpdump-n.tcptrace'), 'utf8'));
      const model = buildDiagramModel(result, `file:///${scenario}.tcptrace`, 1);
      const inferred = { printed: 0, filled: 0 };
      const frames = readTshark(path.join(dir, 'tshark-fields.tsv'));
      assert.equal(model.arrows.length, frames.length, 'one arrow per TCP frame');
      model.arrows.forEach((a, i) => {
        const f = frames[i]!;
        const where = `${scenario} frame ${i + 1}`;
        assert.equal(flagNames(a.flags), flagNames(f.flags), `${where} flags`);
        // tcpdump omits seq on most pure ACKs; the model fills it in from the analysis'
        // base (ISN, or first seq - 1 without a SYN) and relative number.
        const printed = result.segments[a.segment]!.seq !== null;
        assert.equal(a.seq, f.seq, `${where} seq`);
        if (f.flags & 0x10) assert.equal(a.ack, f.ack, `${where} ack`);
        if (printed) inferred.printed++;
        else if (a.seq !== null) inferred.filled++;
        assert.equal(a.len, f.len, `${where} len`);
        // Renderings are in UTC time of day; tshark gives the epoch.
        assert.ok(a.time !== null && Math.abs(a.time - (f.epoch % 86_400)) < 2e-6, `${where} time ${a.time}`);
      });
      assert.ok(inferred.printed > 0, `${scenario}: no printed seq`);
      // The wire form (what the server sends, built in one pass from the analysis) is the
      // model's, and decodes to the same model.
      const wire = buildDiagramWire(result, `file:///${scenario}.tcptrace`, 1);
      assert.deepEqual(wire, encodeDiagramModel(model));
      const back = decodeDiagramModel(JSON.parse(JSON.stringify(wire)) as typeof wire);
      const micros = (t: number | null): number | null => (t === null ? null : Math.round(t * 1e6));
      assert.deepEqual(
        back.arrows.map((a) => ({ ...plainArrow(a), time: micros(a.time) })),
        model.arrows.map((a) => ({ ...a, time: micros(a.time) })),
      );
      // The layout reads a decoded model's typed columns: the same rows as from the model.
      for (const view of [DEFAULT_VIEW, { ...DEFAULT_VIEW, connection: 'all' as const }])
        assert.deepEqual(layoutDiagram(back, view), layoutDiagram(model, view));
      // Every arrow is drawn (as itself or inside a band) in the "all" view.
      const all = layoutDiagram(model, { ...DEFAULT_VIEW, connection: 'all' });
      assert.ok([...all.rowOfArrow].every((r) => r >= 0));
      for (const part of toMermaid(
        model,
        model.arrows.map((_, i) => i),
      ))
        assert.deepEqual(checkMermaidSequence(part), [], scenario);
      const svg = toSvg(model, { ...DEFAULT_VIEW, connection: 'all' });
      assert.ok(svg.startsWith('<svg ') && svg.trimEnd().endsWith('</svg>'));
    });
  }

  test('close-client: the states each lifeline shows, in order', () => {
    const dir = path.join(capturesDir, 'close-client');
    const model = buildDiagramModel(
      analyzeTrace(fs.readFileSync(path.join(dir, 'tcpdump-n.tcptrace'), 'utf8')),
      'u',
      1,
    );
    // Frame 3, the handshake's ACK, prints no seq; tshark reads 3285437617 from the pcap.
    assert.equal(model.arrows[2]!.seq, 3285437617);
    const layout = layoutDiagram(model, DEFAULT_VIEW);
    const client = layout.rows.flatMap((r) =>
      r.kind === 'arrow' && r.clientStateLabel ? [r.clientStateLabel] : [],
    );
    const server = layout.rows.flatMap((r) =>
      r.kind === 'arrow' && r.serverStateLabel ? [r.serverStateLabel] : [],
    );
    assert.deepEqual(client, ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.deepEqual(server, ['SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });
});
