// Phase (a) output: what one line of a trace holds, before the whole-trace
// normalisation (relative → absolute numbers, time accumulation). A record
// depends only on the line and a small LineContext, so the language server can
// re-read just the lines that changed.
import type { Endpoint, FieldSpan, InputFormat, TcpOptions } from '../model';
import { EMPTY_OPTIONS } from './tcpdumpOptions';

/** How a timestamp was printed; decides how normalize() turns it into seconds. */
export enum TimeKind {
  /** No timestamp (`-t`, tshark without a time column). */
  None = 0,
  /** Seconds since midnight (`HH:MM:SS.frac`); the day rolls over in normalize(). */
  TimeOfDay = 1,
  /** Seconds since the epoch (`-tt`, `-tttt`, tshark `-t e`/`-t ad`). */
  Absolute = 2,
  /** Delta from the previous packet or from the first (`-ttt` / `-ttttt` print the same). */
  Delta = 3,
  /** Seconds since the first packet (tshark's default `-t r`). */
  SinceFirst = 4,
  /** packetdrill `+N`: relative to the previous event. */
  DrillRelative = 5,
  /** packetdrill `N`: since the script start. */
  DrillAbsolute = 6,
  /** packetdrill `*`: any time; keeps the previous event's time. */
  DrillAny = 7,
  /** `[timestamp overflow]` or `(invalid us)`: unusable. */
  Invalid = 8,
}

/** Timestamp layout learned from the first tcpdump packet line (see LineContext.tsMode). */
export enum TsMode {
  Unknown = 0,
  None = 1,
  TimeOfDay = 2,
  Epoch = 3,
  Delta = 4,
  Date = 5,
}

/** How the printed seq/ack numbers relate to the wire values. */
export enum Numbering {
  /** tcpdump: absolute with -S, else relative to a per-4-tuple entry (formats doc §5). */
  Tcpdump = 0,
  /** Printed values are used as they are (tshark's relative numbers, base 0). */
  AsPrinted = 1,
  /** packetdrill: SYN lines absolute, the others relative to each side's SYN. */
  Packetdrill = 2,
}

export interface PacketRecord {
  readonly kind: 'packet';
  readonly line: number;
  /** Last line read so far; normalize() extends it over continuation lines. */
  readonly endLine: number;
  readonly format: InputFormat;
  readonly numbering: Numbering;
  readonly timeKind: TimeKind;
  readonly timeValue: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly flags: number;
  /** false for `-q` (`tcp N`) and for lines truncated before the flags. */
  readonly flagsKnown: boolean;
  readonly printedSeq: number | null;
  readonly printedAck: number | null;
  readonly len: number;
  readonly win: number | null;
  readonly urg: number | null;
  /** SACK blocks here are still as printed (maybe relative). */
  readonly options: TcpOptions;
  readonly truncated: boolean;
  readonly badChecksum: boolean | null;
  readonly ip?: { readonly ttl?: number; readonly ecn?: 'ECT(0)' | 'ECT(1)' | 'CE'; readonly id?: number };
  readonly toolLabels?: readonly string[];
  readonly appText?: string;
  readonly fields: readonly FieldSpan[];
  /** Set on the first tcpdump packet line: the timestamp layout later lines must match. */
  readonly learnedTsMode?: TsMode;
}

/** A PacketRecord being filled in by a reader (handed out read-only). */
export type PacketRecordDraft = { -readonly [K in keyof PacketRecord]: PacketRecord[K] };

/** The fields of a record read without spans (shared: one empty array). */
export const NO_FIELDS: readonly FieldSpan[] = Object.freeze([]) as readonly FieldSpan[];

const NO_ENDPOINT: Endpoint = Object.freeze({ host: '', port: 0 });

/**
 * A tcpdump packet record to fill in, with every property present and in one
 * order, so that all records share one object shape.
 */
