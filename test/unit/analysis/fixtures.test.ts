// Every real capture: our per-segment sequence-analysis codes against tshark's
// tcp.analysis.* verdicts (tshark-fields.tsv), and our inferred states against
// what `ss -tan` showed while the scenario ran (scenario.md). Each place where
// we deliberately differ from tshark is recognised by a named rule below.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import { analyzeTrace } from '../../../server/src/analysis';
import type { AnalysisResult, DiagnosticCode, TcpState } from '../../../server/src/analysis';
import { ACK, SYN } from '../../../server/src/analysis';

const capturesDir = path.join(fixturesDir, 'captures');

/** tshark field → our code. */
const TSHARK_CODES: readonly [string, DiagnosticCode][] = [
  ['tcp.analysis.retransmission', 'retransmission'],
  ['tcp.analysis.fast_retransmission', 'fast-retransmission'],
  ['tcp.analysis.spurious_retransmission', 'spurious-retransmission'],
  ['tcp.analysis.out_of_order', 'out-of-order'],
  ['tcp.analysis.lost_segment', 'lost-segment'],
  ['tcp.analysis.ack_lost_segment', 'acked-unseen'],
  ['tcp.analysis.duplicate_ack', 'duplicate-ack'],
  ['tcp.analysis.zero_window', 'zero-window'],
  ['tcp.analysis.zero_window_probe', 'zero-window-probe'],
  ['tcp.analysis.zero_window_probe_ack', 'zero-window-probe-ack'],
  ['tcp.analysis.window_full', 'window-full'],
  ['tcp.analysis.window_update', 'window-update'],
  ['tcp.analysis.keep_alive', 'keep-alive'],
  ['tcp.analysis.keep_alive_ack', 'keep-alive-ack'],
  ['tcp.analysis.reused_ports', 'port-reuse'],
];
const WIRESHARK_FAMILY = new Set<DiagnosticCode>(TSHARK_CODES.map(([, c]) => c));

interface TsharkRow {
  frame: number;
  seqRaw: number;
  stream: number;
  codes: Set<DiagnosticCode>;
  completeness: number;
}

function readTsv(file: string): TsharkRow[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return rows.map((r) => {
    const f = r.split('\t');
    const codes = new Set<DiagnosticCode>();
    for (const [field, code] of TSHARK_CODES) {
      const i = at(field);
      if (i >= 0 && f[i] !== undefined && f[i] !== '' && f[i] !== '0') codes.add(code);
    }
    return {
      frame: Number(f[at('frame.number')]),
      seqRaw: Number(f[at('tcp.seq_raw')]),
      stream: Number(f[at('tcp.stream')]),
      codes,
      completeness: Number(f[at('tcp.completeness')] ?? 0),
    };
  });
}

/**
 * Where we deliberately give a different verdict than tshark, and why. Returns
 * our expected codes for the segment given tshark's.
 */
function expectedOurs(r: AnalysisResult, i: number, theirs: Set<DiagnosticCode>): Set<DiagnosticCode> {
  const seg = r.segments[i];
  const out = new Set(theirs);
  // SYN and SYN-ACK repeats: tshark says retransmission, we say syn-retransmission
  // (and the SYN-ACK of a simultaneous open, which reuses the ISN of the SYN, is no repeat at all).
  if ((seg.flags & SYN) !== 0 && out.delete('retransmission')) {
    const simultaneousSynAck =
      (seg.flags & ACK) !== 0 &&
      r.diagnostics.some(
        (d) => d.code === 'simultaneous-open' && d.connection === r.perSegment.get(i)!.connection,
      );
    if (!simultaneousSynAck) out.add('syn-retransmission');
  }
  // Linux probes a zero window like a keep-alive (seq = next - 1): tshark calls it a
  // keep-alive; with the peer's window at 0 we call it a zero-window probe, and its answer a probe ACK.
  if (out.has('keep-alive') && peerWindowZero(r, i)) {
    out.delete('keep-alive');
    out.add('zero-window-probe');
  }
  if (out.has('zero-window') && previousFromPeerWasProbe(r, i)) out.add('zero-window-probe-ack');
  // tshark repeats "ACKed unseen segment" on every ACK of the same missing bytes; we flag
  // the first ACK of a missing range only.
  if (out.has('acked-unseen') && sameUnseenAlreadyFlagged(r, i)) out.delete('acked-unseen');
  // An ACK across a gap the capture missed: tshark flags it again as "ACKed unseen"; the gap
  // was already reported once, as lost-segment on the peer's first segment after it.
  if (
    out.has('acked-unseen') &&
    !r.perSegment.get(i)!.analysis.includes('acked-unseen') &&
    peerHadGap(r, i)
  ) {
    out.delete('acked-unseen');
  }
  return out;
}

