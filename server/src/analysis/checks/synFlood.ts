// SYN flood (RFC 4987): many half-open attempts to one listener from many
// distinct sources within a short time, making up a large share of all the
// attempts to it then (a busy server's few failures from many clients are not
// a flood). One finding per episode, on its first SYN.
import type { AnalysisOptions, RelatedLocation } from '../model';
import { addFinding, related } from '../findings';
import { firstSynOf } from './handshake';
import { pastOf, type ConnTrack, type PastSegment, type PastSegments, type Sink } from '../track';

export const SYN_FLOOD_DEFAULTS = {
  minHalfOpen: 20,
  minSources: 5,
  windowSeconds: 10,
  minHalfOpenShare: 0.5,
} as const;

/** Where an attempt's first SYN is: what a finding on it and its related locations need. */
export type SynPlace = Pick<PastSegment, 'index' | 'line' | 'endLine' | 'time'>;

/**
 * What the SYN-flood check reads of one connection attempt: the check spans
 * connections (listeners), so it is made of these per-connection facts and an
 * evaluation over all of them (evaluateSynFlood).
 */
export interface FloodAttempt {
  /** The connection's id. */
  readonly conn: number;
  /** The listener (server) as `host|port`. */
  readonly listener: string;
  /** The client's host. */
  readonly source: string;
  readonly halfOpen: boolean;
  /** Its first SYN. */
  readonly syn: SynPlace;
}

function attempt(conn: ConnTrack): boolean {
  return conn.sawSyn && !conn.simultaneous;
}

function halfOpen(conn: ConnTrack): boolean {
  return attempt(conn) && !conn.refused && conn.establishedIndex < 0 && conn.resetIndex < 0;
}

function listenerKey(conn: ConnTrack): string {
  return `${conn.server.host}|${conn.server.port}`;
}

