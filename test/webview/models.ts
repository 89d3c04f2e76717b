// Diagram models for the Chromium tests, built by the real builder from
// AnalysisResult objects shaped like the analysis core's output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeTrace } from '../../server/src/analysis';
import { buildDiagramModel } from '../../server/src/analysis/diagram/build';
import { fixturesDir } from '../support/paths';
import type { DiagramModel } from '../../server/src/analysis/diagram/model';
import { handshakeDataTeardown, LOOPBACK, makeResult, type SegmentSpec } from '../unit/diagram/traceBuilder';

export const URI = 'file:///trace.tcptrace';

export function handshakeTeardownModel(dataSegments = 2, version = 1): DiagramModel {
  return buildDiagramModel(makeResult([LOOPBACK], handshakeDataTeardown(dataSegments)), URI, version);
}

/** Data segments with a retransmission and a zero-window warning inside, and an error on the FIN. */
export function findingsModel(dataSegments: number): DiagramModel {
  const specs: SegmentSpec[] = handshakeDataTeardown(dataSegments);
  const mid = 3 + Math.floor(dataSegments / 2);
  specs[mid] = {
    ...specs[mid]!,
    codes: ['retransmission'],
    finding: {
      severity: 'warning',
      code: 'retransmission',
      message: 'Retransmission: this data was sent before',
    },
  };
  const fin = specs.length - 3;
  specs[fin] = {
    ...specs[fin]!,
    finding: { severity: 'error', code: 'fin-bad-ack', message: 'FIN acknowledges data never sent' },
  };
  return buildDiagramModel(makeResult([LOOPBACK], specs), URI, 1);
}

export const XSS = {
  script: '<script>window.__xss = "script"</script>',
  img: '<img src=x onerror="window.__xss = \'img\'">',
  js: 'javascript:window.__xss="js"',
};

export function xssModel(): DiagramModel {
  const ep = {
    ...LOOPBACK,
    client: { host: XSS.script, port: 1 },
    server: { host: XSS.img, port: 2 },
  };
  const specs = handshakeDataTeardown(1, ep);
  specs[3] = {
    ...specs[3]!,
    finding: { severity: 'warning', code: 'unusual-flags', message: `${XSS.js} ${XSS.img}` },
  };
  const model = buildDiagramModel(makeResult([ep], specs), URI, 1);
  return {
    ...model,
    arrows: model.arrows.map((a, i) => (i === 2 ? { ...a, role: XSS.js } : a)),
  };
}

/** Two short connections one after the other (the second from 10.0.0.2:5555). */
export function twoConnectionsModel(): DiagramModel {
  const second = { ...LOOPBACK, client: { host: '10.0.0.2', port: 5555 } };
  const specs = [...handshakeDataTeardown(1, LOOPBACK, 0, 1), ...handshakeDataTeardown(1, second, 1, 2)];
  return buildDiagramModel(makeResult([LOOPBACK, second], specs), URI, 1);
}

/** A SYN flood: `n` connections of one unanswered SYN each, from distinct ports. */
export function synFloodModel(n: number): DiagramModel {
  const endpoints = Array.from({ length: n }, (_, i) => ({
    ...LOOPBACK,
    client: { host: '10.9.0.1', port: 10_000 + i },
    clientIsn: 1000 + i,
  }));
  const specs: SegmentSpec[] = endpoints.map((ep, i) => ({
    dir: 'c2s',
    flags: 'S',
    seq: ep.clientIsn,
    time: 1 + i * 0.0001,
    client: 'SYN_SENT',
    server: 'SYN_RECV',
    phase: 'handshake',
    connection: i,
  }));
  return buildDiagramModel(makeResult(endpoints, specs), URI, 1);
}

/** The model of a real capture's `tcpdump -n` rendering, through the real parser and analysis. */
export function captureModel(scenario: string): DiagramModel {
  const file = path.join(fixturesDir, 'captures', scenario, 'tcpdump-n.tcptrace');
  return buildDiagramModel(analyzeTrace(fs.readFileSync(file, 'utf8')), `file:///${scenario}.tcptrace`, 1);
}
