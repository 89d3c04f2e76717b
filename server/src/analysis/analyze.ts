// Runs the analysis passes over parsed segments, in one walk over the trace:
// connection → handshake checks → Wireshark sequence analysis → state machine
// → teardown and flag checks → bookkeeping. Then the whole-trace checks
// (incomplete handshakes, SYN floods) and the connection summaries.
import type {
  AnalysisOptions,
  AnalysisResult,
  Connection,
  DiagnosticCode,
  Finding,
  ParseResult,
  Segment,
  StateInference,
  VantagePoint,
} from './model';
import { ACK, FIN, RST, SYN } from './model';
import { parseTrace } from './parse';
import { ConnectionTable } from './connections';
import { analyzeSequence, findAcked, updateTracking } from './anomalies';
import { advanceStates, inferenceOf, RstEffect } from './state';
import { checkHandshakeAfter, checkHandshakeBefore, checkHandshakeEnd } from './checks/handshake';
import { checkTeardown } from './checks/teardown';
import { checkFlags } from './checks/flags';
import { sortByLine } from './byLine';
import { evaluateSynFlood, FloodAttempts } from './checks/synFlood';
import { addFinding, relatedAt } from './findings';
import { buildConnection, recordSummary } from './summary';
import { detectVantageInSteps } from './vantage';
import { roleOf, phaseOf } from './roles';
import { roleCode, RoleKind } from './roleTexts';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from './seq';
import { NO_TIME, pastOf, type ConnTrack, type PastSegments, type Sink, type Step } from './track';
import { advanceIndex } from './advances';
import { runToEnd } from './steps';
import { SegmentAnalyses } from './segmentAnalyses';
import type { FindingCounts } from './countedFindings';

const NO_CODES: readonly DiagnosticCode[] = Object.freeze([]);

export function analyzeParsed(parsed: ParseResult, options: AnalysisOptions = {}): AnalysisResult {
  return runToEnd(analyzeInSteps(parsed, options, Number.MAX_SAFE_INTEGER));
}

/**
 * The same analysis, pausing (yield) after every `stepSize` segments so that a
 * server can keep answering requests while a big trace is analysed: drive it
 * with next() from setImmediate and take the result from the final step.
 */
export function* analyzeInSteps(
  parsed: ParseResult,
  options: AnalysisOptions = {},
  stepSize = 8192,
): Generator<void, AnalysisResult, void> {
  const disabled = new Set<string>(parsed.disabledCodes);
  const segs = parsed.segments;
  const keepPerSegment = options.perSegment !== false;
  const perSegment = new SegmentAnalyses(keepPerSegment ? segs.length : 0);
  const sink: Sink = {
    findings: [],
    counted: null,
    withdrawn: new Set(),
    perSegment,
    keepPerSegment,
    keepSegmentLists: true,
    keepFindingText: options.findingText !== false,
    disabled,
  };
  const detected =
    options.vantage === undefined || options.vantage === 'unknown'
      ? // In steps too: the vote reads up to 200,000 segments (80-150 ms on the language server's open).
        yield* detectVantageInSteps(segs, stepSize)
      : null;
  const vantage = detected === null ? (options.vantage ?? 'unknown') : detected.vantage;
  const table = new ConnectionTable();
  const step = newStep();
  const past = pastOf(segs);

  for (let from = 0; from < segs.length; from += stepSize) {
    if (from > 0) yield;
    walkRange(step, segs, null, from, Math.min(segs.length, from + stepSize), past, table, sink, vantage);
  }

  const { connections, findings } = yield* finishWalkInSteps(
    table,
    past,
    sink,
    options,
    parsed.diagnostics,
    disabled,
    stepSize,
  );
  if (disabled.size > 0) perSegment.dropCodes(disabled);
  return {
    format: parsed.format,
    lineCount: parsed.lineCount,
    segments: segs,
    perSegment,
    connections,
    diagnostics: findings,
    vantage,
  };
}

