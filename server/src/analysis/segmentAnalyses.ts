// Per-segment analyses made on demand. The language server analyses a document
// without them (AnalysisOptions.perSegment false: half the walk's time and a
// third of what it keeps for a big trace) and leaves AnalysisResult.perSegment
// full of holes; a request that reads the analyses of some lines has them made
// here first. A connection depends only on the segments of its own 4-tuple, the
// vantage point and the disabled codes (see incremental.ts), so walking every
// incarnation of a 4-tuple alone gives the analyses the whole walk gives.
import { analyzeConnectionsInSteps } from './analyze';
import { segmentsOf } from './incrementalSegments';
import type { AnalysisResult, Connection, DiagnosticCode, Endpoint, SegmentAnalysis } from './model';

/** `result` without per-segment analyses yet: every entry a hole, to be made by fillInSteps(). */
export function withoutSegmentAnalyses(result: AnalysisResult): AnalysisResult {
  return { ...result, perSegment: new Array<SegmentAnalysis>(result.segments.length) };
}

/** The connections on the 4-tuples of the segments `wanted` lists whose analysis is missing. */
export function missingConnections(result: AnalysisResult, wanted: Iterable<number>): Connection[] {
  const segs = result.segments;
  const per = result.perSegment;
  const taken = new Set<number>();
  const conns: Connection[] = [];
  for (const i of wanted) {
    const s = segs[i];
    if (s === undefined || per[i] !== undefined) continue;
    const onPair = connectionsOnPair(result, s.src, s.dst);
    if (onPair.length === 0 || taken.has(onPair[0]!.id)) continue;
    for (const c of onPair) {
      taken.add(c.id);
      conns.push(c);
    }
  }
  return conns.sort((a, b) => a.id - b.id);
}

/** The connections on every 4-tuple with a missing analysis. */
export function allMissingConnections(result: AnalysisResult): Connection[] {
  return missingConnectionsFrom(result, 0, Number.POSITIVE_INFINITY).conns;
}

/**
 * The connections on the 4-tuples with a missing analysis, from connection id
 * `from` on, until they have at least `maxSegments` segments; `next`: the id to
 * go on from (the number of connections when none is left). For making every
 * analysis a part at a time, so that requests for a few lines get theirs made in
 * between. `minSegments`: only 4-tuples with a connection of at least that many
 * segments.
 */
export function missingConnectionsFrom(
  result: AnalysisResult,
  from: number,
  maxSegments: number,
  minSegments = 0,
): { conns: Connection[]; next: number } {
  const per = result.perSegment;
  const all = result.connections;
  const conns: Connection[] = [];
  const taken = new Set<number>();
  let segments = 0;
  let k = from;
  for (; k < all.length && segments < maxSegments; k++) {
    const c = all[k]!;
    if (c.segments.length < minSegments || !c.segments.some((i) => per[i] === undefined)) continue;
    const first = c.segments[0];
    const s = first === undefined ? undefined : result.segments[first];
    if (s === undefined) continue;
    // Every incarnation of the 4-tuple (the walk needs them all; fillInSteps keeps those made).
    for (const other of connectionsOnPair(result, s.src, s.dst)) {
      if (taken.has(other.id)) continue;
      taken.add(other.id);
      conns.push(other);
      segments += other.segments.length;
    }
  }
  return { conns: conns.sort((a, b) => a.id - b.id), next: k };
}

/** Connection ids by pairHash() of their endpoints, and the connections they were taken from. */
interface PairTable {
  readonly byHash: Map<number, number[]>;
  /** builtFrom[id]: the connection with that id when its hash was filed. */
  readonly builtFrom: Connection[];
  /** The last result checked against builtFrom. */
  checked: AnalysisResult | undefined;
}

/**
 * By connections array: an edit writes its version into the previous one's arrays
 * (incremental.ts), so the table is brought up to date instead of made again
 * (25,000 connections take about 100 ms).
 */
const pairTables = new WeakMap<readonly Connection[], PairTable>();

