// The segments of a capture's rendering, made as the text parser's Normalizer
// (parse/normalize.ts) makes them from the lines' records, with a second way
// in for the common line: its fields straight from the decoded headers, no
// record and no text. Both kinds of line share one state (the -S vote, the
// relative-number entries, the day rollover), so a line read from its text
// and a line built from its fields come out as the text path makes them.
// direct.test.ts holds this to the text path on every capture and on damage,
// long.test.ts past the held-back lines.
//
// Why the record rules are written here a second time instead of calling a
// Normalizer: that state is private to it and lives per record, and the
// direct lines must update the very same state (an entry made by a line read
// from text numbers the direct lines after it) without the record that is
// the whole cost saved here. Sharing them means opening the Normalizer's
// state to a second kind of line, a change to parse/normalize.ts (not this
// helper's to make; proposed to its owner).
import type { DiagnosticCode, Endpoint, FieldSpan, Finding, Segment, TcpOptions } from '../model';
import { ACK } from '../model';
import { isDiagnosticCode } from '../parse/codes';
import type { MutableOptions } from '../parse/tcpdumpOptions';
import { DECIDE_AFTER, needsDeltaRules, type Normalized } from '../parse/normalize';
import { drillAbsolute, PairTable, RelativeVote, type Absolute } from '../parse/numbering';
import { makeSegment, makeWireSegment } from '../parse/segmentObject';
import { TraceClock } from '../parse/traceClock';
import {
  NO_FIELDS,
  Numbering,
  TimeKind,
  type IpHeaderRecord,
  type LineRecord,
  type PacketRecord,
} from '../parse/records';
import type { CaptureEndpoints } from './captureEndpoints';
import { CaptureNumbering } from '../tables/captureNumbering';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One packet line built from its decoded fields (filled by the caller, reused
 * from line to line): a tcpdump line with flags, printed numbers as tcpdump
 * prints them, and its options with SACK edges as printed.
 */
export interface DirectLine {
  timeKind: TimeKind;
  timeValue: number;
  /** Endpoint ids (CaptureEndpoints), and their objects (`byId` of the ids). */
  src: number;
  dst: number;
  srcEndpoint: Endpoint;
  dstEndpoint: Endpoint;
  /** The numbering slot of the endpoint pair as direct() last left it for them, or -1; direct() updates it. */
  pair: number;
  flags: number;
  printedSeq: number | null;
  /** The printed ack; null exactly when ACK is clear. */
  printedAck: number | null;
  /**
   * With ACK: tcpdump's bases after this line (as int32), of the sender's
   * sequence space and of the receiver's: direct() compares them with the
   * normaliser's entry (CaptureNumbering.sync).
   */
  srcBase: number;
  dstBase: number;
  len: number;
  win: number;
  urg: number | null;
  options: TcpOptions;
}

/** A segment the maker writes direct lines into again and again (transient mode), with its options object. */
interface Reused {
  segment: Mutable<Segment> | null;
  readonly options: MutableOptions;
}

export class SegmentMaker {
  /**
   * Transient mode: the two segments direct lines are written into in turn (one
   * may be pending, which a continuation line may still extend, while the next
   * packet's fields are read); null when every segment is a new object.
   */
  private readonly reused: readonly [Reused, Reused] | null;
  /** Which of `reused` the next direct line is written into. */
  private turn = 0;

  /**
   * @param endpoints Where the direct lines' endpoint ids come from.
   * @param onSegment Takes each segment as it is made; they are then not kept.
   * @param transient The segments of direct lines (and their options, see
   *   reusableOptions) are written into the same two objects in turn: onSegment
   *   must copy what it keeps of a segment before it returns.
   */
  constructor(
    private readonly endpoints: CaptureEndpoints,
    private readonly onSegment: ((segment: Segment) => void) | null,
    transient = false,
  ) {
    this.reused = transient && onSegment !== null ? [reusedSlot(), reusedSlot()] : null;
  }

  /**
   * Transient mode, once decided: the options object the next direct line's
   * options may be read into (the caller sets every field it reads); null when
   * they must be a new object (a held line's record keeps them).
   */
  reusableOptions(): MutableOptions | null {
    return this.decided && this.reused !== null ? this.reused[this.turn].options : null;
  }

  /**
   * While this is false the records are held back (the -S vote, or the delta
   * rules, need them) and direct lines must come as records; while it is true
   * direct() and wireLine() take them. It turns true as soon as the vote is
   * clear (RelativeVote.settled), as the text parser's Normalizer decides (its
   * class comment): mostly after a few hundred lines instead of DECIDE_AFTER.
   * A record with a delta or since-first timestamp before the DECIDE_AFTER-th
   * packet turns it false again until then (a capture's own lines never have
   * one; a line read from a rendered text might).
   */
  decided = false;