/**
 * After the walk: the whole-trace checks, the connection summaries and the findings
 * (parse errors first, then the passes' findings, stable-sorted by line), without
 * withdrawn findings and disabled codes; when the sink only counts findings (Sink.counted),
 * their counts instead (and no findings). `segs` need hold only the segments the
 * walk still refers to (see isLive in stream.ts). It pauses (yield) after every
 * `stepSize` connections of each of its passes over them: on a big trace they take
 * a few hundred milliseconds, which a server must not spend without answering.
 */
export function* finishWalkInSteps(
  table: ConnectionTable,
  segs: PastSegments,
  sink: Sink,
  options: AnalysisOptions,
  parseDiagnostics: readonly Finding[],
  disabled: ReadonlySet<string>,
  stepSize: number,
): Generator<void, { connections: Connection[]; findings: Finding[]; counts: FindingCounts | null }, void> {
  // One pass over `stepSize` connections at a time in a plain function: a loop in a
  // generator's own body is never optimised (V8 does not replace a generator's frame on
  // the stack), and the streaming analysis runs it once over 25,000 connections.
  const all = table.all;
  const step = stepSize >= 1 ? Math.floor(stepSize) : Number.MAX_SAFE_INTEGER;
  const attempts = new FloodAttempts();
  const connections: Connection[] = [];
  for (let k = 0; k < all.length; k += step) {
    if (k > 0) yield;
    finishConnections(table, k, Math.min(all.length, k + step), segs, sink, attempts, connections);
  }
  // After every connection's own findings, as the SYN-flood findings span connections.
  evaluateSynFlood(attempts, sink, options);
  if (sink.counted !== null) {
    const counts = sink.counted.counts(parseDiagnostics, sink.withdrawn, disabled, all.length);
    return { connections, findings: [], counts };
  }
  const findings = keptFindings(parseDiagnostics, sink, disabled);
  // Stable sort by line: findings of one line keep the order the passes produced them.
  sortByLine(findings);
  return { connections, findings, counts: null };
}

/**
 * Connections [from, to) of `all` at the end of the walk, each once: its handshake
 * check, its SYN-flood facts and its summary (three passes over them read each
 * connection's bookkeeping from memory three times).
 */
function finishConnections(
  table: ConnectionTable,
  from: number,
  to: number,
  segs: PastSegments,
  sink: Sink,
  attempts: FloodAttempts,
  connections: Connection[],
): void {
  const all = table.all;
  for (let k = from; k < to; k++) {
    const conn = all[k];
    checkHandshakeEnd(conn, segs, sink);
    attempts.add(conn, segs);
    connections.push(buildConnection(conn, segs, table.segmentLists.list(conn.segmentsHead)));
  }
}

/** The parser's findings and the passes' (in that order), without withdrawn findings and disabled codes. */
function keptFindings(
  parseDiagnostics: readonly Finding[],
  sink: Sink,
  disabled: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const f of parseDiagnostics) if (!disabled.has(f.code)) findings.push(f);
  const made = sink.findings;
  const withdrawn = sink.withdrawn;
  for (let k = 0; k < made.length; k++) {
    const f = made[k];
    if (!withdrawn.has(k) && !disabled.has(f.code)) findings.push(f);
  }
  return findings;
}

/** The analysis of some connections of a trace (incremental.ts splices it into a whole result). */
export interface ConnectionsAnalysis {
  /** The connections' bookkeeping, in the order of their first segments. */
  readonly tracks: readonly ConnTrack[];
  /** Their summaries, parallel to `tracks`. */
  readonly connections: readonly Connection[];
  /** Their findings, in the order the whole analysis produces them (not yet sorted by line). */
  readonly findings: readonly Finding[];
}

/**
 * analyzeInSteps' walk restricted to the segments `indices` (ascending) of
 * `parsed.segments`, which must be every segment of some 4-tuples: each
 * connection depends only on its own 4-tuple's segments, the vantage point and
 * the disabled codes, so the result equals the whole analysis' for them. The
 * analyses are written into `perSegment` at the segments' indices. Connection
 * ids come from `idFor(index of the connection's first segment)`; the result is
 * undefined when it has none for a connection the walk starts (the caller then
 * analyses the whole trace). The whole-trace checks (SYN floods) are not run.
 */
