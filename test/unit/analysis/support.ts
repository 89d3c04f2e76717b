// Trace text in, compact dumps out: "L3 c2s SYN_SENT>LISTEN? [codes]" and finding lists.
import { analyzeTrace } from '../../../server/src/analysis';
import type { AnalysisOptions, AnalysisResult } from '../../../server/src/analysis';

/** Builds tcpdump -n lines from a compact description, one per segment, at 1 ms steps. */
export function tcpdump(lines: readonly string[], startSecond = 0): string {
  return (
    lines
      .map((l, i) => {
        const t = startSecond + i * 0.001;
        const s = Math.floor(t);
        const frac = Math.round((t - s) * 1e6)
          .toString()
          .padStart(6, '0');
        return `10:00:${String(s).padStart(2, '0')}.${frac} IP ${l}`;
      })
      .join('\n') + '\n'
  );
}

/** `L<line> <code>` for every finding (1-based lines), in order. */
export function findings(r: AnalysisResult): string[] {
  return r.diagnostics.map((d) => `L${d.line + 1} ${d.code}`);
}

/** `L<line> sender>receiver` with `?` for assumed/unknown states. */
export function states(r: AnalysisResult): string[] {
  return [...r.perSegment].map((a) => {
    const s = (x: { state: string | null; confidence: string }): string =>
      `${x.state ?? 'null'}${x.confidence === 'assumed' ? '?' : ''}`;
    return `L${r.segments[a.segment].line + 1} ${s(a.sender)}>${s(a.receiver)}`;
  });
}

export function analyze(text: string, options: AnalysisOptions = {}): AnalysisResult {
  return analyzeTrace(text, options);
}
