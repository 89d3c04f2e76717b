// Segment → connection: by 4-tuple, split into incarnations by ISN.
// A pure SYN with a new ISN on a 4-tuple whose connection already got going
// (or was closed) starts a new connection (port reuse); SYNs repeating the same
// ISN are retransmissions, and a SYN from the other side while the first is
// unanswered is a simultaneous open.
import type { Endpoint, Segment } from './model';
import { ACK, RST, SYN } from './model';
import { newDir, NO_SYNS, NO_TIME, type ConnTrack } from './track';
import { AdvancePool } from './advances';
import { PairSlots } from './tables/pairSlots';
import { newEnd } from './state';
import { SegmentLists } from './segmentLists';

/** What assign() decided for one segment. */
export interface Assignment {
  conn: ConnTrack;
  c2s: boolean;
  /** The previous connection on the same 4-tuple when this segment started a new one. */
  reusedFrom: ConnTrack | null;
}

export class ConnectionTable {
  readonly all: ConnTrack[] = [];
  /**
   * The latest connection of each 4-tuple, by the slot of its pair of endpoint ids (lower
   * id first): open-addressed typed arrays, cheaper than maps to make and look up in.
   */
  private readonly pairs = new PairSlots();
  private readonly byPair: ConnTrack[] = [];
  private readonly endpointIds = new Map<Endpoint, number>();
  /**
   * Endpoint ids (slots) by host id and port; a port that is not a 16-bit number (text
   * traces may print anything) counts as 65536 + its number in `oddPorts`.
   */
  private readonly hostIds = new Map<string, number>();
  private readonly endpointByHostPort = new PairSlots();
  private readonly oddPorts = new Map<string, number>();
  /** The connections' segment indices (ConnTrack.segmentsHead, segmentsTail). */
  readonly segmentLists = new SegmentLists();
  /** The connections' advancing segments (DirTrack's runs). */
  private readonly advances = new AdvancePool();
  /**
   * @param idFor Connection ids by the index of their first segment (re-analysing some
   *   connections of a trace keeps their ids); -1 when it has none. Default: creation order.
   */
  constructor(private readonly idFor?: (firstSegment: number) => number | undefined) {}

  private readonly result: Assignment = {
    conn: undefined as unknown as ConnTrack,
    c2s: true,
    reusedFrom: null,
  };