export function* analyzeConnectionsInSteps(
  parsed: ParseResult,
  indices: readonly number[],
  vantage: VantagePoint,
  perSegment: SegmentAnalyses,
  idFor: (firstSegment: number) => number | undefined,
  stepSize = 8192,
): Generator<void, ConnectionsAnalysis | undefined, void> {
  const disabled = new Set<string>(parsed.disabledCodes);
  const segs = parsed.segments;
  const sink: Sink = {
    findings: [],
    counted: null,
    withdrawn: new Set(),
    perSegment,
    keepPerSegment: true,
    keepSegmentLists: true,
    keepFindingText: true,
    disabled,
  };
  const table = new ConnectionTable(idFor);
  const step = newStep();
  const past = pastOf(segs);
  for (let from = 0; from < indices.length; from += stepSize) {
    if (from > 0) yield;
    walkRange(
      step,
      segs,
      indices,
      from,
      Math.min(indices.length, from + stepSize),
      past,
      table,
      sink,
      vantage,
    );
  }
  if (table.all.some((c) => c.id < 0)) return undefined;
  for (const conn of table.all) checkHandshakeEnd(conn, past, sink);
  const findings: Finding[] = [];
  for (let k = 0; k < sink.findings.length; k++) if (!sink.withdrawn.has(k)) findings.push(sink.findings[k]);
  if (disabled.size > 0) perSegment.dropCodes(disabled);
  return {
    tracks: table.all,
    connections: table.all.map((c) => buildConnection(c, past, table.segmentLists.list(c.segmentsHead))),
    findings,
  };
}

/**
 * Walks segments [from, to) of `segs` (of `indices` when given: the k-th is
 * segs[indices[k]]). A plain function for the steps' generators: V8 optimises
 * no loop in a generator's body (no on-stack replacement there), so a walk of
 * a few hundred thousand segments stayed in the slow tiers.
 */
function walkRange(
  step: Step,
  segs: readonly Segment[],
  indices: readonly number[] | null,
  from: number,
  to: number,
  past: PastSegments,
  table: ConnectionTable,
  sink: Sink,
  vantage: VantagePoint,
): void {
  for (let k = from; k < to; k++) {
    const i = indices === null ? k : indices[k];
    try {
      analyzeOne(step, segs[i], i, past, table, sink, vantage);
    } catch (e) {
      // The core never throws on user input; an internal slip costs one segment, not the file.
      if (sink.keepPerSegment) recordFallback(i, step, e, sink);
    }
  }
}

export function newStep(): Step {
  return {
    index: 0,
    conn: undefined as unknown as ConnTrack,
    c2s: true,
    fwd: undefined as unknown as Step['fwd'],
    rev: undefined as unknown as Step['rev'],
    sender: undefined as unknown as Step['sender'],
    receiver: undefined as unknown as Step['receiver'],
    seq: null,
    span: 0,
    time: NO_TIME,
    codes: [],
    original: -1,
    acknowledges: -1,
    sentByVantage: null,
    senderBefore: null,
    receiverBefore: null,
  };
}

/**
 * Every pass over one segment (index `i`). `segs` must hold the segment itself and the
 * earlier ones the connections' bookkeeping points at; the others may be missing.
 */
