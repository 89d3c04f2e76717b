// TCP options as tcpdump prints them inside `options [...]`, including its
// answers to damage: `[bad opt]` for impossible lengths, ` [|tcp]` when the
// capture ends inside the options (followed by `>` where tcpdump's checked
// reads bail out after the first option), `[len N]` for a length that differs
// from the option's fixed size.
import { ipv4Text, ipv6Text } from './address';
import { be16, be32 } from './bytes';
import type { TextSink } from './sink';

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

/** tcpdump's LENCHECK: enough option bytes by the header (else false: `[bad opt]`), then captured (else null: truncated). */
function lenCheck(left: number, cp: number, end: number, l: number): boolean | null {
  if (l > left) return false;
  if (cp + l > end) return null;
  return true;
}

/** Ends the options list as tcpdump does when it bails out: truncated or bad. */
function fail(w: TextSink, sep: string, trunc: boolean): OptionsEnd {
  if (trunc) w.str(sep !== '' ? ' [|tcp]>' : ' [|tcp]');
  else w.str(sep !== '' ? '[bad opt]]' : '[bad opt]');
  return OptionsEnd.Stop;
}

/**
 * Writes the options text (from `, options [`). `o`..`o+len` is
 * the options area by the header length; `end` the end of captured bytes.
 */
export function renderOptions(
  b: Uint8Array,
  o: number,
  hlen: number,
  end: number,
  sackBase: number,
  payloadCaptured: boolean,
  tcpFlags: number,
  w: TextSink,
): OptionsEnd {
  w.str(', options [');
  let sep = '';
  let cp = o;
  let left = hlen;
  while (left > 0) {
    if (sep !== '') w.byte(44);
    if (cp >= end) {
      w.str(' [|tcp]');
      return OptionsEnd.Stop;
    }
    const opt = b[cp++];
    let len: number;
    if (opt === 0 || opt === 1) len = 1;
    else {
      if (cp >= end) {
        w.str(' [|tcp]');
        return OptionsEnd.Stop;
      }
      len = b[cp++];
      if (len < 2 || len > left) return fail(w, sep, false);
      left--;
    }
    left--;
    let datalen = 0;
    const name = NAMES[opt];
    if (name !== undefined) w.str(name);
    else {
      w.str('unknown-');
      w.num(opt);
    }
    let ok: boolean | null = true;
    switch (opt) {
      case 2:
        datalen = 2;
        ok = lenCheck(left, cp, end, 2);
        if (ok) {
          w.byte(32);
          w.num(be16(b, cp));
        }
        break;
      case 3:
        datalen = 1;
        ok = lenCheck(left, cp, end, 1);
        if (ok) {
          w.byte(32);
          w.num(b[cp]);
        }
        break;
      case 5:
        datalen = len - 2;
        if (datalen % 8 !== 0) w.str(' invalid sack');
        else {
          w.str(` ${datalen / 8} `);
          for (let i = 0; i < datalen && ok; i += 8) {
            ok = lenCheck(left, cp, end, i + 4);
            if (ok) ok = lenCheck(left, cp, end, i + 8);
            if (ok) {
              w.byte(123);
              w.num((be32(b, cp + i) - sackBase) >>> 0);
              w.byte(58);
              w.num((be32(b, cp + i + 4) - sackBase) >>> 0);
              w.byte(125);
            }
          }
        }
        break;
      case 6:
      case 7:
      case 11:
      case 12:
      case 13:
        datalen = 4;
        ok = lenCheck(left, cp, end, 4);
        if (ok) w.str(` ${be32(b, cp)}`);
        break;
      case 8:
        datalen = 8;
        ok = lenCheck(left, cp, end, 8);
        if (ok) {
          w.str(' val ');
          w.num(be32(b, cp));
          w.str(' ecr ');
          w.num(be32(b, cp + 4));
        }
        break;
      case 19:
        datalen = 16;
        ok = lenCheck(left, cp, end, 16);
        if (ok) {
          // tcpdump (built with OpenSSL) cannot verify without -M: it says why and dumps the digest.
          w.str(payloadCaptured ? ' shared secret not supplied with -M, ' : ' snaplen too short, ');
          w.str("can't check - ");
          for (let i = 0; i < 16; i++) w.str(hex2(b[cp + i]));
        }
        break;
      case 20:
        datalen = 2;
        ok = lenCheck(left, cp, end, 2);
        if (ok) w.str(` cap ${hex2(b[cp])} id ${b[cp + 1]}`);
        break;
      case 28: {
        datalen = 2;
        ok = lenCheck(left, cp, end, 2);
        if (ok) {
          const v = be16(b, cp);
          w.str(` 0x${v.toString(16)} ${v & 1 ? (v >> 1) * 60 : v >> 1}`);
        }
        break;
      }
      case 29:
        datalen = len - 2;
        if (datalen < 2) w.str(' (invalid)');
        else {
          ok = lenCheck(left, cp, end, 1);
          if (ok) w.str(` keyid ${b[cp]}`);
          if (ok) ok = lenCheck(left, cp, end, 2);
          if (ok) w.str(` rnextkeyid ${b[cp + 1]}`);
          if (ok && datalen > 2) {
            w.str(' mac 0x');
            for (let i = 2; i < datalen && ok; i++) {
              ok = lenCheck(left, cp, end, i + 1);
              if (ok) w.str(hex2(b[cp + i]));
            }
          }
        }
        break;
      case 30: {
        datalen = len - 2;
        ok = lenCheck(left, cp, end, datalen);
        if (ok) {
          const result = { bad: false };
          w.str(mptcpText(b, cp - 2, len, tcpFlags, result));
          if (result.bad) return fail(w, sep, false);
        }
        break;
      }
      case 34:
        datalen = len - 2;
        ok = lenCheck(left, cp, end, datalen);
        if (ok) w.str(' ' + fastOpen(b, cp, datalen));
        break;
      case 254:
        datalen = len - 2;
        ok = lenCheck(left, cp, end, datalen);
        if (ok) {
          if (datalen < 2) return fail(w, sep, false);
          const magic = be16(b, cp);
          w.str('-');
          w.str(
            magic === 0xf989 ? 'tfo' + fastOpen(b, cp + 2, datalen - 2) : magic.toString(16).padStart(4, '0'),
          );
        }
        break;
      case 0:
      case 1:
      case 4:
        break;
      default:
        datalen = len - 2;
        if (datalen > 0) w.str(' 0x');
        for (let i = 0; i < datalen && ok; i++) {
          ok = lenCheck(left, cp, end, i + 1);
          if (ok) w.str(hex2(b[cp + i]));
        }
    }
    if (ok === false) return fail(w, sep, false);
    if (ok === null) return fail(w, sep, true);
    cp += datalen;
    left -= datalen;
    datalen += opt === 0 || opt === 1 ? 1 : 2;
    if (datalen !== len) w.str(`[len ${len}]`);
    sep = ',';
    if (opt === 0) break;
  }
  w.byte(93);
  return OptionsEnd.Complete;
}