function sameUnseenAlreadyFlagged(r: AnalysisResult, i: number): boolean {
  const me = r.segments[i];
  for (let k = i - 1; k >= 0; k--) {
    const s = r.segments[k];
    if (r.perSegment.get(k)!.connection !== r.perSegment.get(i)!.connection) continue;
    if (s.src === me.src && r.perSegment.get(k)!.analysis.includes('acked-unseen')) return s.ack === me.ack;
  }
  return false;
}

function peerHadGap(r: AnalysisResult, i: number): boolean {
  const me = r.segments[i];
  for (let k = i - 1; k >= 0; k--) {
    const s = r.segments[k];
    if (r.perSegment.get(k)!.connection !== r.perSegment.get(i)!.connection) continue;
    if (s.src === me.dst && r.perSegment.get(k)!.analysis.includes('lost-segment')) return true;
  }
  return false;
}

function peerWindowZero(r: AnalysisResult, i: number): boolean {
  const me = r.segments[i];
  for (let k = i - 1; k >= 0; k--) {
    const s = r.segments[k];
    if (r.perSegment.get(k)!.connection !== r.perSegment.get(i)!.connection) continue;
    if (s.src.host === me.dst.host && s.src.port === me.dst.port) return s.win === 0;
  }
  return false;
}

function previousFromPeerWasProbe(r: AnalysisResult, i: number): boolean {
  const me = r.segments[i];
  for (let k = i - 1; k >= 0; k--) {
    const s = r.segments[k];
    if (r.perSegment.get(k)!.connection !== r.perSegment.get(i)!.connection) continue;
    if (s.src.host === me.dst.host && s.src.port === me.dst.port)
      return r.perSegment.get(k)!.analysis.includes('zero-window-probe');
  }
  return false;
}

function ours(r: AnalysisResult, i: number): Set<DiagnosticCode> {
  const set = new Set<DiagnosticCode>();
  for (const c of r.perSegment.get(i)!.analysis)
    if (WIRESHARK_FAMILY.has(c) || c === 'syn-retransmission') set.add(c);
  return set;
}

const SS_STATES: Readonly<Record<string, TcpState>> = {
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  ESTAB: 'ESTABLISHED',
  'FIN-WAIT-1': 'FIN_WAIT_1',
  'FIN-WAIT-2': 'FIN_WAIT_2',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  'LAST-ACK': 'LAST_ACK',
  'TIME-WAIT': 'TIME_WAIT',
};

interface SsRow {
  state: TcpState;
  local: string;
  peer: string;
}

/** The `ss -tan` snapshots of scenario.md, in order. */
function readSnapshots(file: string): SsRow[][] {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = text.split('```').filter((_, k) => k % 2 === 1);
  return blocks
    .map((b) =>
      b
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((w) => SS_STATES[w[0]] !== undefined && w.length >= 5)
        .map((w) => ({ state: SS_STATES[w[0]], local: w[3], peer: w[4] })),
    )
    .filter((rows) => rows.length > 0);
}