export function analyzeOne(
  step: Step,
  seg: Segment,
  i: number,
  segs: PastSegments,
  table: ConnectionTable,
  sink: Sink,
  vantage: AnalysisResult['vantage'],
): void {
  const a = table.assign(seg);
  const conn = a.conn;
  const c2s = a.c2s;
  step.index = i;
  step.conn = conn;
  step.c2s = c2s;
  step.fwd = c2s ? conn.c2s : conn.s2c;
  step.rev = conn.self ? step.fwd : c2s ? conn.s2c : conn.c2s;
  step.sender = c2s ? conn.cEnd : conn.sEnd;
  step.receiver = conn.self ? conn.cEnd : c2s ? conn.sEnd : conn.cEnd;
  if (step.codes.length !== 0) step.codes.length = 0;
  step.original = -1;
  step.acknowledges = -1;
  step.time = seg.time ?? NO_TIME;
  step.sentByVantage =
    vantage === 'client' ? c2s : vantage === 'server' ? !c2s : vantage === 'middle' ? false : null;
  step.senderBefore = step.sender.state;
  step.receiverBefore = step.receiver.state;
  const f = seg.flags;
  const fwd = step.fwd;
  const rev = step.rev;
  // tcpdump prints no seq on pure ACKs: the sender's next sequence number, which is at
  // least what the peer has acknowledged (the capture may have missed the data).
  step.seq = seg.seq ?? inferSeq(fwd, rev);
  step.span = seg.len + ((f & SYN) !== 0 ? 1 : 0) + ((f & FIN) !== 0 ? 1 : 0);

  if (a.reusedFrom !== null) {
    const old = a.reusedFrom;
    step.codes.push('port-reuse');
    addFinding(
      sink,
      'port-reuse',
      seg,
      conn.id,
      `Port numbers reused: a SYN with a new ISN ${String(seg.seq)} on the ports of an earlier connection (ended at line ${old.lastLine + 1}${old.c2s.isn === null ? '' : `, ISN ${old.c2s.isn}`}); this starts a new connection.`,
      [relatedAt(old.lastLine, old.lastSegment, 'the last segment of the earlier connection')],
      { isn: seg.seq ?? -1, previousIsn: old.c2s.isn ?? -1 },
    );
  }
  if (conn.segmentCount === 0) {
    conn.firstSegment = i;
    conn.firstLine = seg.line;
  }
  conn.lastSegment = i;
  conn.lastLine = seg.line;
  conn.lastEndLine = seg.endLine;
  if (sink.keepSegmentLists) {
    conn.segmentsTail = table.segmentLists.append(conn.segmentsTail, i);
    if (conn.segmentsHead < 0) conn.segmentsHead = conn.segmentsTail;
  }
  if ((f & SYN) !== 0) addSyn(conn, i);
  fwd.lastSent = i;
  fwd.lastSentAt = conn.segmentCount++;
  fwd.lastSentLine = seg.line;
  if (seg.time !== null) {
    if (Number.isNaN(conn.firstTime)) conn.firstTime = seg.time;
    conn.lastTime = seg.time;
  }

  if (seg.flagsUnknown === true) {
    // tcpdump -q or a header cut short: flags, seq and ack are unknown, so no state moves.
    recordUnknownFlags(step, seg, i, sink);
    return;
  }

  checkHandshakeBefore(step, seg, segs, sink);
  if ((f & ACK) !== 0 && seg.ack !== null && rev.base === null) rev.base = seqAdd(seg.ack, -1);
  analyzeSequence(step, seg, sink);
  const outcome = advanceStates(step, seg, segs, sink);
  const established = outcome.established;
  const rst = outcome.rst;
  checkHandshakeAfter(step, seg, segs, sink, established);
  checkTeardown(step, seg, segs, sink, rst);
  checkFlags(step, seg, sink);

  // The segment this ACK acknowledges: the latest one from the peer it covers, when the ack moved.
  // (Only the per-segment results show it.)
  if (
    sink.keepPerSegment &&
    (f & ACK) !== 0 &&
    seg.ack !== null &&
    !(fwd.hasAck && fwd.lastAck === seg.ack) &&
    rev.hasNext
  ) {
    const k = findAcked(rev, seg.ack);
    if (k >= 0) step.acknowledges = advanceIndex(rev, k);
  }

  // An ACK that came before the data it acknowledges (capture position): withdraw acked-unseen.
  if (
    fwd.unseenAckFinding >= 0 &&
    step.seq !== null &&
    seg.len > 0 &&
    fwd.hasNext &&
    seqLe(step.seq, fwd.nextSeq) &&
    seqLt(step.seq, fwd.unseenAck) &&
    seqGe(seqAdd(step.seq, step.span), fwd.unseenAck)
  ) {
    withdrawAckedUnseen(sink, fwd.unseenAckFinding, fwd.unseenAckIndex);
    fwd.unseenAckFinding = -1;
  }

  updateTracking(step, seg, sink.keepPerSegment || sink.keepFindingText);
  recordSummary(step, seg);

  if (sink.keepPerSegment) recordAnalysis(step, seg, i, segs, sink, established, rst);
  if (rst !== RstEffect.None && rst !== RstEffect.Challenged && conn.pendingChallenge === i)
    conn.pendingChallenge = -1;
}

