// Builds AnalysisResult objects for diagram tests from a compact description
// of each segment, the way the analysis core would report them.
import type {
  AnalysisResult,
  Connection,
  DiagnosticCode,
  Direction,
  Finding,
  Phase,
  Segment,
  SegmentAnalysis,
  TcpState,
} from '../../../server/src/analysis/model';
import { ACK, FIN, PSH, RST, SYN } from '../../../server/src/analysis/model';
import { SegmentAnalyses } from '../../../server/src/analysis/segmentAnalyses';

export interface SegmentSpec {
  readonly dir: Direction;
  readonly flags: string; // e.g. "S", "S.", ".", "P.", "F.", "R"
  readonly seq: number;
  readonly ack?: number;
  readonly len?: number;
  readonly time: number;
  readonly client: TcpState | null;
  readonly server: TcpState | null;
  readonly phase: Phase;
  readonly connection?: number;
  readonly codes?: readonly DiagnosticCode[];
  readonly finding?: { severity: Finding['severity']; message: string; code: DiagnosticCode };
}

export interface EndpointsSpec {
  readonly client: { host: string; port: number };
  readonly server: { host: string; port: number };
  readonly clientIsn: number;
  readonly serverIsn: number;
}

function flagBits(text: string): number {
  let bits = 0;
  for (const ch of text) {
    if (ch === 'S') bits |= SYN;
    else if (ch === 'F') bits |= FIN;
    else if (ch === 'R') bits |= RST;
    else if (ch === 'P') bits |= PSH;
    else if (ch === '.') bits |= ACK;
  }
  return bits;
}

export function makeResult(
  endpoints: readonly EndpointsSpec[],
  specs: readonly SegmentSpec[],
): AnalysisResult {
  const segments: Segment[] = [];
  const perSegment: SegmentAnalysis[] = [];
  const diagnostics: Finding[] = [];
  specs.forEach((s, index) => {
    const conn = s.connection ?? 0;
    const ep = endpoints[conn]!;
    const c2s = s.dir === 'c2s';
    const flags = flagBits(s.flags);
    const senderIsn = c2s ? ep.clientIsn : ep.serverIsn;
    const receiverIsn = c2s ? ep.serverIsn : ep.clientIsn;
    segments.push({
      index,
      line: index + 1,
      endLine: index + 1,
      format: 'tcpdump',
      time: s.time,
      src: c2s ? ep.client : ep.server,
      dst: c2s ? ep.server : ep.client,
      flags,
      seq: s.seq,
      ack: s.ack ?? null,
      printedSeq: s.seq,
      printedAck: s.ack ?? null,
      len: s.len ?? 0,
      win: 65535,
      urg: null,
      options: {},
      truncated: false,
      badChecksum: null,
      fields: [],
    });
    const state = (
      st: TcpState | null,
    ): { state: TcpState | null; confidence: 'observed'; rule: string; reason: string } => ({
      state: st,
      confidence: 'observed',
      rule: 'test',
      reason: 'test',
    });
    perSegment.push({
      segment: index,
      connection: conn,
      direction: s.dir,
      sender: state(c2s ? s.client : s.server),
      receiver: state(c2s ? s.server : s.client),
      phase: s.phase,
      role: 'test segment',
      relSeq: (s.seq - senderIsn) >>> 0,
      relAck: s.ack === undefined ? null : (s.ack - receiverIsn) >>> 0,
      analysis: s.codes ?? [],
      bytesInFlight: null,
      sinceStart: null,
    });
    if (s.finding)
      diagnostics.push({
        ...s.finding,
        line: index + 1,
        endLine: index + 1,
        segment: index,
        connection: conn,
        related: [],
      });
  });
  const connections: Connection[] = endpoints.map((ep, id) => {
    const idx = specs.map((s, i) => ((s.connection ?? 0) === id ? i : -1)).filter((i) => i >= 0);
    return {
      id,
      client: ep.client,
      server: ep.server,
      segments: idx,
      firstLine: idx.length ? idx[0]! + 1 : 0,
      lastLine: idx.length ? idx[idx.length - 1]! + 1 : 0,
      clientIsn: ep.clientIsn,
      serverIsn: ep.serverIsn,
      clientState: null,
      serverState: null,
      zeekState: 'SF',
      history: 'ShADadFf',
      completeness: 31,
      handshakeRtt: null,
      duration: null,
      c2s: { segments: 0, bytes: 0, retransmissions: 0 },
      s2c: { segments: 0, bytes: 0, retransmissions: 0 },
      label: `${ep.client.host}:${ep.client.port} → ${ep.server.host}:${ep.server.port}`,
      outcome: 'closed normally',
    };
  });
  return {
    format: 'tcpdump',
    lineCount: specs.length + 1,
    segments,
    perSegment: SegmentAnalyses.of(perSegment),
    connections,
    diagnostics,
    vantage: 'middle',
  };
}

export const LOOPBACK: EndpointsSpec = {
  client: { host: '127.0.0.1', port: 40000 },
  server: { host: '127.0.0.1', port: 8080 },
  clientIsn: 1000,
  serverIsn: 5000,
};

/** Handshake, `dataSegments` client data segments each acknowledged by the server, and a FIN teardown. */
export function handshakeDataTeardown(
  dataSegments: number,
  ep: EndpointsSpec = LOOPBACK,
  connection = 0,
  t0 = 1.0,
): SegmentSpec[] {
  const c = ep.clientIsn;
  const s = ep.serverIsn;
  const specs: SegmentSpec[] = [
    {
      dir: 'c2s',
      flags: 'S',
      seq: c,
      time: t0,
      client: 'SYN_SENT',
      server: 'SYN_RECV',
      phase: 'handshake',
      connection,
    },
    {
      dir: 's2c',
      flags: 'S.',
      seq: s,
      ack: c + 1,
      time: t0 + 0.0001,
      client: 'ESTABLISHED',
      server: 'SYN_RECV',
      phase: 'handshake',
      connection,
    },
    {
      dir: 'c2s',
      flags: '.',
      seq: c + 1,
      ack: s + 1,
      time: t0 + 0.0002,
      client: 'ESTABLISHED',
      server: 'ESTABLISHED',
      phase: 'handshake',
      connection,
    },
  ];
  let seq = c + 1;
  let t = t0 + 0.001;
  for (let i = 0; i < dataSegments; i++) {
    specs.push({
      dir: 'c2s',
      flags: 'P.',
      seq,
      ack: s + 1,
      len: 100,
      time: t,
      client: 'ESTABLISHED',
      server: 'ESTABLISHED',
      phase: 'data',
      connection,
    });
    seq += 100;
    t += 0.0001;
  }
  specs.push(
    {
      dir: 'c2s',
      flags: 'F.',
      seq,
      ack: s + 1,
      time: t + 0.01,
      client: 'FIN_WAIT_1',
      server: 'CLOSE_WAIT',
      phase: 'teardown',
      connection,
    },
    {
      dir: 's2c',
      flags: 'F.',
      seq: s + 1,
      ack: seq + 1,
      time: t + 0.0101,
      client: 'TIME_WAIT',
      server: 'LAST_ACK',
      phase: 'teardown',
      connection,
    },
    {
      dir: 'c2s',
      flags: '.',
      seq: seq + 1,
      ack: s + 2,
      time: t + 0.0102,
      client: 'TIME_WAIT',
      server: 'CLOSED',
      phase: 'teardown',
      connection,
    },
  );
  return specs;
}
