// Per-connection summary: Zeek's conn_state and history, Wireshark's
// completeness bits, counts each way, and a one-phrase outcome.
import type { Connection, Endpoint, Segment, ZeekConnState } from './model';
import { ACK, FIN, RST, SYN } from './model';
import type { ConnTrack, DirTrack, PastSegments, Step } from './track';

// Zeek endpoint states (TCP_Endpoint.h), from what each side sent.
const Z_INACTIVE = 0;
const Z_SYN_SENT = 1;
const Z_SYN_ACK_SENT = 2;
const Z_PARTIAL = 3;
const Z_ESTABLISHED = 4;
const Z_CLOSED = 5;
const Z_RESET = 6;

// Wireshark tcp.completeness bits.
const C_SYN = 1;
const C_SYNACK = 2;
const C_ACK = 4;
const C_DATA = 8;
const C_FIN = 16;
const C_RST = 32;

const ONCE_A = 1;
const ONCE_D = 2;
const ONCE_I = 4;
const ONCE_Q = 8;

/**
 * The history's last-letter fields (DirTrack.histSyn, histFin, histRst) keep a sequence
 * number minus 2^31: a 32-bit one then fits V8's small integers, so those fields hold
 * small integers or null and never a boxed number (held as doubles, each of the 50,000
 * directions of the 1M bench trace had a 16-byte box per field).
 */
const HIST_SEQ_SHIFT = 0x80000000;

/** Zeek's log-10 letters: written at the 1st, 10th, 100th ... occurrence. */
function log10Letter(count: number): boolean {
  return (
    count === 1 || count === 10 || count === 100 || count === 1000 || count === 10000 || count === 100000
  );
}

/** Updates Zeek endpoint states, history and completeness for one segment. */
export function recordSummary(step: Step, seg: Segment): void {
  const conn = step.conn;
  const fwd = step.fwd;
  const rev = step.rev;
  const f = seg.flags;
  const orig = step.c2s;
  let h = '';
  const seq = seg.seq === null ? null : seg.seq - HIST_SEQ_SHIFT;
  if ((f & RST) !== 0) {
    fwd.zeek = Z_RESET;
    conn.completeness |= C_RST;
  } else if ((f & SYN) !== 0) {
    if ((f & ACK) === 0) {
      if (fwd.zeek === Z_INACTIVE) fwd.zeek = Z_SYN_SENT;
      conn.completeness |= C_SYN;
    } else {
      if (rev.zeek === Z_SYN_SENT) {
        rev.zeek = Z_ESTABLISHED;
        fwd.zeek = Z_ESTABLISHED;
      } else if (fwd.zeek === Z_INACTIVE) fwd.zeek = Z_SYN_ACK_SENT;
      conn.completeness |= C_SYNACK;
    }
  } else if ((f & FIN) !== 0) {
    fwd.zeek = Z_CLOSED;
  } else if ((f & ACK) !== 0 || seg.len > 0) {
    if (fwd.zeek === Z_INACTIVE) fwd.zeek = Z_PARTIAL;
    else if (fwd.zeek === Z_SYN_SENT && rev.zeek === Z_SYN_ACK_SENT) {
      fwd.zeek = Z_ESTABLISHED;
      rev.zeek = Z_ESTABLISHED;
    }
  }
  if ((f & ACK) !== 0 && (f & SYN) === 0) {
    if (seg.len === 0 && (f & (FIN | RST)) === 0) conn.completeness |= C_ACK;
    if ((f & FIN) !== 0) conn.completeness |= C_FIN;
  }
  if (seg.len > 0) conn.completeness |= C_DATA;

  // History letters; the originator's are upper case (spelled out: a table look-up by
  // letter was a megamorphic keyed load).
  if ((f & SYN) !== 0 && (f & (FIN | RST)) !== 0) {
    if ((fwd.histOnce & ONCE_Q) === 0) {
      fwd.histOnce |= ONCE_Q;
      h += orig ? 'Q' : 'q';
    }
  } else if ((f & SYN) !== 0) {
    if (fwd.histSyn !== seq) {
      fwd.histSyn = seq;
      h += (f & ACK) !== 0 ? (orig ? 'H' : 'h') : orig ? 'S' : 's';
    }
  } else if ((f & (FIN | RST)) === (FIN | RST) || ((f & (SYN | RST | ACK)) === 0 && conn.synAckIndex >= 0)) {
    if ((fwd.histOnce & ONCE_I) === 0) {
      fwd.histOnce |= ONCE_I;
      h += orig ? 'I' : 'i';
    }
  }
  if ((f & FIN) !== 0 && (f & SYN) === 0 && fwd.histFin !== seq) {
    fwd.histFin = seq;
    h += orig ? 'F' : 'f';
  }
  if ((f & RST) !== 0 && (f & SYN) === 0 && fwd.histRst !== seq) {
    fwd.histRst = seq;
    h += orig ? 'R' : 'r';
  }
  if (seg.len > 0 && (f & RST) === 0) {
    if ((fwd.histOnce & ONCE_D) === 0) {
      fwd.histOnce |= ONCE_D;
      h += orig ? 'D' : 'd';
    }
  } else if ((f & (SYN | FIN | RST)) === 0 && (f & ACK) !== 0 && (fwd.histOnce & ONCE_A) === 0) {
    fwd.histOnce |= ONCE_A;
    h += orig ? 'A' : 'a';
  }
  if (seg.badChecksum === true && log10Letter(++fwd.histC)) h += orig ? 'C' : 'c';
  const codes = step.codes;
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k];
    if (code === 'retransmission' || code === 'fast-retransmission' || code === 'spurious-retransmission') {
      if (seg.len > 0 && log10Letter(++fwd.histT)) h += orig ? 'T' : 't';
    } else if (code === 'lost-segment') {
      if (log10Letter(++fwd.histG)) h += orig ? 'G' : 'g';
    } else if (code === 'zero-window') {
      if (log10Letter(++fwd.histW)) h += orig ? 'W' : 'w';
    }
  }
  if (h !== '') conn.history += h;

  fwd.segments++;
  fwd.bytes += seg.len;
}

