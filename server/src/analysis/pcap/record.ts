// One captured packet as the container readers hand it to the decoder. The
// readers reuse a single object per file (no allocation per packet); the
// decoder must copy what it keeps.

export interface CaptureRecord {
  /** 1-based packet number (as `tcpdump -#` counts). */
  number: number;
  /** Byte offset of the record (its header) in the file. */
  offset: number;
  /** LINKTYPE_* value of the packet's interface. */
  linkType: number;
  /** Seconds since the epoch (may exceed 2^32 in pcapng). */
  seconds: number;
  /** Microseconds within the second, as libpcap hands them to tcpdump (truncated from finer units). */
  micros: number;
  /** Start of the captured bytes in the file. */
  start: number;
  /** Captured length (bytes present in the file). */
  capLen: number;
  /** Length of the packet on the wire. */
  wireLen: number;
}

export function emptyRecord(): CaptureRecord {
  return { number: 0, offset: 0, linkType: 0, seconds: 0, micros: 0, start: 0, capLen: 0, wireLen: 0 };
}
