// TCP options as tcpdump prints them inside `options [...]`, including its
// answers to damage: `[bad opt]` for impossible lengths, ` [|tcp]` when the
// capture ends inside the options (followed by `>` where tcpdump's checked
// reads bail out after the first option), `[len N]` for a length that differs
// from the option's fixed size.
import { be16, be32 } from './bytes';

const NAMES: Readonly<Record<number, string>> = {
  0: 'eol',
  1: 'nop',
  2: 'mss',
  3: 'wscale',
  4: 'sackOK',
  5: 'sack',
  6: 'echo',
  7: 'echoreply',
  8: 'TS',
  11: 'cc',
  12: 'ccnew',
  13: '',
  19: 'md5',
  20: 'scps',
  28: 'uto',
  29: 'tcp-ao',
  30: 'mptcp',
  34: 'tfo',
  254: 'exp',
};

const hex2 = (n: number): string => (n < 16 ? '0' : '') + n.toString(16);

/** How the options list ended. */
export const enum OptionsEnd {
  /** `]` printed; the line goes on with `, length N`. */
  Complete,
  /** The line ends here (`[bad opt]` or a truncation marker). */
  Stop,
}

/**
 * Appends the options text (from `, options [`) to `out[0]`. `o`..`o+len` is
 * the options area by the header length; `end` the end of captured bytes.
 */