function fastOpen(b: Uint8Array, cp: number, datalen: number): string {
  if (datalen === 0) return ' cookiereq';
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) return ' (invalid)';
  let s = ' cookie ';
  for (let i = 0; i < datalen; i++) s += hex2(b[cp + i]);
  return s;
}

const hex = (n: number): string => n.toString(16);

/** A 64-bit big-endian number in decimal or hex, exactly. */
function be64(b: Uint8Array, o: number, radix: 10 | 16): string {
  return ((BigInt(be32(b, o)) << 32n) | BigInt(be32(b, o + 4))).toString(radix);
}

/**
 * The MPTCP option after `mptcp` as tcpdump prints it: the option length,
 * the subtype name and its fields. When tcpdump finds the option malformed
 * it prints `[bad opt]` after what it printed so far: `bad` is then set.
 * `o` is the option's kind byte.
 */
function mptcpText(b: Uint8Array, o: number, len: number, flags: number, result: { bad: boolean }): string {
  const bad = (text: string): string => {
    result.bad = true;
    return text;
  };
  if (len < 3) return bad('');
  const subtype = Math.min(b[o + 2] >> 4, 8);
  const names = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'unknown'];
  let s = ` ${len} ${names[subtype]}`;
  const SYN_ = 0x02;
  const ACK_ = 0x10;
  switch (subtype) {
    case 0: {
      if (
        !((len === 12 || len === 4) && flags & SYN_) &&
        !((len === 20 || len === 22) && (flags & (SYN_ | ACK_)) === ACK_)
      )
        return bad(s);
      const version = b[o + 2] & 15;
      if (version > 1) return s + ` Unknown Version (${version})`;
      s += ` v${version}`;
      if (b[o + 3] & 0x80) s += ' csum';
      if (len === 12 || len >= 20) {
        s += ` {0x${be64(b, o + 4, 16)}`;
        if (len >= 20) s += `,0x${be64(b, o + 12, 16)}`;
        s += '}';
      }
      return s;
    }
    case 1: {
      if (
        !(len === 12 && flags & SYN_) &&
        !(len === 16 && (flags & (SYN_ | ACK_)) === (SYN_ | ACK_)) &&
        !(len === 24 && flags & ACK_)
      )
        return bad(s);
      if (len !== 24) {
        if (b[o + 2] & 1) s += ' backup';
        s += ` id ${b[o + 3]}`;
      }
      if (len === 12) s += ` token 0x${hex(be32(b, o + 4))} nonce 0x${hex(be32(b, o + 8))}`;
      else if (len === 16) s += ` hmac 0x${be64(b, o + 4, 16)} nonce 0x${hex(be32(b, o + 12))}`;
      else {
        s += ' hmac 0x';
        for (let i = 0; i < 20; i++) s += hex2(b[o + 4 + i]);
      }
      return s;
    }
    case 2: {
      if (len < 4 || flags & SYN_) return bad(s);
      const f = b[o + 3];
      let p = o + 4;
      let left = len - 4;
      if (f & 0x10) s += ' fin';
      if (f & 0x01) {
        s += ' ack ';
        const wide = (f & 0x02) !== 0;
        if (left < (wide ? 8 : 4)) return bad(s);
        s += wide ? be64(b, p, 10) : `${be32(b, p)}`;
        p += wide ? 8 : 4;
        left -= wide ? 8 : 4;
      }
      if (f & 0x04) {
        s += ' seq ';
        const wide = (f & 0x08) !== 0;
        if (left < (wide ? 8 : 4)) return bad(s);
        s += wide ? be64(b, p, 10) : `${be32(b, p)}`;
        p += wide ? 8 : 4;
        left -= wide ? 8 : 4;
        if (left < 4) return bad(s);
        s += ` subseq ${be32(b, p)}`;
        p += 4;
        left -= 4;
        if (left < 2) return bad(s);
        s += ` len ${be16(b, p)}`;
        p += 2;
        left -= 2;
        if (left >= 2) {
          s += ` csum 0x${hex(be16(b, p))}`;
          left -= 2;
        }
      }
      return left === 0 ? s : bad(s);
    }
    case 3: {
      const low = b[o + 2] & 15;
      if (low === 4 || low === 6) {
        // RFC 6824 (v0): the low bits are the IP version.
        if (!(((len === 8 || len === 10) && low === 4) || ((len === 20 || len === 22) && low === 6)))
          return bad(s);
        s += ` v0-ip${low} id ${b[o + 3]} ${low === 4 ? ipv4Text(b, o + 4) : ipv6Text(b, o + 4)}`;
        if (len === 10 || len === 22) s += `:${be16(b, o + (low === 4 ? 8 : 20))}`;
        return s;
      }
      // RFC 8684 (v1): the address family follows from the length; a HMAC unless echoed.
      const v4 = [8, 10, 16, 18].includes(len);
      if (!v4 && ![20, 22, 28, 30].includes(len)) return bad(s);
      const addrEnd = o + 4 + (v4 ? 4 : 16);
      const port = len === 10 || len === 18 || len === 22 || len === 30;
      s += ` v1${low & 1 ? '-echo' : ''} id ${b[o + 3]} ${v4 ? ipv4Text(b, o + 4) : ipv6Text(b, o + 4)}`;
      if (port) s += `:${be16(b, addrEnd)}`;
      if (len === 16 || len === 18 || len === 28 || len === 30)
        s += ` hmac 0x${be64(b, addrEnd + (port ? 2 : 0), 16)}`;
      return s;
    }
    case 4: {
      if (len < 4) return bad(s);
      s += ' id';
      for (let i = 3; i < len; i++) s += ` ${b[o + i]}`;
      return s;
    }
    case 5:
      if (len !== 3 && len !== 4) return bad(s);
      s += b[o + 2] & 1 ? ' backup' : ' non-backup';
      return len === 4 ? s + ` id ${b[o + 3]}` : s;
    case 6:
      return len === 12 ? s + ` seq ${be64(b, o + 4, 10)}` : bad(s);
    case 7:
      return len === 12 ? s + ` key 0x${be64(b, o + 4, 16)}` : bad(s);
    default:
      return s;
  }
}
