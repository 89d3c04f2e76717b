// Every committed capture in test/fixtures/captures/<scenario>/: each text
// rendering parses without errors to the wire values tshark reads from the pcap
// (tshark-fields.tsv: tcp.seq_raw, tcp.ack_raw, tcp.len, tcp.flags.str), and all
// tcpdump flavours of one capture give the same segments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import { parseTrace } from '../../../server/src/analysis/parse';
import type { Segment } from '../../../server/src/analysis/model';
import { ep, flagLetters } from './support';

const capturesDir = path.join(fixturesDir, 'captures');

interface Row {
  readonly frame: number;
  readonly flags: string;
  readonly seq: number;
  readonly ack: number;
  readonly len: number;
  readonly stream: number;
}

function readFields(file: string): Row[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = (header ?? '').split('\t');
  const at = (name: string): number => {
    const i = cols.indexOf(name);
    assert.ok(i >= 0, `${file} lacks column ${name}`);
    return i;
  };
  const [fr, fl, sq, ak, ln, st] = [
    at('frame.number'),
    at('tcp.flags.str'),
    at('tcp.seq_raw'),
    at('tcp.ack_raw'),
    at('tcp.len'),
    at('tcp.stream'),
  ];
  return rows.map((line) => {
    const c = line.split('\t');
    return {
      frame: Number(c[fr]),
      // tshark's flags string `·······A··S·` → our letters in FSRPAUEW order.
      flags: flagsFromTshark(c[fl] ?? ''),
      seq: Number(c[sq]),
      ack: Number(c[ak]),
      len: Number(c[ln]),
      stream: Number(c[st]),
    };
  });
}

/** tcp.flags.str is 12 positions: reserved×3, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
function flagsFromTshark(s: string): string {
  const chars = [...s];
  const has = (i: number): boolean => chars[i] !== undefined && chars[i] !== '·';
  let out = '';
  if (has(11)) out += 'F';
  if (has(10)) out += 'S';
  if (has(9)) out += 'R';
  if (has(8)) out += 'P';
  if (has(7)) out += 'A';
  if (has(6)) out += 'U';
  if (has(5)) out += 'E';
  if (has(4)) out += 'W';
  if (has(3)) out += 'e';
  return out === '' ? '-' : out;
}

/** The frame number a tshark line starts with. */
function frameOf(text: string, s: Segment): number {
  const line = text.split('\n')[s.line] ?? '';
  return Number(/^\s*(\d+)/.exec(line)?.[1]);
}

function key(s: Segment): string {
  return `${ep(s.src)}>${ep(s.dst)} ${flagLetters(s.flags)} ${s.seq ?? '-'} ${s.ack ?? '-'} ${s.len}`;
}

const scenarios = fs.existsSync(capturesDir)
  ? fs.readdirSync(capturesDir).filter((d) => fs.existsSync(path.join(capturesDir, d, 'tshark-fields.tsv')))
  : [];

