// Property tests (fast-check): the parser never throws, whatever the input;
// the per-line API (readLine + nextContext + normalize, as the language server
// uses it) gives exactly what parseTrace gives; relative and absolute (-S)
// renderings of the same segments read the same.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { fixturesDir } from '../../support/paths';
import { normalize, parseTrace } from '../../../server/src/analysis/parse';
import { recordsOf } from './support';
import type { ParseResult } from '../../../server/src/analysis/model';

const capturesDir = path.join(fixturesDir, 'captures');
/** Every committed rendering, by `scenario/flavour` so a counterexample names its file. */
const samples = new Map<string, string>();
if (fs.existsSync(capturesDir)) {
  for (const d of fs.readdirSync(capturesDir)) {
    const dir = path.join(capturesDir, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tcptrace'))) {
      samples.set(`${d}/${f}`, fs.readFileSync(path.join(dir, f), 'utf8'));
    }
  }
}

/** The language server's way: split into lines, read each with the context of the one before, normalize. */
function perLine(text: string): ParseResult {
  const lines = text.split('\n');
  const n = normalize(recordsOf(lines, true));
  return {
    format: n.format,
    lineCount: lines.length,
    segments: n.segments,
    diagnostics: n.diagnostics,
    disabledCodes: n.disabledCodes,
  };
}

function checkInvariants(text: string, r: ParseResult): void {
  const lineCount = text.split('\n').length;
  assert.equal(r.lineCount, lineCount);
  for (const s of r.segments) {
    assert.ok(s.line >= 0 && s.line <= s.endLine && s.endLine < lineCount);
    for (const v of [s.seq, s.ack])
      assert.ok(v === null || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff));
    assert.ok(Number.isInteger(s.len) && s.len >= 0);
    for (const f of s.fields) assert.ok(f.start >= 0 && f.start <= f.end);
  }
  for (const d of r.diagnostics) assert.ok(d.line >= 0 && d.line < lineCount);
}

/** Pieces of real syntax, so random inputs get deep into the readers. */
const TOKENS = [
  '08:40:00.465205 ',
  ' 00:00:00.000001 ',
  '2026-11-24 08:40:00.1 ',
  '1700000000.5 ',
  '    1  ',
  'IP ',
  'IP6 ',
  '127.0.0.1.34370',
  ' > ',
  '::1.https',
  ': ',
  'Flags [',
  'S.',
  'FP.',
  'none',
  '], ',
  'seq ',
  '1:5',
  '4294967295',
  ', ack ',
  '1',
  ', win ',
  '64',
  ', options [',
  'nop,nop,TS val 1 ecr 2',
  'sack 1 {1:2}',
  'mss 1460',
  '[bad opt]',
  ']',
  ', length ',
  '4',
  ': HTTP',
  ' [|tcp]',
  '\n',
  '\n    ',
  '\t0x0000:  4500',
  '(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 52)',
  '02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: ',
  'lo    In  ',
  '+0 ',
  '< ',
  '> ',
  'S 0:0(0) ',
  'win 100 ',
  '<mss 1460>',
  '→',
  ' TCP 74 ',
  '[SYN, ACK] ',
  'Seq=0 ',
  'Ack=1 ',
  'Len=0 ',
  '# tcptrace-disable ',
  'keep-alive',
  ',',
  ' ',
  '\r',
  '(',
  ')',
  '[',
  '{',
  '}',
  ':',
  '.',
  '-',
];

describe('parser properties', () => {
  test('never throws on arbitrary strings; per-line equals whole-text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const r = parseTrace(text);
        checkInvariants(text, r);
        assert.deepEqual(
          perLine(text.replace(/\r?\n/g, '\n')).segments.length,
          parseTrace(text.replace(/\r?\n/g, '\n')).segments.length,
        );
      }),
      { numRuns: 300 },
    );
  });

  test('never throws on token soup; per-line equals whole-text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const r = parseTrace(text);
        checkInvariants(text, r);
        assert.deepEqual(perLine(text), r);
      }),
      { numRuns: 500 },
    );
  });

  test('never throws on mutated real traces; per-line equals whole-text', () => {
    assert.ok(samples.size > 0, 'fixture traces exist');
    const mutation = fc.record({
      sample: fc.constantFrom(...samples.keys()),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          kind: fc.constantFrom('delete', 'insert', 'replace', 'dupline'),
          ch: fc.constantFrom(...TOKENS),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ sample, edits }) => {
        let text = samples.get(sample) as string;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1 + (e.at % 7));
          else if (e.kind === 'insert') text = text.slice(0, at) + e.ch + text.slice(at);
          else if (e.kind === 'replace') text = text.slice(0, at) + e.ch + text.slice(at + e.ch.length);
          else {
            const lines = text.split('\n');
            const i = e.at % lines.length;
            lines.splice(i, 0, lines[i] as string);
            text = lines.join('\n');
          }
        }
        const r = parseTrace(text);
        checkInvariants(text, r);
        assert.deepEqual(perLine(text), r);
      }),
      { numRuns: 300 },
    );
  });
});