function pairTableOf(result: AnalysisResult): PairTable {
  const conns = result.connections;
  let table = pairTables.get(conns);
  if (table === undefined || table.builtFrom.length !== conns.length) {
    table = { byHash: new Map(), builtFrom: [], checked: undefined };
    for (const c of conns) file(table, c);
    pairTables.set(conns, table);
  } else if (table.checked !== result) {
    // Connections an edit replaced (the same ids on the same 4-tuples, but check).
    for (let id = 0; id < conns.length; id++) {
      const old = table.builtFrom[id]!;
      const c = conns[id]!;
      if (c === old) continue;
      const ids = table.byHash.get(pairHash(old.client, old.server));
      const k = ids?.indexOf(id) ?? -1;
      if (k >= 0) ids!.splice(k, 1);
      file(table, c);
    }
  }
  table.checked = result;
  return table;
}

function file(table: PairTable, c: Connection): void {
  const h = pairHash(c.client, c.server);
  const ids = table.byHash.get(h);
  if (ids === undefined) table.byHash.set(h, [c.id]);
  else {
    // Ascending, as the connections come.
    let k = ids.length;
    while (k > 0 && ids[k - 1]! > c.id) k--;
    ids.splice(k, 0, c.id);
  }
  table.builtFrom[c.id] = c;
}

/**
 * Every connection on the 4-tuple of `x` and `y` (either way round), by id. A
 * table by a number made from the endpoints (equal endpoints checked after): key
 * strings for every connection (pairKeyOf) take too long for a request.
 */
function connectionsOnPair(result: AnalysisResult, x: Endpoint, y: Endpoint): Connection[] {
  const out: Connection[] = [];
  for (const id of pairTableOf(result).byHash.get(pairHash(x, y)) ?? []) {
    const c = result.connections[id]!;
    if ((same(c.client, x) && same(c.server, y)) || (same(c.client, y) && same(c.server, x))) out.push(c);
  }
  return out;
}

/** The same endpoint as the connection table sees it (host and port, see pairKeyOf). */
function same(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.host === b.host;
}

/** A number for the two endpoints, the same either way round (equal endpoints are checked after). */
function pairHash(x: Endpoint, y: Endpoint): number {
  // Kept to 30 bits: a small integer key, no heap number.
  return (endpointHash(x) ^ endpointHash(y)) & 0x3fffffff;
}

function endpointHash(e: Endpoint): number {
  let h = e.port | 0;
  const host = e.host;
  for (let k = 0; k < host.length; k++) h = (Math.imul(h, 31) + host.charCodeAt(k)) | 0;
  return h;
}

/**
 * Makes the analyses of every segment of `conns` (whole 4-tuples, see
 * missingConnections) and writes the missing ones into `result.perSegment` at
 * the end, all at once: a caller that stops driving the steps leaves the result as it was.
 * Yields every `stepSize` segments; false when the walk could not name a
 * connection (the result then stays as it was).
 */
export function* fillInSteps(
  result: AnalysisResult,
  disabledCodes: readonly DiagnosticCode[],
  conns: readonly Connection[],
  stepSize = 1024,
): Generator<void, boolean, void> {
  if (conns.length === 0) return true;
  const indices = segmentsOf(conns);
  const idByFirst = new Map<number, number>();
  for (const c of conns) idByFirst.set(c.segments[0]!, c.id);
  const segs = result.segments;
  // Dense when most segments are walked (a sparse array of many entries turns into a dictionary).
  const scratch: SegmentAnalysis[] =
    indices.length > segs.length / 8 ? new Array<SegmentAnalysis>(segs.length) : [];
  const parsed = {
    format: result.format,
    lineCount: result.lineCount,
    segments: segs,
    diagnostics: [],
    disabledCodes,
  };
  const walked = yield* analyzeConnectionsInSteps(
    parsed,
    indices,
    result.vantage,
    scratch,
    (first) => idByFirst.get(first),
    stepSize,
  );
  if (walked === undefined) return false;
  // Only the missing ones: an analysis made before stays the object requests have seen.
  const per = result.perSegment as SegmentAnalysis[];
  for (const i of indices) if (per[i] === undefined) per[i] = scratch[i]!;
  return true;
}
