// Phase (b): records of all lines → Segment[] plus parse diagnostics, in one
// O(n) pass (and a short hold of the first tcpdump records to tell -S from
// relative numbering and -ttt from -ttttt).
import type { DiagnosticCode, FieldSpan, Finding, InputFormat, Segment, TcpOptions } from '../model';
import { isDiagnosticCode } from './codes';
import { CaptureNumbering } from '../tables/captureNumbering';
import { endpointNumber } from './endpoints';
import { absoluteOf, PairTable, RelativeVote, type Absolute } from './numbering';
import { ACK } from '../model';
import { makeSegment, type MutableSegment } from './segmentObject';
import type { SegmentStore } from './segmentStore';
import { TraceClock } from './traceClock';
import {
  NO_FIELDS,
  Numbering,
  TimeKind,
  type IpHeaderRecord,
  type LineRecord,
  type PacketRecord,
} from './records';

export interface Normalized {
  readonly format: InputFormat;
  readonly segments: Segment[];
  readonly diagnostics: Finding[];
  readonly disabledCodes: DiagnosticCode[];
}

/** How many tcpdump packet records decide -S vs relative and -ttt vs -ttttt. */
export const DECIDE_AFTER = 20000;

/**
 * Streaming phase (b): push() the records in line order, then finish(). The
 * first records are held back until there are enough to decide how the trace
 * prints numbers and deltas; after that each record is handled as it comes, so
 * a caller that does not keep its records lets them die young.
 *
 * The decisions are those made on the first DECIDE_AFTER tcpdump packet records,
 * but they are mostly clear much sooner: the -S vote stops once it is clear
 * (RelativeVote.settled), and the delta rules only matter for records with a
 * delta or since-first timestamp. So while none of those has come, the records
 * are handled as soon as the vote is settled; should one come before the
 * DECIDE_AFTER-th packet, the records from it on are held again until then (the
 * ones handled before did not depend on the delta rules).
 */
export class Normalizer {
  /**
   * @param reuse Segments made from the same records before (see normalize()); null
   *   when records are not kept (parseTrace), so nothing is remembered.
   * @param onSegment Takes each segment as it is made; they are then not kept
   *   (finish() returns no segments).
   * @param store Makes the segments with their numbers in columns (the language
   *   server's whole read, see segmentStore.ts); null: TextSegments.
   */
  constructor(
    private readonly reuse: WeakMap<PacketRecord, Segment> | null = null,
    private readonly onSegment: ((segment: Segment) => void) | null = null,
    private readonly store: SegmentStore | null = null,
  ) {}

  /** Segments made so far. */
  private made = 0;

  private readonly segments: Segment[] = [];
  private readonly diagnostics: Finding[] = [];
  private readonly disabled: DiagnosticCode[] = [];
  private readonly held: LineRecord[] = [];
  private readonly heldLines: number[] = [];
  /** tcpdump packet records pushed so far, up to DECIDE_AFTER (where the decisions are final). */
  private windowPackets = 0;
  /** Records are handled as they come (none is held). */
  private decided = false;
  /** A record with a delta or since-first timestamp came before the DECIDE_AFTER-th packet. */
  private deltasSeen = false;
  private readonly vote = new RelativeVote();
  private relative = true;
  /**
   * tcpdump's relative numbers replayed on endpoint numbers (absoluteOf() does the
   * same on the objects: two Map look-ups a line, where this looks up one pair of
   * small integers).
   */
  private readonly tcpdumpNumbering = new CaptureNumbering();
  /**
   * Per endpoint number: 1 + the number of the peer of its latest numbering entry
   * (0: none yet), and that entry's slot. A client's endpoint is in one connection,
   * so one of a line's two endpoints names its entry without the pair table's hash
   * (entries never move); both tables are dense, so the open connections' rows are
   * near each other in memory.
   */
  private peerOf = new Int32Array(0);
  private entryOf = new Int32Array(0);
  private readonly tcpdumpTable = new PairTable();
  private readonly drillTable = new PairTable();
  private readonly abs: Absolute = { seq: null, ack: null, sack: undefined };
  private readonly formatCount = [0, 0, 0];

