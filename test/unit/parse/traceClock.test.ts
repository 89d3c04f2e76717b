// The printed timestamps as seconds (parse/traceClock.ts), shared by the text normalizer
// and the capture's segment maker: each case is a list of printed times and the seconds
// they must become.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newPacketRecord, TimeKind, type LineRecord } from '../../../server/src/analysis/parse/records';
import { TraceClock } from '../../../server/src/analysis/parse/traceClock';

function packet(timeKind: TimeKind, timeValue: number): LineRecord {
  return { ...newPacketRecord(), timeKind, timeValue };
}

/** The seconds of `times` (all of one kind), the delta rules decided from all of them first. */
function secondsOf(kind: TimeKind, times: readonly number[]): (number | null)[] {
  const clock = new TraceClock();
  clock.decideDeltaRules(times.map((t) => packet(kind, t)));
  return times.map((t) => clock.timeOf(kind, t));
}

describe('trace clock', () => {
  const cases: [string, TimeKind, number[], (number | null)[]][] = [
    ['time of day across midnight', TimeKind.TimeOfDay, [86399.5, 0.25, 1], [86399.5, 86400.25, 86401]],
    ['epoch seconds as printed', TimeKind.Absolute, [1700000000.5, 1700000001], [1700000000.5, 1700000001]],
    // -ttt: deltas to the previous packet (not monotonic), added up.
    ['-ttt deltas added up', TimeKind.Delta, [0, 0.5, 0.25, 1], [0, 0.5, 0.75, 1.75]],
    // -ttttt prints deltas to the first packet: monotonic, three or more: kept as printed.
    ['-ttttt since the first packet', TimeKind.Delta, [0, 0.25, 0.5, 1], [0, 0.25, 0.5, 1]],
    ['tshark -t r since the first packet', TimeKind.SinceFirst, [0, 0.1, 0.3], [0, 0.1, 0.3]],
    // tshark -t d: since the previous packet, which is not monotonic: added up.
    ['tshark -t d since the previous packet', TimeKind.SinceFirst, [0, 0.5, 0.25], [0, 0.5, 0.75]],
    ['packetdrill relative times', TimeKind.DrillRelative, [0, 0.1, 0.2], [0, 0.1, 0.30000000000000004]],
    ['no timestamp', TimeKind.None, [0, 0], [null, null]],
  ];
  for (const [name, kind, times, expected] of cases) {
    test(name, () => assert.deepStrictEqual(secondsOf(kind, times), expected));
  }
});