/** How many of the sorted SYN indices lie in [from, to]. */
function countBetween(sorted: readonly number[], from: number, to: number): number {
  return lowerBound(sorted, to + 1) - lowerBound(sorted, from);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A connection's SYN-flood facts (floodAttemptOf) as text ('' when it is no attempt):
 * connections that give the same texts in two analyses leave their SYN-flood
 * findings as they were (the incremental analysis relies on it). `placeOf`
 * writes where the SYN is (its index and line; the incremental analysis maps
 * them when lines or segments moved).
 */
export function floodInputOf(
  conn: ConnTrack,
  segs: readonly PastSegment[],
  placeOf: (syn: SynPlace) => string = (syn) => `${syn.index}|${syn.line}`,
): string {
  const a = floodAttemptOf(conn, pastOf(segs));
  if (a === null) return '';
  const state = a.halfOpen ? 'half-open' : 'answered';
  return `${a.conn}|${a.listener}|${a.source}|${placeOf(a.syn)}|${String(a.syn.time)}|${state}`;
}

/** The connection's SYN-flood facts, or null when it is no connection attempt. */
export function floodAttemptOf(conn: ConnTrack, segs: PastSegments): FloodAttempt | null {
  if (!attempt(conn)) return null;
  return {
    conn: conn.id,
    listener: listenerKey(conn),
    source: conn.client.host,
    halfOpen: halfOpen(conn),
    syn: firstSynOf(conn, segs),
  };
}

/**
 * A trace's connection attempts as evaluateSynFlood reads them, gathered one connection
 * at a time (in the order of their connections): the first SYN's index of every attempt
 * by listener (for the share), and the facts of the half-open ones. Most attempts are
 * answered: an object per attempt (its SYN read back from a streaming analysis' kept
 * segments, its listener's key) took ~270 bytes each, 25,000 of them alive at the end
 * of the 1M bench trace's analysis, where its memory peaks.
 */
export class FloodAttempts {
  /** Per listener (`host|port`), the segment indices of its attempts' first SYNs. */
  readonly synsByListener = new Map<string, number[]>();
  /** The half-open attempts. */
  readonly halfOpen: FloodAttempt[] = [];

  add(conn: ConnTrack, segs: PastSegments): void {
    if (!attempt(conn)) return;
    const key = listenerKey(conn);
    const syn = firstSynOf(conn, segs);
    const syns = this.synsByListener.get(key);
    if (syns === undefined) this.synsByListener.set(key, [syn.index]);
    else syns.push(syn.index);
    if (!halfOpen(conn)) return;
    this.halfOpen.push({
      conn: conn.id,
      listener: key,
      source: conn.client.host,
      halfOpen: true,
      syn: { index: syn.index, line: syn.line, endLine: syn.endLine, time: syn.time },
    });
  }
}

/** The SYN-flood findings of a trace's connection attempts. */
export function evaluateSynFlood(attempts: FloodAttempts, sink: Sink, options: AnalysisOptions): void {
  const minHalfOpen = Math.max(2, options.synFloodMinHalfOpen ?? SYN_FLOOD_DEFAULTS.minHalfOpen);
  const minSources = Math.max(1, options.synFloodMinSources ?? SYN_FLOOD_DEFAULTS.minSources);
  const window = options.synFloodWindowSeconds ?? SYN_FLOOD_DEFAULTS.windowSeconds;
  const minShare = Math.min(
    1,
    Math.max(0, options.synFloodMinHalfOpenShare ?? SYN_FLOOD_DEFAULTS.minHalfOpenShare),
  );
  const byListener = new Map<string, FloodAttempt[]>();
  // Segment indices of every attempt's first SYN per listener, for the share.
  const attemptsByListener = attempts.synsByListener;
  for (const a of attempts.halfOpen) {
    const key = a.listener;
    let list = byListener.get(key);
    if (list === undefined) byListener.set(key, (list = []));
    list.push(a);
  }
  for (const [key, list] of byListener) {
    if (list.length < minHalfOpen) continue;
    list.sort((a, b) => a.syn.index - b.syn.index);
    const attempts = (attemptsByListener.get(key) ?? []).sort((a, b) => a - b);
    const shareOf = (from: number, to: number): { all: number; share: number } => {
      const all = Math.max(1, countBetween(attempts, list[from].syn.index, list[to].syn.index));
      return { all, share: (to - from + 1) / all };
    };
    const sources = new Map<string, number>();
    let lo = 0;
    let reportedUpTo = -1;
    for (let hi = 0; hi < list.length; hi++) {
      sources.set(list[hi].source, (sources.get(list[hi].source) ?? 0) + 1);
      const tHi = list[hi].syn.time;
      while (
        lo < hi &&
        tHi !== null &&
        list[lo].syn.time !== null &&
        tHi - (list[lo].syn.time as number) > window
      ) {
        const s = list[lo].source;
        const n = (sources.get(s) ?? 1) - 1;
        if (n === 0) sources.delete(s);
        else sources.set(s, n);
        lo++;
      }
      if (
        hi - lo + 1 >= minHalfOpen &&
        sources.size >= minSources &&
        lo > reportedUpTo &&
        shareOf(lo, hi).share >= minShare
      ) {
        // Extend the episode as long as attempts keep coming within the window.
        let end = hi;
        while (end + 1 < list.length && within(list[end].syn, list[end + 1].syn, window)) end++;
        const all = new Set<string>();
        for (let k = lo; k <= end; k++) all.add(list[k].source);
        const first = list[lo].syn;
        const last = list[end].syn;
        const span = first.time !== null && last.time !== null ? last.time - first.time : null;
        const { all: attemptsThen, share } = shareOf(lo, end);
        const rel: RelatedLocation[] = [];
        for (let k = lo + 1; k <= end && rel.length < 20; k++)
          rel.push(related(list[k].syn, 'another half-open SYN'));
        const [host, port] = splitKey(key);
        addFinding(
          sink,
          'syn-flood',
          first,
          list[lo].conn,
          `SYN flood: ${end - lo + 1} half-open connections to ${host}:${port} from ${all.size} distinct sources` +
            (span === null ? '' : ` within ${span.toFixed(3)} s`) +
            `, ${Math.round(share * 100)} % of the ${attemptsThen} connection attempts to it in that time` +
            ` (thresholds: ≥ ${minHalfOpen} half-open from ≥ ${minSources} sources within ${window} s, ≥ ${Math.round(minShare * 100)} % of attempts).` +
            ` Defences: SYN cookies, a larger backlog (RFC 4987).`,
          rel,
          {
            halfOpen: end - lo + 1,
            sources: all.size,
            attempts: attemptsThen,
            halfOpenShare: Math.round(share * 1000) / 1000,
            ...(span === null ? {} : { seconds: span }),
          },
        );
        reportedUpTo = end;
        for (let k = hi + 1; k <= end; k++)
          sources.set(list[k].source, (sources.get(list[k].source) ?? 0) + 1);
        hi = end;
        // Next episode starts after this one.
        sources.clear();
        lo = end + 1;
      }
    }
  }
}

function within(a: SynPlace, b: SynPlace, window: number): boolean {
  return a.time === null || b.time === null || b.time - a.time <= window;
}

function splitKey(key: string): [string, string] {
  const bar = key.lastIndexOf('|');
  const host = key.slice(0, bar);
  return [host.includes(':') ? `[${host}]` : host, key.slice(bar + 1)];
}
