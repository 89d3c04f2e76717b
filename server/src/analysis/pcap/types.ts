// The contract between the capture decoder (pure, in this folder) and its
// users: the CLI, the language server (which renders captures from disk) and
// the client (which shows the rendering as a read-only trace document).

/** A problem in a capture file, located by byte offset (never thrown). */
export interface CaptureProblem {
  /** Byte offset in the file where the problem starts. */
  readonly offset: number;
  /** 1-based number of the packet (record) concerned, when there is one. */
  readonly packet?: number;
  /**
   * Lines of the rendering before the problem (so the 0-based line where the
   * next packet would have been shown). Optional for producers other than the decoder.
   */
  readonly line?: number;
  /** `error`: the rest of the file could not be read; `warning`: one packet skipped or cut. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface RenderOptions {
  /**
   * IANA time zone for the timestamps, as tcpdump honours `TZ`
   * (e.g. `UTC`, `Europe/Berlin`); undefined = the process's local zone.
   */
  readonly timeZone?: string;
  /** `-tttt`: print the date before the time of day. */
  readonly withDate?: boolean;
  /**
   * Linux cooked v2 (`-i any`) records store an interface index; tcpdump
   * prints the name the reading host gives it (`?` when unknown).
   */
  readonly interfaceName?: (ifIndex: number) => string | undefined;
}

export interface CaptureRendering {
  /** What `tcpdump -n -r FILE tcp` prints on stdout, byte for byte (one line per TCP packet, '\n'-terminated). */
  readonly text: string;
  /** `pcap` or `pcapng`, or `unknown` when the magic is not recognised. */
  readonly container: 'pcap' | 'pcapng' | 'unknown';
  /** Records read, of any protocol. */
  readonly packets: number;
  /** TCP packets rendered (= lines of `text`). */
  readonly tcpPackets: number;
  /** Non-TCP, fragments and unsupported link types: counted, not rendered. */
  readonly skipped: number;
  readonly problems: readonly CaptureProblem[];
}

/** True when the bytes start with a pcap (either byte order, µs or ns) or pcapng magic. */
export type IsCapture = (bytes: Uint8Array) => boolean;

/** Renders the TCP packets of a capture as `tcpdump -n -r` text; never throws, bounded memory. */
export type RenderCapture = (bytes: Uint8Array, options?: RenderOptions) => CaptureRendering;