export function zeekState(conn: ConnTrack): ZeekConnState {
  const os = conn.c2s.zeek;
  const rs = conn.s2c.zeek;
  const oInactive = os === Z_INACTIVE || os === Z_PARTIAL;
  const rInactive = rs === Z_INACTIVE || rs === Z_PARTIAL;
  if (rs === Z_RESET) {
    if (
      os === Z_SYN_SENT ||
      os === Z_SYN_ACK_SENT ||
      (os === Z_RESET && conn.c2s.bytes === 0 && conn.s2c.bytes === 0)
    ) {
      return 'REJ';
    }
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === Z_RESET) return rInactive ? 'RSTOS0' : 'RSTO';
  if (rs === Z_CLOSED && os === Z_CLOSED) return 'SF';
  if (os === Z_CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === Z_CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === Z_SYN_SENT && rs === Z_INACTIVE) return 'S0';
  if (os === Z_ESTABLISHED && rs === Z_ESTABLISHED) return 'S1';
  return 'OTH';
}

export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

function outcome(conn: ConnTrack, segs: PastSegments): string {
  if (conn.refused) return 'refused';
  if (conn.resetIndex >= 0) {
    const rst = segs.at(conn.resetIndex);
    const by = rst.src.host === conn.client.host && rst.src.port === conn.client.port ? 'client' : 'server';
    return conn.establishedIndex < 0 && conn.sawSyn
      ? `reset by ${by} during the handshake`
      : `reset by ${by}`;
  }
  if (conn.sawSyn && conn.synAckIndex < 0 && !conn.simultaneous) return 'no answer to SYN';
  if (conn.sawSyn && conn.establishedIndex < 0 && !conn.simultaneous)
    return 'half-open (SYN-ACK never acknowledged)';
  const cFin = conn.c2s.finSeq !== null;
  const sFin = conn.s2c.finSeq !== null;
  const mid = conn.sawSyn || conn.synAckIndex >= 0 ? '' : 'mid-stream, ';
  if (cFin && sFin) return `${mid}closed normally`;
  if (cFin) return `${mid}half-closed by client`;
  if (sFin) return `${mid}half-closed by server`;
  return `${mid}open (no close seen)`;
}

function stats(d: DirTrack): { segments: number; bytes: number; retransmissions: number } {
  return { segments: d.segments, bytes: d.bytes, retransmissions: d.retransmissions };
}

/** The summary of `conn`, whose segments' indices are `segments` (its list: see ConnTrack.segmentsHead). */
export function buildConnection(conn: ConnTrack, segs: PastSegments, segments: number[]): Connection {
  const duration =
    Number.isNaN(conn.firstTime) || Number.isNaN(conn.lastTime) ? null : conn.lastTime - conn.firstTime;
  return {
    id: conn.id,
    client: conn.client,
    server: conn.server,
    segments,
    firstLine: conn.firstLine,
    lastLine: conn.lastEndLine,
    clientIsn: conn.c2s.isn,
    serverIsn: conn.s2c.isn,
    clientSeqBase: conn.c2s.base,
    serverSeqBase: conn.s2c.base,
    clientState: conn.cEnd.state,
    serverState: conn.self ? conn.cEnd.state : conn.sEnd.state,
    zeekState: zeekState(conn),
    history: (conn.flipped ? '^' : '') + conn.history,
    completeness: conn.completeness,
    handshakeRtt: conn.irtt,
    duration,
    c2s: stats(conn.c2s),
    s2c: stats(conn.s2c),
    // One flat string: a template makes a tree of four strings (~240 bytes against ~80),
    // kept for every connection until the output is written.
    label: [endpointText(conn.client), ' → ', endpointText(conn.server)].join(''),
    outcome: outcome(conn, segs),
  };
}