  private readonly clock = new TraceClock();

  private header: IpHeaderRecord | null = null;
  private headerLine = 0;
  private pending: PacketRecord | null = null;
  private pendingLine = 0;
  private pendingEnd = 0;
  private pendingTime: number | null = null;
  private pendingIp: PacketRecord['ip'] = undefined;
  private pendingFields: readonly FieldSpan[] = [];
  /**
   * The segment of the last packet read by fastPacket(), made at once (no record
   * to keep until the next line): continuation lines may still extend it.
   */
  private built: MutableSegment | null = null;

  /**
   * true while the records pushed are all kept (the first ones, until the trace's
   * numbering is decided); after that a packet record is let go when the next
   * packet, IP header, packet of another protocol or error is pushed, and a caller
   * may then fill the same object again (TraceParser's fast reader does).
   */
  get holdsRecords(): boolean {
    return !this.decided || this.reuse !== null;
  }

  /**
   * handle() and flush() of a packet record from the fast reader (tcpdumpFast.ts)
   * in one, once the numbering is decided and records are not kept (holdsRecords
   * false): its segment is made now, in the order the two would make it. Such a
   * record has a timestamp, known flags, tcpdump numbering, no IP notes, no
   * spans; the caller may fill it again when this returns.
   */
  fastPacket(r: PacketRecord, line: number): void {
    if (this.windowPackets < DECIDE_AFTER) {
      // Decided before the DECIDE_AFTER-th packet (see the class comment): counted, and held
      // by push() when the delta rules are not known yet.
      if (needsDeltaRules(r)) {
        this.push(r, line);
        return;
      }
      this.windowPackets++;
    }
    this.flush();
    this.header = null;
    const time = this.clock.timeOf(r.timeKind, r.timeValue);
    const abs = this.abs;
    const given = r.options;
    if (this.relative) this.tcpdumpAbsolute(r, abs);
    else {
      abs.seq = r.printedSeq;
      abs.ack = (r.flags & ACK) !== 0 ? r.printedAck : null;
      abs.sack = given.sack;
    }
    const options = abs.sack === given.sack ? given : { ...given, sack: abs.sack };
    // A fast record has no IP notes and no spans (see above).
    const s = this.segment(this.made++, line, line, time, r, abs.seq, abs.ack, options, NO_FIELDS, undefined);
    this.formatCount[0]++;
    this.built = s;
  }

  /** `line` is the record's line number (index in the trace). */
  push(r: LineRecord, line: number): void {
    if (this.decided && this.windowPackets >= DECIDE_AFTER) {
      this.handle(r, line);
      return;
    }
    if (needsDeltaRules(r)) this.deltasSeen = true;
    let kept = r;
    if (this.decided) {
      if (!this.deltasSeen) {
        this.handle(r, line);
        if (r.kind === 'packet' && r.numbering === Numbering.Tcpdump) this.windowPackets++;
        return;
      }
      // The delta rules are not known yet: the records are held again, from this one on (a
      // copy of it when the caller may fill it again, as it may while nothing is held).
      this.decided = false;
      if (this.reuse === null && r.kind === 'packet') kept = { ...r };
    }
    this.held.push(kept);
    this.heldLines.push(line);
    if (kept.kind === 'packet' && kept.numbering === Numbering.Tcpdump) {
      this.vote.add(kept);
      if (++this.windowPackets >= DECIDE_AFTER) {
        this.decide();
        return;
      }
    }
    if (this.vote.settled && !this.deltasSeen) this.decide();
  }

  finish(): Normalized {
    if (!this.decided) this.decide();
    this.flush();
    let format: InputFormat = 'unknown';
    const c = this.formatCount;
    const best = Math.max(c[0] as number, c[1] as number, c[2] as number);
    if (best > 0) format = best === c[0] ? 'tcpdump' : best === c[1] ? 'tshark' : 'packetdrill';
    return { format, segments: this.segments, diagnostics: this.diagnostics, disabledCodes: this.disabled };
  }

