// Segments of one parse may be TextSegments or StoredSegments (numbers in columns,
// read through getters: parse/segmentStore.ts), which deepStrictEqual cannot see
// alike: what a test compares of a segment is every Segment property it has.
import type { Segment } from '../../server/src/analysis';

const KEYS = [
  'index',
  'line',
  'endLine',
  'format',
  'time',
  'src',
  'dst',
  'flags',
  'seq',
  'ack',
  'printedSeq',
  'printedAck',
  'len',
  'win',
  'urg',
  'options',
  'truncated',
  'flagsUnknown',
  'badChecksum',
  'ip',
  'toolLabels',
  'appText',
  'fields',
] as const satisfies readonly (keyof Segment)[];

// Fails to compile when Segment gains a property KEYS does not list.
type Unlisted = Exclude<keyof Segment, (typeof KEYS)[number]>;
const everyKeyListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyKeyListed;

/** Every property of `s` that is not undefined, as a plain object. */
export function plainSegment(s: Segment): Partial<Record<keyof Segment, unknown>> {
  const o: Partial<Record<keyof Segment, unknown>> = {};
  for (const k of KEYS) if (s[k] !== undefined) o[k] = s[k];
  return o;
}

export function plainSegments(segments: readonly Segment[]): Partial<Record<keyof Segment, unknown>>[] {
  return segments.map(plainSegment);
}