export function newPacketRecord(): PacketRecordDraft {
  return {
    kind: 'packet',
    line: 0,
    endLine: 0,
    format: 'tcpdump',
    numbering: Numbering.Tcpdump,
    timeKind: TimeKind.None,
    timeValue: 0,
    src: NO_ENDPOINT,
    dst: NO_ENDPOINT,
    flags: 0,
    flagsKnown: true,
    printedSeq: null,
    printedAck: null,
    len: 0,
    win: null,
    urg: null,
    options: EMPTY_OPTIONS,
    truncated: false,
    badChecksum: null,
    ip: undefined,
    toolLabels: undefined,
    appText: undefined,
    fields: NO_FIELDS,
    learnedTsMode: undefined,
  };
}

/** First line of the IPv4 `-v` two-line form: time and IP header, the TCP part follows. */
export interface IpHeaderRecord {
  readonly kind: 'ip-header';
  readonly line: number;
  readonly timeKind: TimeKind;
  readonly timeValue: number;
  readonly ip: { readonly ttl?: number; readonly ecn?: 'ECT(0)' | 'ECT(1)' | 'CE'; readonly id?: number };
  readonly fields: readonly FieldSpan[];
  readonly learnedTsMode?: TsMode;
}

/** A line that belongs to the packet before it (hex/ASCII dump, `-v` application text). */
export interface ContinuationRecord {
  readonly kind: 'continuation';
}

/** Nothing for the analysis: blank line, comment, banner, non-TCP packet, packetdrill syscall without time. */
export interface SkipRecord {
  readonly kind: 'skip';
  /** true when the line was a packet of another protocol: later dump lines are not TCP's. */
  readonly endsPacket: boolean;
}

/** A packetdrill event that is not a TCP segment (system call ...): it still advances the script clock. */
export interface DrillTimeRecord {
  readonly kind: 'drill-time';
  readonly timeKind: TimeKind;
  readonly timeValue: number;
}

/** `# tcptrace-disable code, code`: codes as written, validated by normalize(). */
export interface DirectiveRecord {
  readonly kind: 'directive';
  readonly line: number;
  readonly codes: readonly { readonly code: string; readonly start: number; readonly end: number }[];
}

/** A line that looks like a packet but one field cannot be read. */
export interface ErrorRecord {
  readonly kind: 'error';
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export type LineRecord =
  | PacketRecord
  | IpHeaderRecord
  | ContinuationRecord
  | SkipRecord
  | DrillTimeRecord
  | DirectiveRecord
  | ErrorRecord;

/**
 * What readLine() needs to know about the lines before: the only state that
 * crosses lines. Small and comparable, so an incremental re-parse can stop as
 * soon as the context after a changed line equals the old one.
 */
export interface LineContext {
  /** Timestamp layout of the first tcpdump packet line; later lines must match it. */
  readonly tsMode: TsMode;
  /** The previous line was an IPv4 `-v` header: an indented TCP line may follow. */
  readonly afterIpHeader: boolean;
  /** A packet line came before (dump lines may attach to it). */
  readonly inPacket: boolean;
}

/** Contexts are interned (at most 6 × 2 × 2 values) so callers can compare them with ===. */
const contexts = new Map<number, LineContext>();
export function contextOf(tsMode: TsMode, afterIpHeader: boolean, inPacket: boolean): LineContext {
  const key = tsMode * 4 + (afterIpHeader ? 2 : 0) + (inPacket ? 1 : 0);
  let c = contexts.get(key);
  if (c === undefined) {
    c = Object.freeze({ tsMode, afterIpHeader, inPacket });
    contexts.set(key, c);
  }
  return c;
}

export const INITIAL_CONTEXT: LineContext = contextOf(TsMode.Unknown, false, false);

export const CONTINUATION: ContinuationRecord = { kind: 'continuation' };
export const SKIP: SkipRecord = { kind: 'skip', endsPacket: false };
export const SKIP_PACKET: SkipRecord = { kind: 'skip', endsPacket: true };