/**
 * Most connections have one or two SYN segments: arrays made to their size (the
 * first push() into an empty array makes room for 17).
 */
function addSyn(conn: ConnTrack, i: number): void {
  const syns = conn.synSegments;
  if (syns.length === 0) conn.synSegments = [i];
  else if (syns.length === 1) conn.synSegments = [syns[0], i];
  else syns.push(i);
}

/** The segment's SegmentAnalysis, from the step after every pass has run. */
function recordAnalysis(
  step: Step,
  seg: Segment,
  i: number,
  segs: PastSegments,
  sink: Sink,
  established: boolean,
  rst: RstEffect,
): void {
  const conn = step.conn;
  const fwd = step.fwd;
  const rev = step.rev;
  const f = seg.flags;
  const relSeq = step.seq === null || fwd.base === null ? null : seqDiff(step.seq, fwd.base);
  const relAck = (f & ACK) === 0 || seg.ack === null || rev.base === null ? null : seqDiff(seg.ack, rev.base);
  const inFlight =
    (seg.len > 0 || (f & (SYN | FIN)) !== 0) && rev.hasAck && fwd.hasNext && (f & RST) === 0
      ? seqDiff(fwd.nextSeq, rev.lastAck)
      : null;
  sink.perSegment.record(i, {
    connection: conn.id,
    c2s: step.c2s,
    sender: inferenceOf(step.sender),
    receiver: inferenceOf(step.receiver),
    phase: phaseOf(step, seg, established),
    role: roleOf(step, seg, segs, established, rst),
    relSeq,
    relAck,
    codes: step.codes,
    bytesInFlight: inFlight !== null && inFlight < 0x80000000 ? inFlight : null,
    sinceStart: seg.time !== null && !Number.isNaN(conn.firstTime) ? seg.time - conn.firstTime : null,
    acknowledges: step.acknowledges,
    original: step.original,
  });
}

function recordUnknownFlags(step: Step, seg: Segment, i: number, sink: Sink): void {
  const conn = step.conn;
  step.fwd.segments++;
  step.fwd.bytes += seg.len;
  if (!sink.keepPerSegment) return;
  sink.perSegment.record(i, {
    connection: conn.id,
    c2s: step.c2s,
    sender: inferenceOf(step.sender),
    receiver: inferenceOf(step.receiver),
    phase: 'data',
    role: roleCode(RoleKind.FlagsUnknown),
    relSeq: null,
    relAck: null,
    codes: NO_CODES,
    bytesInFlight: null,
    sinceStart: seg.time !== null && !Number.isNaN(conn.firstTime) ? seg.time - conn.firstTime : null,
    acknowledges: -1,
    original: -1,
  });
}

function inferSeq(fwd: Step['fwd'], rev: Step['rev']): number | null {
  if (!fwd.hasNext) return rev.hasAck ? rev.lastAck : null;
  return rev.hasAck && seqGt(rev.lastAck, fwd.nextSeq) ? rev.lastAck : fwd.nextSeq;
}

function withdrawAckedUnseen(sink: Sink, finding: number, segment: number): void {
  sink.withdrawn.add(finding);
  sink.perSegment.dropCode(segment, 'acked-unseen');
}

/** The results of a segment the walk could not follow (see analyzeOne's callers). */
function recordFallback(i: number, step: Step, e: unknown, sink: Sink): void {
  const unknown: StateInference = {
    state: null,
    confidence: 'assumed',
    rule: 'internal-error',
    reason: `The analysis could not follow this segment (${e instanceof Error ? e.message : String(e)}).`,
  };
  sink.perSegment.record(i, {
    connection: step.conn === undefined ? -1 : step.conn.id,
    c2s: step.c2s,
    sender: unknown,
    receiver: unknown,
    phase: 'data',
    role: 'Segment',
    relSeq: null,
    relAck: null,
    codes: NO_CODES,
    bytesInFlight: null,
    sinceStart: null,
    acknowledges: -1,
    original: -1,
  });
}

export function analyzeTrace(text: string, options: AnalysisOptions = {}): AnalysisResult {
  return analyzeParsed(parseTrace(text), options);
}