  private made = 0;
  private readonly segments: Segment[] = [];
  private readonly diagnostics: Finding[] = [];
  private readonly disabled: DiagnosticCode[] = [];
  private readonly held: LineRecord[] = [];
  private readonly heldLines: number[] = [];
  /** tcpdump packet lines so far, up to DECIDE_AFTER (where the decisions are final). */
  private windowPackets = 0;
  /** A record with a delta or since-first timestamp came before the DECIDE_AFTER-th packet. */
  private deltasSeen = false;
  private readonly vote = new RelativeVote();
  private relative = true;
  private readonly numbering = new CaptureNumbering();
  private readonly drillTable = new PairTable();
  private readonly abs: Absolute = { seq: null, ack: null, sack: undefined };
  private readonly formatCount = [0, 0, 0];

  private readonly clock = new TraceClock();

  private header: IpHeaderRecord | null = null;
  private headerLine = 0;
  /** The last packet's segment: continuation lines may still extend it. */
  private pending: Mutable<Segment> | null = null;

  /** A line's record; `line` is its line number. */
  push(r: LineRecord, line: number): void {
    if (this.decided && this.windowPackets >= DECIDE_AFTER) {
      this.handle(r, line);
      return;
    }
    if (needsDeltaRules(r)) this.deltasSeen = true;
    if (this.decided) {
      if (!this.deltasSeen) {
        this.handle(r, line);
        if (r.kind === 'packet' && r.numbering === Numbering.Tcpdump) this.windowPackets++;
        return;
      }
      // The delta rules are not known yet: the records are held again from this one on (the
      // records handled before did not depend on them). Every record pushed here is its own object.
      this.decided = false;
    }
    this.held.push(r);
    this.heldLines.push(line);
    if (r.kind === 'packet' && r.numbering === Numbering.Tcpdump) {
      this.vote.add(r);
      if (++this.windowPackets >= DECIDE_AFTER) {
        this.decide();
        return;
      }
    }
    if (this.vote.settled && !this.deltasSeen) this.decide();
  }

  /** A direct line (a tcpdump packet line with a time of day or date) counted in the decision window. */
  private countDirect(): void {
    if (this.windowPackets < DECIDE_AFTER) this.windowPackets++;
  }

  /**
   * May a direct line with ACK but no SYN, whose pair's numbering slot is
   * `pair` and whose conversation tcpdump has numbered only in direct lines
   * since the last of them came through direct(), take the wire's numbers as
   * its absolute ones? Yes when the entry is synced: since direct() found its
   * bases equal to tcpdump's, neither table has changed for the pair (a line
   * read from its text clears the entry's sync, one numbered the long way
   * the conversation's Checked flag, and a direct line like this one changes
   * neither table), so absolute() would add to tcpdump's relative numbers the
   * very bases tcpdump took from them: seq − base + base, and so for ack and
   * the SACK edges (mod 2^32).
   */
  wireNumbers(pair: number): boolean {
    return this.decided && this.relative && this.numbering.isSynced(pair);
  }

  /** A line built from its fields (only once decided): what handle() does with its record (see also wireLine()). */
  direct(d: DirectLine, line: number): void {
    this.countDirect();
    this.flush();
    const time = this.clock.timeOf(d.timeKind, d.timeValue);
    const abs = this.abs;
    const sack = d.options.sack;
    if (this.relative) {
      d.pair = this.numbering.absolute(
        d.src,
        d.dst,
        d.flags,
        true,
        d.printedSeq,
        d.printedAck,
        sack,
        abs,
        d.pair,
      );
      if ((d.flags & ACK) !== 0) this.numbering.sync(d.pair, d.src, d.srcBase, d.dstBase);
    } else {
      abs.seq = d.printedSeq;
      abs.ack = d.printedAck;
      abs.sack = sack;
    }
    const options = abs.sack === sack ? d.options : { ...d.options, sack: abs.sack };
    this.add(
      line,
      time,
      d.srcEndpoint,
      d.dstEndpoint,
      d.flags,
      abs.seq,
      abs.ack,
      d.printedSeq,
      d.printedAck,
      d.len,
      d.win,
      d.urg,
      options,
    );
  }

  /**
   * A direct line that wireNumbers() allows (with ACK, without SYN): its
   * absolute numbers are the wire's `seq` (null when not printed) and `ack`,
   * and `options` holds the wire's SACK edges. No entry is asked or changed.
   */
  wireLine(
    line: number,
    timeKind: TimeKind,
    timeValue: number,
    src: Endpoint,
    dst: Endpoint,
    flags: number,
    seq: number | null,
    ack: number,
    printedSeq: number | null,
    printedAck: number,
    len: number,
    win: number,
    urg: number | null,
    options: TcpOptions,
  ): void {
    this.countDirect();
    this.flush();
    const time = this.clock.timeOf(timeKind, timeValue);
    this.add(line, time, src, dst, flags, seq, ack, printedSeq, printedAck, len, win, urg, options);
  }