  /**
   * Sets the numbering and the delta rules from the records held (or, for the vote, pushed)
   * so far, then handles the held records. The delta rules come from records that are all
   * held: those with a delta or since-first timestamp are never handled before this.
   */
  private decide(): void {
    const held = this.held;
    this.relative = this.vote.relative;
    this.clock.decideDeltaRules(held);
    this.decided = true;
    for (let i = 0; i < held.length; i++) this.handle(held[i] as LineRecord, this.heldLines[i] as number);
    held.length = 0;
    this.heldLines.length = 0;
  }

  private flush(): void {
    const built = this.built;
    if (built !== null) {
      this.built = null;
      this.emit(built);
      return;
    }
    const r = this.pending;
    if (r === null) return;
    this.pending = null;
    const abs = this.abs;
    if (r.numbering === Numbering.Tcpdump && this.relative) this.tcpdumpAbsolute(r, abs);
    else absoluteOf(r, this.relative, this.tcpdumpTable, this.drillTable, abs);
    const seq = r.flagsKnown ? abs.seq : null;
    const ack = r.flagsKnown ? abs.ack : null;
    const index = this.made++;
    if (this.reuse !== null) {
      // The language server normalizes the same records after every edit: an unchanged
      // record that comes out the same reuses its Segment instead of allocating one.
      const old = this.reuse.get(r);
      if (
        old !== undefined &&
        old.index === index &&
        old.line === this.pendingLine &&
        old.endLine === this.pendingEnd &&
        old.time === this.pendingTime &&
        old.seq === seq &&
        old.ack === ack &&
        sameSpans(old.fields, this.pendingFields) &&
        old.ip === this.pendingIp &&
        (old.options === r.options || old.options.sack === abs.sack)
      ) {
        this.emit(old);
        this.formatCount[r.format === 'tcpdump' ? 0 : r.format === 'tshark' ? 1 : 2]++;
        return;
      }
    }
    const options: TcpOptions = abs.sack === r.options.sack ? r.options : { ...r.options, sack: abs.sack };
    const s = this.segment(
      index,
      this.pendingLine,
      this.pendingEnd,
      this.pendingTime,
      r,
      seq,
      ack,
      options,
      this.pendingFields,
      this.pendingIp,
    );
    this.emit(s);
    if (this.reuse !== null) this.reuse.set(r, s);
    this.formatCount[r.format === 'tcpdump' ? 0 : r.format === 'tshark' ? 1 : 2]++;
  }

  /** makeSegment()'s segment, made by the store when there is one (the language server's whole read). */
  private segment(
    index: number,
    line: number,
    endLine: number,
    time: number | null,
    r: PacketRecord,
    seq: number | null,
    ack: number | null,
    options: TcpOptions,
    fields: readonly FieldSpan[],
    ip: Segment['ip'],
  ): MutableSegment {
    return this.store === null
      ? makeSegment(index, line, endLine, time, r, seq, ack, options, fields, ip)
      : this.store.make(index, line, endLine, time, r, seq, ack, options, fields, ip);
  }

  /** tcpdumpAbsolute() of r on endpoint numbers, its entry found through peerOf when known. */
  private tcpdumpAbsolute(r: PacketRecord, abs: Absolute): void {
    const a = endpointNumber(r.src);
    const b = endpointNumber(r.dst);
    let peers = this.peerOf;
    let known = -1;
    if (a < peers.length && peers[a] === b + 1) known = this.entryOf[a] as number;
    else if (b < peers.length && peers[b] === a + 1) known = this.entryOf[b] as number;
    const e = this.tcpdumpNumbering.absolute(
      a,
      b,
      r.flags,
      r.flagsKnown,
      r.printedSeq,
      r.printedAck,
      r.options.sack,
      abs,
      known,
    );
    if (e < 0 || e === known) return;
    const top = a > b ? a : b;
    if (top >= peers.length) {
      const size = Math.max(top + 1, 2 * peers.length, 1024);
      const grownPeers = new Int32Array(size);
      grownPeers.set(peers);
      this.peerOf = peers = grownPeers;
      const grownEntries = new Int32Array(size);
      grownEntries.set(this.entryOf);
      this.entryOf = grownEntries;
    }
    const entries = this.entryOf;
    peers[a] = b + 1;
    entries[a] = e;
    peers[b] = a + 1;
    entries[b] = e;
  }