/** tcpdump's printing, from formats doc §5: used to render random connections both ways. */
function render(
  segs: readonly { c2s: boolean; flags: string; seq: number; ack: number | null; len: number }[],
  absolute: boolean,
): string {
  const client = '10.1.2.3.40000';
  const server = '10.9.8.7.443';
  let bases: { client: number; server: number } | null = null;
  return segs
    .map((s, i) => {
      const hasAck = s.ack !== null;
      let seq = s.seq;
      let ack = s.ack;
      if (!absolute && hasAck) {
        if (bases === null || s.flags.includes('S')) {
          bases = s.c2s
            ? { client: s.seq, server: ((s.ack as number) - 1) >>> 0 }
            : { server: s.seq, client: ((s.ack as number) - 1) >>> 0 };
        } else {
          seq = (s.seq - (s.c2s ? bases.client : bases.server)) >>> 0;
          ack = ((s.ack as number) - (s.c2s ? bases.server : bases.client)) >>> 0;
        }
      }
      const end = (seq + s.len) >>> 0;
      const seqText = s.len > 0 ? `, seq ${seq}:${end}` : `, seq ${seq}`;
      const ackText = hasAck ? `, ack ${ack}` : '';
      const [src, dst] = s.c2s ? [client, server] : [server, client];
      const t = `10:00:00.${String(i).padStart(6, '0')}`;
      return `${t} IP ${src} > ${dst}: Flags [${s.flags}]${seqText}${ackText}, win 512, length ${s.len}`;
    })
    .join('\n');
}

describe('relative and absolute numbering read the same', () => {
  // Real ISNs are random 32-bit values. Within 2^20 of 0 (mod 2^32) a -S number and a
  // relative one can look alike, so detection needs ISNs outside that band (docs/formats.md).
  const isn = fc.integer({ min: 2 ** 20, max: 2 ** 32 - 2 ** 20 - 1 });
  test('random connections with random ISNs (also across 2^32)', () => {
    const conn = fc.record({
      isnC: isn,
      isnS: fc.oneof(isn, fc.constant(2 ** 32 - 2 ** 20 - 1)),
      exchanges: fc.array(fc.record({ c2s: fc.boolean(), len: fc.integer({ min: 0, max: 30000 }) }), {
        maxLength: 30,
      }),
      withSynAck: fc.boolean(),
    });
    fc.assert(
      fc.property(conn, ({ isnC, isnS, exchanges, withSynAck }) => {
        let nextC = (isnC + 1) >>> 0;
        let nextS = (isnS + 1) >>> 0;
        const segs: { c2s: boolean; flags: string; seq: number; ack: number | null; len: number }[] = [
          { c2s: true, flags: 'S', seq: isnC, ack: null, len: 0 },
        ];
        if (withSynAck) segs.push({ c2s: false, flags: 'S.', seq: isnS, ack: nextC, len: 0 });
        for (const x of exchanges) {
          segs.push(
            x.c2s
              ? { c2s: true, flags: x.len > 0 ? 'P.' : '.', seq: nextC, ack: nextS, len: x.len }
              : { c2s: false, flags: x.len > 0 ? 'P.' : '.', seq: nextS, ack: nextC, len: x.len },
          );
          if (x.c2s) nextC = (nextC + x.len) >>> 0;
          else nextS = (nextS + x.len) >>> 0;
        }
        const rel = parseTrace(render(segs, false));
        const abs = parseTrace(render(segs, true));
        assert.deepEqual(rel.diagnostics, []);
        assert.deepEqual(
          rel.segments.map((s) => [s.seq, s.ack, s.len]),
          segs.map((s) => [s.seq, s.ack, s.len]),
        );
        assert.deepEqual(
          abs.segments.map((s) => [s.seq, s.ack]),
          segs.map((s) => [s.seq, s.ack]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