export function renderOptions(
  b: Uint8Array,
  o: number,
  hlen: number,
  end: number,
  sackBase: number,
  payloadCaptured: boolean,
  out: string[],
): OptionsEnd {
  let s = ', options [';
  let sep = '';
  let cp = o;
  let left = hlen;
  const fail = (trunc: boolean): OptionsEnd => {
    if (trunc) s += sep !== '' ? ' [|tcp]>' : ' [|tcp]';
    else s += sep !== '' ? '[bad opt]]' : '[bad opt]';
    out[0] += s;
    return OptionsEnd.Stop;
  };
  while (left > 0) {
    s += sep;
    if (cp >= end) {
      out[0] += s + ' [|tcp]';
      return OptionsEnd.Stop;
    }
    const opt = b[cp++];
    let len: number;
    if (opt === 0 || opt === 1) len = 1;
    else {
      if (cp >= end) {
        out[0] += s + ' [|tcp]';
        return OptionsEnd.Stop;
      }
      len = b[cp++];
      if (len < 2 || len > left) return fail(false);
      left--;
    }
    left--;
    let datalen = 0;
    const name = NAMES[opt];
    s += name ?? `unknown-${opt}`;
    // LENCHECK: enough option bytes by the header, then captured.
    const check = (l: number): boolean | null => {
      if (l > left) return false;
      if (cp + l > end) return null;
      return true;
    };
    let ok: boolean | null = true;
    switch (opt) {
      case 2:
        datalen = 2;
        ok = check(2);
        if (ok) s += ` ${be16(b, cp)}`;
        break;
      case 3:
        datalen = 1;
        ok = check(1);
        if (ok) s += ` ${b[cp]}`;
        break;
      case 5:
        datalen = len - 2;
        if (datalen % 8 !== 0) s += ' invalid sack';
        else {
          s += ` ${datalen / 8} `;
          for (let i = 0; i < datalen && ok; i += 8) {
            ok = check(i + 4);
            if (ok) ok = check(i + 8);
            if (ok) s += `{${(be32(b, cp + i) - sackBase) >>> 0}:${(be32(b, cp + i + 4) - sackBase) >>> 0}}`;
          }
        }
        break;
      case 6:
      case 7:
      case 11:
      case 12:
      case 13:
        datalen = 4;
        ok = check(4);
        if (ok) s += ` ${be32(b, cp)}`;
        break;
      case 8:
        datalen = 8;
        ok = check(8);
        if (ok) s += ` val ${be32(b, cp)} ecr ${be32(b, cp + 4)}`;
        break;
      case 19:
        datalen = 16;
        ok = check(16);
        if (ok) {
          // tcpdump (built with OpenSSL) cannot verify without -M: it says why and dumps the digest.
          s += payloadCaptured ? ' shared secret not supplied with -M, ' : ' snaplen too short, ';
          s += "can't check - ";
          for (let i = 0; i < 16; i++) s += hex2(b[cp + i]);
        }
        break;
      case 20:
        datalen = 2;
        ok = check(2);
        if (ok) s += ` cap ${hex2(b[cp])} id ${b[cp + 1]}`;
        break;
      case 28: {
        datalen = 2;
        ok = check(2);
        if (ok) {
          const v = be16(b, cp);
          s += ` 0x${v.toString(16)} ${v & 1 ? (v >> 1) * 60 : v >> 1}`;
        }
        break;
      }
      case 29:
        datalen = len - 2;
        if (datalen < 2) s += ' (invalid)';
        else {
          ok = check(1);
          if (ok) s += ` keyid ${b[cp]}`;
          if (ok) ok = check(2);
          if (ok) s += ` rnextkeyid ${b[cp + 1]}`;
          if (ok && datalen > 2) {
            s += ' mac 0x';
            for (let i = 2; i < datalen && ok; i++) {
              ok = check(i + 1);
              if (ok) s += hex2(b[cp + i]);
            }
          }
        }
        break;
      case 30: {
        datalen = len - 2;
        ok = check(datalen);
        if (ok) {
          const text = mptcpText(b, cp - 2, len);
          if (text === null) return fail(false);
          s += text;
        }
        break;
      }
      case 34:
        datalen = len - 2;
        ok = check(datalen);
        if (ok) s += ' ' + fastOpen(b, cp, datalen);
        break;
      case 254:
        datalen = len - 2;
        ok = check(datalen);
        if (ok) {
          if (datalen < 2) return fail(false);
          const magic = be16(b, cp);
          s += '-';
          s +=
            magic === 0xf989 ? 'tfo' + fastOpen(b, cp + 2, datalen - 2) : magic.toString(16).padStart(4, '0');
        }
        break;
      case 0:
      case 1:
      case 4:
        break;
      default:
        datalen = len - 2;
        if (datalen > 0) s += ' 0x';
        for (let i = 0; i < datalen && ok; i++) {
          ok = check(i + 1);
          if (ok) s += hex2(b[cp + i]);
        }
    }
    if (ok === false) return fail(false);
    if (ok === null) return fail(true);
    cp += datalen;
    left -= datalen;
    datalen += opt === 0 || opt === 1 ? 1 : 2;
    if (datalen !== len) s += `[len ${len}]`;
    sep = ',';
    if (opt === 0) break;
  }
  out[0] += s + ']';
  return OptionsEnd.Complete;
}

function fastOpen(b: Uint8Array, cp: number, datalen: number): string {
  if (datalen === 0) return ' cookiereq';
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) return ' (invalid)';
  let s = ' cookie ';
  for (let i = 0; i < datalen; i++) s += hex2(b[cp + i]);
  return s;
}

/** MPTCP option subtypes (RFC 8684) by tcpdump's names. */
const MPTCP_SUBTYPES = [
  'capable',
  'join',
  'dss',
  'add-addr',
  'remove-addr',
  'prio',
  'fail',
  'fast-close',
  'tcprst',
];

/**
 * The MPTCP option after `mptcp`: tcpdump names the subtype; the fields it
 * prints per subtype are not reproduced beyond the name (docs/pcap.md).
 * null when the option is too short to carry a subtype (tcpdump: `[bad opt]`).
 */
function mptcpText(b: Uint8Array, start: number, len: number): string | null {
  if (len < 3) return null;
  const subtype = b[start + 2] >> 4;
  return ` ${MPTCP_SUBTYPES[subtype] ?? `unknown-${subtype}`}`;
}
