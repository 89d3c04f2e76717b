// A trace's timestamps as seconds: what the text normalizer and the capture's segment
// maker both make of the printed times (time of day across midnight, deltas added up,
// tshark's since-first or since-previous, packetdrill's clock). The delta rules are
// decided from the first records, which the two hold until then.
import { TimeKind, type LineRecord } from './records';

export class TraceClock {
  /** `-ttt` deltas are deltas to the first packet (`-ttttt`: same text), not to the previous one. */
  private sinceFirst = false;
  /** tshark's relative times are to the previous packet (`-t d`), not to the first (`-t r`). */
  private tsharkDeltas = false;
  private tsharkSum = 0;
  private dayOffset = 0;
  private lastTod = -1;
  private deltaSum = 0;
  private drillClock = 0;

  /**
   * Decides the delta rules from `held`, the records up to the decision: every record
   * with a delta or since-first timestamp until then is among them.
   */
  decideDeltaRules(held: readonly LineRecord[]): void {
    let prevDelta = -Infinity;
    let deltas = 0;
    let monotonic = true;
    let prevRelative = -Infinity;
    let relativeMonotonic = true;
    for (const r of held) {
      if ((r.kind === 'packet' || r.kind === 'ip-header') && r.timeKind === TimeKind.Delta) {
        if (r.timeValue < prevDelta) monotonic = false;
        prevDelta = r.timeValue;
        deltas++;
      }
      if (r.kind === 'packet' && r.timeKind === TimeKind.SinceFirst) {
        if (r.timeValue < prevRelative) relativeMonotonic = false;
        prevRelative = r.timeValue;
      }
    }
    // -ttt prints the delta to the previous packet, -ttttt the delta to the first: same text.
    this.sinceFirst = monotonic && deltas >= 3;
    // tshark -t r (since the first packet) and -t d (since the previous one) look alike too.
    this.tsharkDeltas = !relativeMonotonic;
  }

  /** The next record's time in seconds (records come in order); null for a line without one. */
  timeOf(kind: TimeKind, value: number): number | null {
    switch (kind) {
      case TimeKind.TimeOfDay: {
        if (this.lastTod >= 0 && value < this.lastTod - 43200) this.dayOffset += 86400;
        this.lastTod = value;
        return value + this.dayOffset;
      }
      case TimeKind.Absolute:
        return value;
      case TimeKind.SinceFirst:
        if (!this.tsharkDeltas) return value;
        this.tsharkSum += value;
        return this.tsharkSum;
      case TimeKind.Delta:
        if (this.sinceFirst) return value;
        this.deltaSum += value;
        return this.deltaSum;
      case TimeKind.DrillRelative:
        this.drillClock += value;
        return this.drillClock;
      case TimeKind.DrillAbsolute:
        this.drillClock = value;
        return this.drillClock;
      case TimeKind.DrillAny:
        return this.drillClock;
      default:
        return null;
    }
  }
}
