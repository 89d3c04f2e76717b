// The sequence-diagram model: plain, serialisable data derived from an
// AnalysisResult. The server sends it in answer to `tcptrace/diagram`; the
// webview, the SVG exporter and the Mermaid exporter all read only this.
import type { Direction, DiagnosticCode, Phase, TcpState } from '../model';
import type { ArrowTable } from './table';

/** A finding as the diagram shows it on an arrow. */
export interface DiagramFinding {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning' | 'information' | 'hint';
  readonly message: string;
}

/** One segment, drawn as one arrow between the lifelines of its connection. */
export interface DiagramArrow {
  /** Index of the segment in the trace (AnalysisResult.segments). */
  readonly segment: number;
  /** 0-based first and last line of the packet in the document. */
  readonly line: number;
  readonly endLine: number;
  /** Index into DiagramModel.connections. */
  readonly connection: number;
  readonly direction: Direction;
  /** Seconds (as Segment.time); null when the line had no timestamp. */
  readonly time: number | null;
  /** Bitmask of the TCP flags (FIN, SYN ... from the core model). */
  readonly flags: number;
  /** Absolute 32-bit numbers, null when unknown. */
  readonly seq: number | null;
  readonly ack: number | null;
  /** Numbers relative to the ISNs, null when unknown. */
  readonly relSeq: number | null;
  readonly relAck: number | null;
  readonly len: number;
  readonly win: number | null;
  readonly phase: Phase;
  /** The states of both endpoints after this segment. */
  readonly clientState: TcpState | null;
  readonly serverState: TcpState | null;
  /** The worst severity among the findings, or null when there are none. */
  readonly severity: DiagramFinding['severity'] | null;
  readonly findings: readonly DiagramFinding[];
  /** The analysis marks it as a retransmission of some kind. */
  readonly retransmission: boolean;
  /** Short role, e.g. "SYN-ACK: second step of the handshake". */
  readonly role: string;
}

export interface DiagramConnection {
  /** Connection.id from the analysis. */
  readonly id: number;
  readonly label: string;
  /** "host:port" of each side, exactly as the trace printed the host. */
  readonly client: string;
  readonly server: string;
  readonly outcome: string;
  /** Indices into DiagramModel.arrows, in trace order. */
  readonly arrows: readonly number[];
}

/** How the trace's timestamps read as absolute time. */
export type TimeBase = 'epoch' | 'time-of-day' | 'none';

export interface DiagramModel {
  readonly uri: string;
  /** The document version the model was computed from. */
  readonly version: number;
  readonly connections: readonly DiagramConnection[];
  /** Every segment that belongs to a connection, in trace order. */
  readonly arrows: readonly DiagramArrow[];
  /**
   * The fields the layout reads, as typed arrays: set on a model decoded from the
   * wire (which has them at hand), absent on one built from an analysis.
   */
  readonly table?: ArrowTable;
  /** Time of the first timestamped segment (seconds), the origin of relative time. */
  readonly timeOrigin: number | null;
  readonly timeBase: TimeBase;
}

/** What the user chose to look at; persisted by the webview and used by the exporters. */
export interface DiagramView {
  /** Index into DiagramModel.connections, or 'all' for one lane pair per connection. */
  readonly connection: number | 'all';
  /** Ids (first arrow index) of data bands the user expanded. */
  readonly expanded: readonly number[];
  readonly absoluteSeq: boolean;
  readonly absoluteTime: boolean;
}

export const DEFAULT_VIEW: DiagramView = {
  connection: 0,
  expanded: [],
  absoluteSeq: false,
  absoluteTime: false,
};