function text(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The states one endpoint goes through, segment by segment. */
function timeline(r: AnalysisResult, local: string, peer: string): (TcpState | null)[] | null {
  for (const c of r.connections) {
    const cl = text(c.client.host, c.client.port);
    const sv = text(c.server.host, c.server.port);
    const isClient = cl === local && sv === peer;
    const isServer = sv === local && cl === peer;
    if (!isClient && !isServer) continue;
    return c.segments.map((i) => {
      const a = r.perSegment.get(i)!;
      const sentByLocal = (a.direction === 'c2s') === isClient;
      return sentByLocal ? a.sender.state : a.receiver.state;
    });
  }
  return null;
}

const scenarios = fs.existsSync(capturesDir)
  ? fs.readdirSync(capturesDir).filter((d) => fs.existsSync(path.join(capturesDir, d, 'tshark-fields.tsv')))
  : [];

describe('analysis of real captures', () => {
  test('there are fixtures to check', () => {
    assert.ok(scenarios.length >= 10, `only ${scenarios.length} scenarios in ${capturesDir}`);
  });
  for (const scenario of scenarios) {
    const dir = path.join(capturesDir, scenario);
    for (const flavour of ['tcpdump-n', 'tcpdump-nS']) {
      const file = path.join(dir, `${flavour}.tcptrace`);
      if (!fs.existsSync(file)) continue;
      test(`${scenario} (${flavour}): per-segment codes match tshark's, except the documented improvements`, () => {
        const rows = readTsv(path.join(dir, 'tshark-fields.tsv'));
        const r = analyzeTrace(fs.readFileSync(file, 'utf8'));
        assert.equal(r.segments.length, rows.length, 'segment count');
        const problems: string[] = [];
        for (let i = 0; i < rows.length; i++) {
          const want = [...expectedOurs(r, i, rows[i].codes)].sort().join(',');
          const got = [...ours(r, i)].sort().join(',');
          if (want !== got) problems.push(`frame ${rows[i].frame}: tshark-derived [${want}] ours [${got}]`);
        }
        assert.deepEqual(problems, []);
        // Sequence numbers we infer where the line printed none (pure ACKs, keep-alives) are
        // the ones on the wire: base + relSeq = tshark's tcp.seq_raw.
        const wrong: string[] = [];
        for (let i = 0; i < rows.length; i++) {
          const a = r.perSegment.get(i)!;
          const c = r.connections[a.connection];
          const base = a.direction === 'c2s' ? c.clientSeqBase : c.serverSeqBase;
          if (a.relSeq === null || base === null || base === undefined) continue;
          const abs = (base + a.relSeq) >>> 0;
          if (abs !== rows[i].seqRaw)
            wrong.push(`frame ${rows[i].frame}: ours ${abs}, tshark ${rows[i].seqRaw}`);
        }
        assert.deepEqual(wrong, []);
        // A loopback capture sees both ends on one host: no vantage point may be claimed.
        if (r.segments.every((x) => x.src.host === x.dst.host)) assert.equal(r.vantage, 'unknown');
        // One connection per tshark stream, with the same completeness bits.
        const streams = new Map<number, number>();
        for (const row of rows)
          streams.set(row.stream, Math.max(streams.get(row.stream) ?? 0, row.completeness));
        assert.equal(r.connections.length, streams.size, 'connections');
        // tshark shows the bits accumulated before each frame; the stream's last value misses only
        // its last frame's bits, so ours must contain it.
        const streamIds = [...streams.keys()];
        r.connections.forEach((c, k) => {
          const theirs = streams.get(streamIds[k]) ?? 0;
          assert.equal(
            c.completeness & theirs,
            theirs,
            `completeness of connection ${k}: ours ${c.completeness}, tshark ${theirs}`,
          );
        });
      });
    }
    const md = path.join(dir, 'scenario.md');
    const nFile = path.join(dir, 'tcpdump-n.tcptrace');
    if (fs.existsSync(md) && fs.existsSync(nFile)) {
      test(`${scenario}: every socket state ss showed appears in our inferred states, in order`, () => {
        const r = analyzeTrace(fs.readFileSync(nFile, 'utf8'));
        const reached = new Map<string, number>();
        const problems: string[] = [];
        for (const snapshot of readSnapshots(md)) {
          for (const row of snapshot) {
            const states = timeline(r, row.local, row.peer);
            if (states === null) {
              problems.push(`no connection ${row.local} ↔ ${row.peer}`);
              continue;
            }
            const key = `${row.local}|${row.peer}`;
            const from = reached.get(key) ?? 0;
            const at = states.indexOf(row.state, from);
            if (at < 0)
              problems.push(
                `${row.local}: ss ${row.state}, ours from #${from}: ${states.slice(from).join(' ')}`,
              );
            else reached.set(key, at);
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  }
});

describe('verdicts explained with their numbers (real captures)', () => {
  test('reordering: the out-of-order segment says how late it came and against which threshold', () => {
    const file = path.join(capturesDir, 'reordering', 'tcpdump-n.tcptrace');
    const r = analyzeTrace(fs.readFileSync(file, 'utf8'));
    const ooo = r.diagnostics.filter((d) => d.code === 'out-of-order');
    assert.equal(ooo.length, 1);
    assert.match(
      ooo[0].message,
      /^Out-of-order: seq 1449 < next expected 5793; [\d.]+ ms since the highest segment < iRTT [\d.]+ ms/,
    );
    assert.equal(ooo[0].details?.seenBefore, false);
  });

  test('loss-sack: each retransmission links the segment that first carried its bytes', () => {
    const file = path.join(capturesDir, 'loss-sack', 'tcpdump-n.tcptrace');
    const r = analyzeTrace(fs.readFileSync(file, 'utf8'));
    const re = r.diagnostics.filter((d) => d.code === 'retransmission');
    assert.ok(re.length >= 4);
    for (const d of re) {
      assert.equal(d.related.length, 1, d.message);
      const orig = r.segments[d.related[0].segment ?? -1];
      const seg = r.segments[d.segment ?? -1];
      // The original carried the retransmission's first byte.
      const start = (seg.seq ?? 0) >>> 0;
      assert.ok(
        (start - (orig.seq ?? 0)) >>> 0 < orig.len,
        `line ${d.line + 1}: original at line ${orig.line + 1}`,
      );
    }
  });
});
