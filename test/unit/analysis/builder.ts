// Builds Segment objects directly (no parser), for property tests over arbitrary sequences.
import type { Endpoint, Segment, TcpOptions } from '../../../server/src/analysis';

export interface SegmentSpec {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly flags: number;
  readonly seq: number | null;
  readonly ack: number | null;
  readonly len: number;
  readonly win: number | null;
  readonly time: number | null;
  readonly options?: TcpOptions;
  readonly badChecksum?: boolean | null;
  readonly ttl?: number;
}

export function buildSegments(specs: readonly SegmentSpec[]): Segment[] {
  return specs.map((s, index) => ({
    index,
    line: index,
    endLine: index,
    format: 'tcpdump',
    time: s.time,
    src: s.from,
    dst: s.to,
    flags: s.flags,
    seq: s.seq,
    ack: s.ack,
    printedSeq: s.seq,
    printedAck: s.ack,
    len: s.len,
    win: s.win,
    urg: null,
    options: s.options ?? {},
    truncated: false,
    badChecksum: s.badChecksum ?? null,
    ...(s.ttl === undefined ? {} : { ip: { ttl: s.ttl } }),
    fields: [],
  }));
}