  /** Stable small number per distinct endpoint (parsers intern Endpoint objects; host and port are the fallback). */
  private idOf(ep: Endpoint): number {
    let id = this.endpointIds.get(ep);
    if (id !== undefined) return id;
    // By host id and port: no key string to build and hash for every new endpoint object.
    let host = this.hostIds.get(ep.host);
    if (host === undefined) this.hostIds.set(ep.host, (host = this.hostIds.size));
    let port = ep.port;
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
      const odd = String(port);
      let n = this.oddPorts.get(odd);
      if (n === undefined) this.oddPorts.set(odd, (n = this.oddPorts.size));
      port = 65536 + n;
    }
    id = this.endpointByHostPort.add(host, port);
    this.endpointIds.set(ep, id);
    // A new id (ids count up from 0): its slot in `latest`.
    if (id === this.latest.length) this.latest.push(null);
    return id;
  }

  /**
   * The latest connection of each endpoint that was a segment's `probe` (below), by its
   * id: one map look-up per segment (the probe's id) instead of two, when it hits. An
   * array by id rather than a map by endpoint: one map of a few tens of thousands of
   * endpoints less to grow (by copies, which the collector promoted) and keep.
   */
  private readonly latest: (ConnTrack | null)[] = [];

  /** Returns a shared object: read it before the next call. */
  assign(seg: Segment): Assignment {
    const src = seg.src;
    const dst = seg.dst;
    // The endpoint that is more likely in one connection only: a client's ephemeral port
    // is usually the higher one (a server's port is in all of its connections). The same
    // endpoint of a 4-tuple is chosen in both directions, unless the ports are equal.
    const probeIsSrc = src.port >= dst.port;
    const probe = probeIsSrc ? src : dst;
    const r = this.result;
    r.reusedFrom = null;
    const probeId = this.idOf(probe);
    let conn = this.latest[probeId];
    let fresh = false;
    // A hit only with the very objects the connection was made with, and only while no
    // later incarnation replaced it (another object of the same endpoint may have made one).
    if (
      conn === null ||
      conn.replaced ||
      !((conn.client === src && conn.server === dst) || (conn.client === dst && conn.server === src))
    ) {
      const a = probeIsSrc ? probeId : this.idOf(src);
      const b = probeIsSrc ? this.idOf(dst) : probeId;
      const lo = a <= b ? a : b;
      const hi = a <= b ? b : a;
      const known = this.lookup(lo, hi);
      fresh = known === undefined;
      conn = known ?? this.create(lo, hi, seg, a === b);
      this.latest[probeId] = conn;
    }
    if (!fresh && startsNewIncarnation(conn, seg)) {
      r.reusedFrom = conn;
      conn.replaced = true;
      const a = this.idOf(src);
      const b = this.idOf(dst);
      conn = this.create(a <= b ? a : b, a <= b ? b : a, seg, a === b);
      this.latest[probeId] = conn;
    }
    r.conn = conn;
    r.c2s =
      conn.self ||
      seg.src === conn.client ||
      (seg.src.host === conn.client.host && seg.src.port === conn.client.port);
    return r;
  }

  private lookup(lo: number, hi: number): ConnTrack | undefined {
    const slot = this.pairs.get(lo, hi);
    return slot < 0 ? undefined : this.byPair[slot];
  }

  private store(lo: number, hi: number, conn: ConnTrack): void {
    this.byPair[this.pairs.add(lo, hi)] = conn;
  }

  private create(lo: number, hi: number, seg: Segment, self: boolean): ConnTrack {
    // A SYN-ACK first means the capture missed the SYN: its receiver is the client.
    const synAck = (seg.flags & (SYN | ACK)) === (SYN | ACK);
    const conn: ConnTrack = {
      id: this.idFor === undefined ? this.all.length : (this.idFor(seg.index) ?? -1),
      client: synAck ? seg.dst : seg.src,
      server: synAck ? seg.src : seg.dst,
      self,
      c2s: newDir(this.advances),
      s2c: newDir(this.advances),
      cEnd: newEnd(),
      sEnd: newEnd(),
      segmentsHead: -1,
      segmentsTail: -1,
      firstSegment: -1,
      firstLine: -1,
      lastSegment: -1,
      lastLine: -1,
      lastEndLine: -1,
      segmentCount: 0,
      synSegments: NO_SYNS,
      firstTime: NO_TIME,
      lastTime: NO_TIME,
      synAckIndex: -1,
      establishedIndex: -1,
      irtt: null,
      sawSyn: (seg.flags & (SYN | ACK | RST)) === SYN,
      simultaneous: false,
      refused: false,
      resetIndex: -1,
      completeness: 0,
      history: '',
      isnChanged: false,
      closedByFin: false,
      flipped: synAck,
      pendingChallenge: -1,
      replaced: false,
    };
    this.all.push(conn);
    this.store(lo, hi, conn);
    return conn;
  }
}

/** Does this pure SYN start a new connection on the 4-tuple? */
function startsNewIncarnation(conn: ConnTrack, seg: Segment): boolean {
  if ((seg.flags & (SYN | ACK | RST)) !== SYN || seg.seq === null) return false;
  if (conn.self) return false;
  const fromClient = seg.src.host === conn.client.host && seg.src.port === conn.client.port;
  const own = fromClient ? conn.c2s : conn.s2c;
  const other = fromClient ? conn.s2c : conn.c2s;
  if (own.isn === seg.seq) {
    // Same ISN: a retransmission, unless the connection has ended since.
    return isClosed(conn);
  }
  if (
    own.isn === null &&
    other.isn !== null &&
    other.synIndex >= 0 &&
    !other.hasAck &&
    conn.synAckIndex < 0
  ) {
    return false; // the other side's SYN is unanswered: simultaneous open
  }
  // An unanswered attempt whose ISN changed stays one connection (syn-isn-changed).
  if (own.isn !== null && conn.synAckIndex < 0 && !other.hasNext && conn.resetIndex < 0) return false;
  return true;
}

function isClosed(conn: ConnTrack): boolean {
  return conn.resetIndex >= 0 || (conn.c2s.finSeq !== null && conn.s2c.finSeq !== null);
}
