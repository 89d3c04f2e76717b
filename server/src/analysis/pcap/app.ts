// What tcpdump prints after `length N` for the text protocols it recognises
// by port without -v: the protocol name and, for a request or response line,
// that line (`: HTTP: GET / HTTP/1.1`). Reproduced for HTTP (80, 8080), RTSP
// (554, 8554), FTP (21), SMTP (25) and WHOIS (43). tcpdump's binary decoders
// (DNS, BGP, SSH, SMB, NFS, ...) are not reproduced: docs/pcap.md.

const HTTP_COMMANDS = new Set(
  'GET PUT COPY HEAD LOCK MOVE POLL POST BCOPY BMOVE MKCOL TRACE LABEL MERGE DELETE SEARCH UNLOCK REPORT UPDATE NOTIFY BDELETE CONNECT OPTIONS CHECKIN PROPFIND CHECKOUT CCM_POST SUBSCRIBE PROPPATCH BPROPFIND BPROPPATCH UNCHECKOUT MKACTIVITY MKWORKSPACE UNSUBSCRIBE RPC_CONNECT VERSION-CONTROL BASELINE-CONTROL'.split(
    ' ',
  ),
);
const RTSP_COMMANDS = new Set(
  'DESCRIBE ANNOUNCE GET_PARAMETER OPTIONS PAUSE PLAY RECORD REDIRECT SETUP SET_PARAMETER TEARDOWN'.split(
    ' ',
  ),
);

interface TextProtocol {
  readonly name: string;
  /** Request names; null: every payload is a request or response line. */
  readonly commands: ReadonlySet<string> | null;
  /** The response code is the second token (`HTTP/1.1 200 OK`). */
  readonly codeSecond: boolean;
}

const HTTP: TextProtocol = { name: 'http', commands: HTTP_COMMANDS, codeSecond: true };
const RTSP: TextProtocol = { name: 'rtsp', commands: RTSP_COMMANDS, codeSecond: true };
const FTP: TextProtocol = { name: 'ftp', commands: null, codeSecond: false };
const SMTP: TextProtocol = { name: 'smtp', commands: null, codeSecond: false };
const WHOIS: TextProtocol = { name: 'whois', commands: null, codeSecond: false };

/**
 * The ports tcpdump tests, in its order, with what it prints for them (null:
 * a decoder of its own, nothing here; telnet 23 prints nothing without -v).
 * The first port of the list that either side uses decides.
 */
const PORT_TESTS: readonly (readonly [number, TextProtocol | null])[] = [
  [23, null],
  [25, SMTP],
  [43, WHOIS],
  [179, null],
  [1723, null],
  [6379, null],
  [22, null],
  [139, null],
  [445, null],
  [10288, null],
  [6633, null],
  [6653, null],
  [21, FTP],
  [80, HTTP],
  [8080, HTTP],
  [554, RTSP],
  [8554, RTSP],
];

/** Per port: its place in PORT_TESTS, or PORT_TESTS.length (a table: asked once per packet). */
const PORT_RANK = (() => {
  const rank = new Uint8Array(65536).fill(PORT_TESTS.length);
  PORT_TESTS.forEach(([port], i) => (rank[port] = i));
  return rank;
})();

/** The protocol tcpdump decodes for this port pair, in tcpdump's order of tests. */
function protocolFor(sport: number, dport: number): TextProtocol | null {
  const s = PORT_RANK[sport];
  const d = PORT_RANK[dport];
  const first = s < d ? s : d;
  return first < PORT_TESTS.length ? (PORT_TESTS[first] as (typeof PORT_TESTS)[number])[1] : null;
}

/** Does tcpdump print text after `length N` for a payload between these ports? */
export function printsAppText(sport: number, dport: number): boolean {
  return protocolFor(sport, dport) !== null;
}

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** fetch_token: a token and the index after its trailing blanks; 0 when there is none. */
function fetchToken(
  b: Uint8Array,
  p: number,
  idx: number,
  len: number,
  end: number,
  token: { text: string },
): number {
  let t = '';
  for (; idx < len; idx++) {
    if (p + idx >= end) return 0;
    const c = b[p + idx];
    if (c & 0x80) return 0;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) return 0;
    if (t.length + 2 > 129) return 0;
    t += String.fromCharCode(c);
  }
  if (t.length === 0) return 0;
  token.text = t;
  for (; idx < len; idx++) {
    if (p + idx >= end) break;
    const c = b[p + idx];
    if (c === 0x0d || c === 0x0a || !isPrint(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return idx;
}

/** print_txt_line with prefix `: `: the first line if it is printable text. */
function firstLine(b: Uint8Array, p: number, len: number, end: number, name: string): string {
  for (let idx = 0; idx < len; idx++) {
    if (p + idx >= end) return ` [|${name}]`;
    const c = b[p + idx];
    if (c === 0x0a) return ': ' + latin1(b, p, p + idx);
    if (c === 0x0d) {
      if (idx + 1 >= len) return '';
      if (p + idx + 1 >= end) return ` [|${name}]`;
      return b[p + idx + 1] === 0x0a ? ': ' + latin1(b, p, p + idx) : '';
    }
    if (!isPrint(c) && c !== 0x09) return '';
  }
  return ': ' + latin1(b, p, p + len) + ` [|${name}]`;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** Text after `, length N` for a payload at `p` of `len` bytes (captured up to `end`). */
export function appText(
  b: Uint8Array,
  p: number,
  len: number,
  end: number,
  sport: number,
  dport: number,
): string {
  const proto = protocolFor(sport, dport);
  if (proto === null) return '';
  let printThis = proto.commands === null;
  if (proto.commands !== null) {
    const token = { text: '' };
    let idx = fetchToken(b, p, 0, len, end, token);
    if (idx !== 0) {
      if (proto.commands.has(token.text.toUpperCase())) printThis = true;
      if (proto.codeSecond) idx = fetchToken(b, p, idx, len, end, token);
      if (idx !== 0 && /^[0-9]{3}$/.test(token.text)) printThis = true;
    }
  }
  let s = ': ' + proto.name.toUpperCase();
  if (printThis) s += firstLine(b, p, len, end, proto.name);
  return s;
}
