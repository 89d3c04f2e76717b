// The plain-data types of the analysis core. Everything here is serialisable
// (no classes, no functions) so that the server, the CLI and the webview can
// share it; the one exception is StateInference.reason, written when first read. Lines and characters are 0-based everywhere in the core; the CLI
// adds 1 when it prints, the server converts to LSP positions in convert.ts.

/** TCP states as RFC 9293 names them (with the usual underscores). */
export type TcpState =
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSED';

export const TCP_STATES: readonly TcpState[] = [
  'LISTEN',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSED',
];

/**
 * How sure a passive observer can be of an inferred state.
 * - observed: the trace shows the segment that causes the transition and the
 *   peer's later behaviour is consistent with it;
 * - provisional: the transition follows from a segment the endpoint received,
 *   but a tap cannot see delivery (RFC 9293 table in the formats reference);
 * - assumed: the trace does not show the cause (capture started mid-stream,
 *   one direction missing, ...); the state is the most likely one.
 */
export type Confidence = 'observed' | 'provisional' | 'assumed';

/** TCP flag bits, in the wire order of the header. */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;
export const ECE = 0x40;
export const CWR = 0x80;
/** AccECN "AE" bit (tcpdump 5.0 prints it as `e`). */
export const AE = 0x100;

export type InputFormat = 'tcpdump' | 'tshark' | 'packetdrill' | 'unknown';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Endpoint {
  /** Address or host name exactly as printed (IPv6 without brackets). */
  readonly host: string;
  /** Port number; service names (`https`) are resolved to their number. */
  readonly port: number;
  /** The port as printed when it was a service name, e.g. `https`. */
  readonly service?: string;
}

export interface SackBlock {
  /** Absolute left edge (uint32). */
  readonly left: number;
  /** Absolute right edge, exclusive (uint32). */
  readonly right: number;
}

export interface TcpOptions {
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackPermitted?: boolean;
  readonly sack?: readonly SackBlock[];
  readonly tsVal?: number;
  readonly tsEcr?: number;
  /** TCP Fast Open: `cookie` hex string, or request without cookie. */
  readonly tfo?: { readonly cookie?: string; readonly request: boolean };
  /** MPTCP subtype text, e.g. `capable v1 flags [H]`. */
  readonly mptcp?: string;
  /** Other options as printed (`unknown-N 0x...`, `md5 ...`, `uto ...`). */
  readonly other?: readonly string[];
  /** `[bad opt]` was printed. */
  readonly bad?: boolean;
}

/** Which part of a segment line a character range belongs to (for hovers). */
export type FieldKind =
  | 'time'
  | 'number'
  | 'src-host'
  | 'src-port'
  | 'dst-host'
  | 'dst-port'
  | 'flags'
  | 'seq'
  | 'ack'
  | 'win'
  | 'urg'
  | 'options'
  | 'length'
  | 'payload'
  | 'analysis';

