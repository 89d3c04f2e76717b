// SYN flood (RFC 4987): many half-open attempts to one listener from many
// distinct sources within a short time. One finding per episode, on its first SYN.
import type { AnalysisOptions, RelatedLocation, Segment } from '../model';
import { addFinding, related } from '../findings';
import { firstSynOf } from './handshake';
import type { ConnTrack, Sink } from '../track';

export const SYN_FLOOD_DEFAULTS = { minHalfOpen: 20, minSources: 5, windowSeconds: 10 } as const;

interface Attempt {
  conn: number;
  syn: Segment;
  source: string;
}

function halfOpen(conn: ConnTrack): boolean {
  return (
    conn.sawSyn && !conn.refused && conn.establishedIndex < 0 && !conn.simultaneous && conn.resetIndex < 0
  );
}

export function checkSynFlood(
  conns: readonly ConnTrack[],
  segs: readonly Segment[],
  sink: Sink,
  options: AnalysisOptions,
): void {
  const minHalfOpen = Math.max(2, options.synFloodMinHalfOpen ?? SYN_FLOOD_DEFAULTS.minHalfOpen);
  const minSources = Math.max(1, options.synFloodMinSources ?? SYN_FLOOD_DEFAULTS.minSources);
  const window = options.synFloodWindowSeconds ?? SYN_FLOOD_DEFAULTS.windowSeconds;
  const byListener = new Map<string, Attempt[]>();
  for (const conn of conns) {
    if (!halfOpen(conn)) continue;
    const key = `${conn.server.host}|${conn.server.port}`;
    let list = byListener.get(key);
    if (list === undefined) byListener.set(key, (list = []));
    list.push({ conn: conn.id, syn: firstSynOf(conn, segs), source: conn.client.host });
  }
  for (const [key, list] of byListener) {
    if (list.length < minHalfOpen) continue;
    list.sort((a, b) => a.syn.index - b.syn.index);
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
      if (hi - lo + 1 >= minHalfOpen && sources.size >= minSources && lo > reportedUpTo) {
        // Extend the episode as long as attempts keep coming within the window.
        let end = hi;
        while (end + 1 < list.length && within(list[end].syn, list[end + 1].syn, window)) end++;
        const all = new Set<string>();
        for (let k = lo; k <= end; k++) all.add(list[k].source);
        const first = list[lo].syn;
        const last = list[end].syn;
        const span = first.time !== null && last.time !== null ? last.time - first.time : null;
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
            ` (thresholds: ≥ ${minHalfOpen} attempts from ≥ ${minSources} sources within ${window} s). Defences: SYN cookies, a larger backlog (RFC 4987).`,
          rel,
          { halfOpen: end - lo + 1, sources: all.size, ...(span === null ? {} : { seconds: span }) },
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

function within(a: Segment, b: Segment, window: number): boolean {
  return a.time === null || b.time === null || b.time - a.time <= window;
}

function splitKey(key: string): [string, string] {
  const bar = key.lastIndexOf('|');
  const host = key.slice(0, bar);
  return [host.includes(':') ? `[${host}]` : host, key.slice(bar + 1)];
}