  private emit(s: Segment): void {
    if (this.onSegment !== null) this.onSegment(s);
    else this.segments.push(s);
  }

  // Lines come from `line`, not from the records' own `line` fields: the language server
  // keeps records across edits that insert or delete lines, so theirs may be out of date.
  private handle(r: LineRecord, line: number): void {
    switch (r.kind) {
      case 'packet': {
        this.flush();
        this.pending = r;
        this.pendingEnd = line;
        this.pendingIp = r.ip;
        const h = this.header;
        if (h !== null && r.timeKind === TimeKind.None && line === this.headerLine + 1) {
          // Second line of the IPv4 -v form: the packet starts on the header line.
          this.pendingLine = this.headerLine;
          this.pendingTime = this.clock.timeOf(h.timeKind, h.timeValue);
          this.pendingIp = h.ip;
          this.pendingFields = h.fields.length === 0 ? r.fields : h.fields.concat(r.fields);
        } else {
          this.pendingLine = line;
          this.pendingTime = this.clock.timeOf(r.timeKind, r.timeValue);
          this.pendingFields = r.fields;
        }
        this.header = null;
        break;
      }
      case 'ip-header':
        this.flush();
        this.header = r;
        this.headerLine = line;
        break;
      case 'continuation':
        if (this.built !== null) this.built.endLine = line;
        else if (this.pending !== null) this.pendingEnd = line;
        break;
      case 'skip':
        if (r.endsPacket) this.flush();
        this.header = null;
        break;
      case 'drill-time':
        this.clock.timeOf(r.timeKind, r.timeValue);
        break;
      case 'directive':
        for (const c of r.codes) {
          if (isDiagnosticCode(c.code)) {
            if (!this.disabled.includes(c.code)) this.disabled.push(c.code);
          } else {
            this.diagnostics.push({
              code: 'parse-error',
              severity: 'warning',
              message: `tcptrace-disable: unknown diagnostic code '${c.code}'`,
              line,
              endLine: line,
              startChar: c.start,
              endChar: c.end,
              related: [],
            });
          }
        }
        break;
      case 'error':
        this.flush();
        this.header = null;
        this.diagnostics.push({
          code: 'parse-error',
          severity: 'error',
          message: r.message,
          line,
          endLine: line,
          startChar: r.start,
          endChar: r.end,
          related: [],
        });
        break;
    }
  }
}

/** Same span objects (the two-line -v form joins its two lines' spans into a new array). */
function sameSpans(a: readonly FieldSpan[], b: readonly FieldSpan[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Segments by record, across normalize() calls: records kept by a caller come back after edits. */
const reusable = new WeakMap<PacketRecord, Segment>();

/**
 * Turns the per-line records (index = line number; holes allowed) into
 * segments: one pass, one Segment per packet, arrays and options shared when
 * unchanged.
 */
export function normalize(records: readonly (LineRecord | undefined)[]): Normalized {
  const n = new Normalizer(reusable);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r !== undefined) n.push(r, i);
  }
  return n.finish();
}

/** Does the time of this record depend on the delta rules (Normalizer.decide's sinceFirst and tsharkDeltas)? */
export function needsDeltaRules(r: LineRecord): boolean {
  return (
    (r.kind === 'packet' || r.kind === 'ip-header') &&
    (r.timeKind === TimeKind.Delta || r.timeKind === TimeKind.SinceFirst)
  );
}