export interface FieldSpan {
  readonly kind: FieldKind;
  /** 0-based line (the packet can span several lines with `-v`). */
  readonly line: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** One TCP segment read from the trace. */
export interface Segment {
  /** Index in `ParseResult.segments`. */
  readonly index: number;
  /** 0-based first line of the packet. */
  readonly line: number;
  /** 0-based last line of the packet (== line unless `-v` two-line form etc.). */
  readonly endLine: number;
  readonly format: InputFormat;
  /**
   * Seconds. For absolute timestamps (epoch, `-tttt`) seconds since the epoch;
   * time-of-day stamps are seconds since midnight (day rollover handled by the
   * parser); delta stamps (`-ttt`) are accumulated so this is always monotonic
   * within a file. null when the line has no timestamp (`-t`).
   */
  readonly time: number | null;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** Bitmask of FIN, SYN, ... above. */
  readonly flags: number;
  /** Absolute 32-bit sequence number; null when not printed and not inferable. */
  readonly seq: number | null;
  /** Absolute 32-bit acknowledgement number; null when the ACK flag is clear or unknown. */
  readonly ack: number | null;
  /** The numbers as the line printed them (may be relative). */
  readonly printedSeq: number | null;
  readonly printedAck: number | null;
  /** TCP payload length in bytes. */
  readonly len: number;
  /** Raw (unscaled) window field; null when not printed. */
  readonly win: number | null;
  readonly urg: number | null;
  readonly options: TcpOptions;
  /** `[|tcp]` or another truncation marker was printed. */
  readonly truncated: boolean;
  /**
   * true when the line did not show the TCP flags (tcpdump `-q`, or `[|tcp]`
   * right after the ports): `flags` is 0 and seq/ack are null because they are
   * unknown, not because they are absent. Omitted otherwise.
   */
  readonly flagsUnknown?: boolean;
  /** true: checksum printed as incorrect; false: correct; null: not printed. */
  readonly badChecksum: boolean | null;
  /** IP-level notes, e.g. ECN codepoint `CE`, TTL; free-form key/values. */
  readonly ip?: { readonly ttl?: number; readonly ecn?: 'ECT(0)' | 'ECT(1)' | 'CE'; readonly id?: number };
  /** Labels the producing tool printed, e.g. tshark's `TCP Retransmission`. */
  readonly toolLabels?: readonly string[];
  /** Application text after `length N` (opaque). */
  readonly appText?: string;
  readonly fields: readonly FieldSpan[];
}

/** Stable diagnostic codes, documented in docs/diagnostics.md#<code>. */
export type DiagnosticCode =
  | 'parse-error'
  | 'capture-damaged'
  | 'handshake-bad-ack'
  | 'handshake-incomplete'
  | 'connection-refused'
  | 'syn-retransmission'
  | 'synack-without-syn'
  | 'syn-isn-changed'
  | 'data-before-established'
  | 'simultaneous-open'
  | 'syn-flood'
  | 'fin-bad-ack'
  | 'data-after-fin'
  | 'connection-reset'
  | 'data-after-reset'
  | 'retransmission'
  | 'fast-retransmission'
  | 'spurious-retransmission'
  | 'out-of-order'
  | 'lost-segment'
  | 'acked-unseen'
  | 'duplicate-ack'
  | 'zero-window'
  | 'zero-window-probe'
  | 'zero-window-probe-ack'
  | 'window-full'
  | 'window-update'
  | 'keep-alive'
  | 'keep-alive-ack'
  | 'port-reuse'
  | 'challenge-ack'
  | 'unusual-flags';

export interface RelatedLocation {
  readonly line: number;
  readonly segment?: number;
  readonly message: string;
}

export interface Finding {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** 0-based lines and characters of the range the finding covers. */
  readonly line: number;
  readonly endLine: number;
  readonly startChar?: number;
  readonly endChar?: number;
  readonly segment?: number;
  readonly connection?: number;
  readonly related: readonly RelatedLocation[];
  /** The numbers behind the verdict, for hovers and JSON (e.g. {seq: 1001, nextSeq: 2001}). */
  readonly details?: Readonly<Record<string, number | string | boolean>>;
}

/** Why an endpoint is believed to be in a state. */
export interface StateInference {
  /** null when the trace cannot tell at all. */
  readonly state: TcpState | null;
  readonly confidence: Confidence;
  /** Short rule id, e.g. `rcv-syn`, `rcv-fin-ack-of-fin`. */
  readonly rule: string;
  /**
   * One sentence a human can read: why the trace implies this state. The analysis
   * writes it when it is first read (a getter: a copy such as `{...inference}` or
   * JSON.stringify leaves it out, so copy it by name).
   */
  readonly reason: string;
}

export type Direction = 'c2s' | 's2c';

export type Phase = 'handshake' | 'data' | 'teardown' | 'reset';

/** What the analysis says about one segment. */
export interface SegmentAnalysis {
  readonly segment: number;
  readonly connection: number;
  readonly direction: Direction;
  readonly sender: StateInference;
  readonly receiver: StateInference;
  readonly phase: Phase;
  /** Human description of the segment's role, e.g. "SYN-ACK: second step of the handshake". */
  readonly role: string;
  /** Sequence numbers relative to the sender's / receiver's ISN (null when unknown). */
  readonly relSeq: number | null;
  readonly relAck: number | null;
  /** Codes of Wireshark-style analysis flags on this segment. */
  readonly analysis: readonly DiagnosticCode[];
  /** Unacknowledged bytes of the sender after this segment, when known. */
  readonly bytesInFlight: number | null;
  /** Seconds since the connection's first segment, when times are known. */
  readonly sinceStart: number | null;
  /** Segment this one acknowledges / retransmits / answers, when known. */
  readonly acknowledges?: number;
  readonly original?: number;
}

/**
 * The per-segment results of an analysis, parallel to its segments. The analysis keeps
 * them in columns (analysis/segmentAnalyses.ts) and makes a SegmentAnalysis when one is
 * read: a new object each time, so compare them by value.
 */
export interface SegmentAnalysisList extends Iterable<SegmentAnalysis> {
  /** How many segments it covers: the trace's, or 0 without per-segment results. */
  readonly length: number;
  /** What the analysis says about segment i; undefined when it has no result for it. */
  get(i: number): SegmentAnalysis | undefined;
  /** Segment i's connection id, without making the object; -1 when it has no result for it. */
  connectionOf(i: number): number;
}

export type ZeekConnState =
  'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

export type VantagePoint = 'client' | 'server' | 'middle' | 'unknown';

export interface DirectionStats {
  readonly segments: number;
  readonly bytes: number;
  readonly retransmissions: number;
}

export interface Connection {
  readonly id: number;
  /** The endpoint that sent the first SYN, or the first sender when no SYN was seen. */
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Segment indices in trace order. */
  readonly segments: readonly number[];
  readonly firstLine: number;
  readonly lastLine: number;
  readonly clientIsn: number | null;
  readonly serverIsn: number | null;
  /**
   * What relSeq/relAck are relative to in each direction: the ISN, or (no SYN seen) the
   * first sequence number seen minus 1, as Wireshark does. Absolute = (base + rel) >>> 0.
   */
  readonly clientSeqBase?: number | null;
  readonly serverSeqBase?: number | null;
  readonly clientState: TcpState | null;
  readonly serverState: TcpState | null;
  readonly zeekState: ZeekConnState;
  readonly history: string;
  /** Wireshark's tcp.completeness bits. */
  readonly completeness: number;
  /** Seconds from the SYN to the ACK completing the handshake. */
  readonly handshakeRtt: number | null;
  readonly duration: number | null;
  readonly c2s: DirectionStats;
  readonly s2c: DirectionStats;
  /** Short label, e.g. "10.0.0.1:5555 → 10.0.0.2:80". */
  readonly label: string;
  /** One phrase: "closed normally", "refused", "reset by server", "half-open", ... */
  readonly outcome: string;
}

export interface ParseResult {
  readonly format: InputFormat;
  readonly lineCount: number;
  readonly segments: readonly Segment[];
  /** Only parse-error findings. */
  readonly diagnostics: readonly Finding[];
  /** Codes disabled by `# tcptrace-disable code[,code]` comments. */
  readonly disabledCodes: readonly DiagnosticCode[];
}

export interface AnalysisOptions {
  readonly vantage?: VantagePoint;
  /**
   * false: no per-segment results (AnalysisResult.perSegment is empty), for callers that
   * need only connections and findings, such as the CLI's summary and SARIF output; it
   * saves about 150 bytes and some work per segment. Default true.
   */
  readonly perSegment?: boolean;
  /**
   * false: every finding keeps only its code, severity, place and connection (its
   * message is '', with no related locations and no details), for callers that only
   * count findings, such as the CLI's summary: a finding's text is most of the
   * room it takes (about 380 bytes a finding on the 1M bench trace). Default true.
   */
  readonly findingText?: boolean;
  /** syn-flood: at least this many half-open connections to one listener ... */
  readonly synFloodMinHalfOpen?: number;
  /** ... from at least this many distinct sources ... */
  readonly synFloodMinSources?: number;
  /** ... within this many seconds ... */
  readonly synFloodWindowSeconds?: number;
  /**
   * ... and they make up at least this share (0–1) of all connection attempts
   * to that listener in that time: a busy server whose few failures happen to
   * come from many clients is not under attack.
   */
  readonly synFloodMinHalfOpenShare?: number;
}

export interface AnalysisResult {
  readonly format: InputFormat;
  readonly lineCount: number;
  readonly segments: readonly Segment[];
  /** Parallel to `segments` (empty without per-segment results). */
  readonly perSegment: SegmentAnalysisList;
  readonly connections: readonly Connection[];
  /** Parse errors and analysis findings, sorted by line. */
  readonly diagnostics: readonly Finding[];
  /** Where the capture appears to have been taken (or the user's override). */
  readonly vantage: VantagePoint;
}