describe('fixture captures', () => {
  test('there are fixture captures to check', () => {
    assert.ok(scenarios.length >= 5, `only ${scenarios.length} scenarios under ${capturesDir}`);
  });

  for (const scenario of scenarios) {
    const dir = path.join(capturesDir, scenario);
    const rows = readFields(path.join(dir, 'tshark-fields.tsv'));
    const flavours = fs.readdirSync(dir).filter((f) => f.endsWith('.tcptrace'));

    describe(scenario, () => {
      for (const flavour of flavours) {
        const text = fs.readFileSync(path.join(dir, flavour), 'utf8');
        test(`${flavour} parses to the wire values`, () => {
          const r = parseTrace(text);
          assert.deepEqual(r.diagnostics, []);
          if (flavour.startsWith('tshark')) {
            assert.equal(r.format, 'tshark');
            checkTshark(text, r.segments, rows);
            return;
          }
          assert.equal(r.format, 'tcpdump');
          assert.equal(r.segments.length, rows.length, 'one segment per captured TCP packet');
          r.segments.forEach((s, i) => {
            const row = rows[i] as Row;
            const where = `${flavour} packet ${i + 1} (line ${s.line + 1})`;
            if (s.flagsUnknown === true) {
              // Snap length cut the header before the flags: only that much can be checked.
              assert.ok(s.truncated, `${where}: truncated`);
              assert.deepEqual([s.flags, s.seq, s.ack], [0, null, null], `${where}: unknown, not made up`);
              return;
            }
            assert.equal(flagLetters(s.flags), row.flags, `${where}: flags`);
            assert.equal(s.len, row.len, `${where}: len`);
            // tcpdump leaves seq out on pure ACKs (without -vv): null, never a wrong value.
            if (s.seq !== null) assert.equal(s.seq, row.seq, `${where}: seq`);
            else assert.ok(row.flags === 'A' && row.len === 0, `${where}: seq missing on a non-pure-ACK`);
            if (row.flags.includes('A')) assert.equal(s.ack, row.ack, `${where}: ack`);
            else assert.equal(s.ack, null, `${where}: ack without ACK flag`);
          });
        });
      }

      test('all tcpdump flavours give the same segments', () => {
        const reference = parseTrace(fs.readFileSync(path.join(dir, 'tcpdump-nS.tcptrace'), 'utf8')).segments;
        const namesFile = path.join(dir, 'tcpdump-names.tcptrace');
        const names = fs.existsSync(namesFile)
          ? parseTrace(fs.readFileSync(namesFile, 'utf8')).segments
          : reference;
        for (const flavour of flavours.filter(
          (f) => f.startsWith('tcpdump-') && f !== 'tcpdump-names.tcptrace',
        )) {
          const segs = parseTrace(fs.readFileSync(path.join(dir, flavour), 'utf8')).segments;
          assert.equal(segs.length, reference.length, flavour);
          segs.forEach((s, i) => {
            const ref = reference[i] as Segment;
            if (s.flagsUnknown === true) {
              assert.deepEqual(
                [ep(s.src), ep(s.dst)],
                [ep(ref.src), ep(ref.dst)],
                `${flavour} packet ${i + 1}`,
              );
              return;
            }
            // Pure ACKs print no seq except with -vv: compare seq where both have one.
            const bothSeq = s.seq !== null && ref.seq !== null;
            assert.equal(
              key({ ...s, seq: bothSeq ? s.seq : null }),
              key({ ...ref, seq: bothSeq ? ref.seq : null }),
              `${flavour} packet ${i + 1}`,
            );
          });
        }
        assert.equal(names.length, reference.length);
        names.forEach((s, i) => {
          // Without -n: same numbers and ports, host names instead of addresses.
          const ref = reference[i] as Segment;
          assert.deepEqual(
            [s.src.port, s.dst.port, s.flags, s.seq ?? ref.seq, s.ack, s.len],
            [ref.src.port, ref.dst.port, ref.flags, ref.seq, ref.ack, ref.len],
            `tcpdump-names packet ${i + 1}`,
          );
        });
      });
    });
  }
});

/**
 * tshark prints relative numbers (SYN at 0): each tshark line must match its
 * frame's flags and length, and seq − tcp.seq_raw must be one constant per
 * stream and direction (our numbers are consistent, base 0).
 */
function checkTshark(text: string, segments: readonly Segment[], rows: readonly Row[]): void {
  const offsets = new Map<string, number>();
  const byFrame = new Map(rows.map((r) => [r.frame, r]));
  // Lines of an application protocol (HTTP, ...) or a reassembled PDU hide the TCP fields:
  // count the lines that show `sport → dport [FLAGS]`.
  const tcpLines = text
    .split('\n')
    .filter((l) => /\s(TCP|MPTCP)\s+\d+\s/.test(l) && /\d+ (→|->) \d+ \[/.test(l)).length;
  assert.equal(segments.length, tcpLines, 'one segment per TCP line');
  assert.ok(tcpLines >= rows.length / 2, 'most packets show their TCP fields');
  for (const s of segments) {
    const row = byFrame.get(frameOf(text, s));
    assert.ok(row !== undefined, `line ${s.line + 1}: frame not in tshark-fields.tsv`);
    assert.equal(flagLetters(s.flags), row.flags, `line ${s.line + 1}: flags`);
    assert.equal(s.len, row.len, `line ${s.line + 1}: len`);
    const dir = `${row.stream} ${ep(s.src)}`;
    const off = ((s.seq ?? 0) - row.seq) >>> 0;
    const known = offsets.get(dir);
    if (known === undefined) offsets.set(dir, off);
    else assert.equal(off, known, `line ${s.line + 1}: seq offset changed within a direction`);
  }
}