  /** The segment of a line built from its fields, pending (a continuation line may extend it). */
  private add(
    line: number,
    time: number | null,
    src: Endpoint,
    dst: Endpoint,
    flags: number,
    seq: number | null,
    ack: number | null,
    printedSeq: number | null,
    printedAck: number | null,
    len: number,
    win: number,
    urg: number | null,
    options: TcpOptions,
  ): void {
    this.formatCount[0]++;
    this.header = null;
    const slot = this.reused === null ? null : this.reused[this.turn];
    const s = slot === null ? null : slot.segment;
    if (s === null) {
      this.pending = makeWireSegment(
        this.made++,
        line,
        time,
        src,
        dst,
        flags,
        seq,
        ack,
        printedSeq,
        printedAck,
        len,
        win,
        urg,
        options,
      );
      if (slot !== null) slot.segment = this.pending;
    } else {
      // Every field a direct line sets (the others are the prototype's, as makeWireSegment
      // leaves them): the segment is as if new.
      s.index = this.made++;
      s.line = line;
      s.endLine = line;
      s.time = time;
      s.src = src;
      s.dst = dst;
      s.flags = flags;
      s.seq = seq;
      s.ack = ack;
      s.printedSeq = printedSeq;
      s.printedAck = printedAck;
      s.len = len;
      s.win = win;
      if (s.urg !== urg) s.urg = urg;
      s.options = options;
      // As makeWireSegment leaves them (by the prototype), also after a consumer wrote into it.
      if (s.format !== 'tcpdump') s.format = 'tcpdump';
      if (s.truncated) s.truncated = false;
      if (s.badChecksum !== null) s.badChecksum = null;
      if (s.fields.length !== 0) s.fields = NO_FIELDS;
      this.pending = s;
    }
    if (slot !== null) this.turn ^= 1;
  }

  finish(): Normalized {
    if (!this.decided) this.decide();
    this.flush();
    const c = this.formatCount;
    const best = Math.max(c[0] as number, c[1] as number, c[2] as number);
    const format =
      best === 0 ? 'unknown' : best === c[0] ? 'tcpdump' : best === c[1] ? 'tshark' : 'packetdrill';
    return { format, segments: this.segments, diagnostics: this.diagnostics, disabledCodes: this.disabled };
  }

  /**
   * Sets the numbering (from the vote: the records it read are those tcpdumpPrintsRelative
   * reads of the first DECIDE_AFTER packets) and the delta rules from the records held, then
   * handles them. The records with a delta or since-first timestamp are all held.
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
    const s = this.pending;
    if (s === null) return;
    this.pending = null;
    if (this.onSegment !== null) this.onSegment(s);
    else this.segments.push(s);
  }

  /** The segment of a packet record (Normalizer's flush, made when the record comes). */
  private packet(
    r: PacketRecord,
    line: number,
    time: number | null,
    ip: PacketRecord['ip'],
    fields: readonly FieldSpan[],
  ): void {
    const abs = this.abs;
    if (r.numbering === Numbering.Tcpdump && this.relative) {
      const src = this.endpoints.of(r.src);
      const dst = this.endpoints.of(r.dst);
      this.numbering.absolute(
        src,
        dst,
        r.flags,
        r.flagsKnown,
        r.printedSeq,
        r.printedAck,
        r.options.sack,
        abs,
      );
    } else if (r.numbering === Numbering.Packetdrill) drillAbsolute(r, this.drillTable, abs);
    else {
      abs.seq = r.printedSeq;
      abs.ack = (r.flags & ACK) !== 0 ? r.printedAck : null;
      abs.sack = r.options.sack;
    }
    const seq = r.flagsKnown ? abs.seq : null;
    const ack = r.flagsKnown ? abs.ack : null;
    const options: TcpOptions = abs.sack === r.options.sack ? r.options : { ...r.options, sack: abs.sack };
    const s = makeSegment(this.made++, line, line, time, r, seq, ack, options, fields, ip);
    this.formatCount[r.format === 'tcpdump' ? 0 : r.format === 'tshark' ? 1 : 2]++;
    this.pending = s;
  }

  private handle(r: LineRecord, line: number): void {
    switch (r.kind) {
      case 'packet': {
        this.flush();
        const h = this.header;
        if (h !== null && r.timeKind === TimeKind.None && line === this.headerLine + 1) {
          // Second line of the IPv4 -v form: the packet starts on the header line.
          const time = this.clock.timeOf(h.timeKind, h.timeValue);
          const fields = h.fields.length === 0 ? r.fields : h.fields.concat(r.fields);
          this.packet(r, this.headerLine, time, h.ip, fields);
          (this.pending as Mutable<Segment>).endLine = line;
        } else this.packet(r, line, this.clock.timeOf(r.timeKind, r.timeValue), r.ip, r.fields);
        this.header = null;
        break;
      }
      case 'ip-header':
        this.flush();
        this.header = r;
        this.headerLine = line;
        break;
      case 'continuation':
        if (this.pending !== null) this.pending.endLine = line;
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

/** A slot of transient mode: its segment made by the first direct line written into it. */
function reusedSlot(): Reused {
  return {
    segment: null,
    options: {
      mss: undefined,
      wscale: undefined,
      sackPermitted: undefined,
      sack: undefined,
      tsVal: undefined,
      tsEcr: undefined,
    },
  };
}
