// The one-pass reader of the common tcpdump line (tcpdumpFast.ts) must give
// exactly the general reader's record, or leave the line to it: checked on every
// line of every committed trace and on hand-made edge cases.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';
import {
  INITIAL_CONTEXT,
  nextContext,
  parseTrace,
  readLine,
  TraceParser,
  type LineContext,
} from '../../../server/src/analysis/parse';
import type { ParseResult, Segment } from '../../../server/src/analysis/model';
import { DECIDE_AFTER } from '../../../server/src/analysis/parse/normalize';
import { readTcpdumpLine } from '../../../server/src/analysis/parse/tcpdump';
import { readTcpdumpFast } from '../../../server/src/analysis/parse/tcpdumpFast';
import { contextOf, TsMode, type LineRecord } from '../../../server/src/analysis/parse/records';

/** Every text trace in the repository (fixtures, examples, test data). */
function traceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.tcptrace') || name.endsWith('.txt')) out.push(file);
    }
  };
  walk(fixturesDir);
  walk(path.join(repoRoot, 'examples'));
  walk(path.join(repoRoot, 'test', 'unit', 'parse', 'data'));
  return out;
}

const encoder = new TextEncoder();

/**
 * Compares the readers on the line [start, end) of text with ctx; returns
 * whether the fast reader took it. The fast reader gets the line's bytes, then
 * the line break, then the line again: reading past the break would show.
 * Endpoints must be the very same (interned) objects.
 */
function agree(
  text: string,
  start: number,
  end: number,
  line: number,
  ctx: LineContext,
  where: string,
): boolean {
  const own = text.slice(start, end);
  const bytes = encoder.encode(`${own}\n${own}`);
  if (bytes.length !== 2 * own.length + 1) return false; // not ASCII: never given to the fast reader
  const fast = readTcpdumpFast(bytes, 0, own.length, line, ctx, null);
  if (fast === null) return false;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  const general = readTcpdumpLine(text, start, end, line, ctx, null);
  assert.ok(general !== null && general.kind === 'packet', `${where}: general reader gives ${general?.kind}`);
  assert.deepStrictEqual(fast, general, where);
  assert.equal(fast.src, general.src, `${where}: src is the interned object`);
  assert.equal(fast.dst, general.dst, `${where}: dst is the interned object`);
  assert.equal(fast.options === general.options, Object.keys(fast.options).length === 0, `${where}: options`);
  return true;
}

/** Each line of text with the context the general reader gives it. */
function checkText(text: string, name: string): { lines: number; fast: number } {
  let ctx = INITIAL_CONTEXT;
  let start = 0;
  let line = 0;
  let fast = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (agree(text, start, end, line, ctx, `${name}:${line + 1}`)) fast++;
    ctx = nextContext(ctx, readLine(text, line, ctx, start, end, true));
    line++;
    if (nl < 0) break;
    start = nl + 1;
  }
  return { lines: line, fast };
}

const TIME_CONTEXTS: readonly LineContext[] = [
  INITIAL_CONTEXT,
  contextOf(TsMode.TimeOfDay, false, true),
  contextOf(TsMode.Epoch, false, true),
  contextOf(TsMode.Delta, false, true),
  contextOf(TsMode.Date, false, true),
  contextOf(TsMode.None, false, true),
  contextOf(TsMode.TimeOfDay, true, false),
];

/** The start of most edge lines: a time, IPv4 addresses; the body follows. */
const plain = '12:00:00.1 IP 10.0.0.1.5 > 10.0.0.2.80: ';

/** Lines of every kind the readers meet; `fast` marks those the fast reader must take. */
const EDGE_LINES: readonly { line: string; fast?: true }[] = [
  {
    line: '06:00:00.025339 IP 10.0.1.1.8443 > 10.2.0.5.46780: Flags [.], seq 7241:8689, ack 560, win 509, options [nop,nop,TS val 3670507634 ecr 3951647743], length 1448',
    fast: true,
  },
  {
    line: '06:00:00.000025 IP 10.2.0.13.37834 > 10.0.1.1.9000: Flags [S], seq 532334051, win 64240, options [mss 1460,sackOK,TS val 2057201267 ecr 0,nop,wscale 7], length 0',
    fast: true,
  },
  {
    line: '06:00:00.025512 IP 10.2.0.58.36013 > 10.0.1.4.8443: Flags [.], ack 4345, win 502, options [nop,nop,TS val 2607332731 ecr 1474649948,nop,nop,sack 1 {5793:9405}], length 0',
    fast: true,
  },
  {
    line: '12:00:00.000001 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [.], ack 4345, win 502, options [nop,nop,sack 2 {1:2}{3:4}], length 0',
    fast: true,
  },
  {
    line: '1700000000.123456 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [R.], seq 1, ack 2, win 0, length 0',
    fast: true,
  },
  {
    line: '2024-01-02 03:04:05.678901 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 0, length 0',
    fast: true,
  },
  {
    line: ' 00:00:00.000123 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [F.], seq 1, ack 2, win 5, length 0',
    fast: true,
  },
  { line: '12:00:00.123456789 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [SEW], seq 1, win 5, length 0', fast: true },
  { line: plain + 'Flags [none], seq 1, win 5, length 0', fast: true },
  {
    line: plain + 'Flags [U.], seq 1:2, ack 1, win 5, urg 1, length 1',
    fast: true,
  },
  {
    line: '12:00:00.1 IP6 ::1.40000 > ::1.5000: Flags [S.], seq 1, ack 2, win 5, options [mss 65476,sackOK,TS val 1 ecr 2,nop,wscale 7], length 0',
    fast: true,
  },
  {
    line: '12:00:00.1 IP6 fe80::1%eth0.22 > fe80::2.1022: Flags [P.], seq 1:5, ack 2, win 5, length 4',
    fast: true,
  },
  {
    line: '12:00:00.1 IP client.example.com.51234 > server.example.com.https: Flags [.], ack 1, win 5, length 0',
    fast: true,
  },
  { line: '12:00:00.1 IP 10.0.0.1.http > 10.0.0.2.ssh: Flags [.], ack 1, win 5, length 0', fast: true },
  { line: '12:00:00.1 IP 10.0.0.1.05 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0', fast: true },
  { line: '12:00:00.1 IP 10.0.0.01.5 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0', fast: true },
  { line: '12:00:00.1 IP 10.0.0.256.5 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0', fast: true },
  { line: '12:00:00.1 IP 10.0.0.1.65536 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0' },
  { line: '12:00:00.1 IP 10.0.0.1 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0', fast: true },
  { line: plain + 'Flags [.], ack 1, win 5, length 0, banner', fast: true },
  { line: plain + 'Flags [.], ack 1, length 0, win 5', fast: true },
  {
    line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4: HTTP: GET / HTTP/1.1',
    fast: true,
  },
  {
    line:
      plain +
      'Flags [P.], seq 1:5, ack 1, win 5, options [nop,nop,TS val 1001 ecr 2000], length 4: \t HTTP \x0b ',
    fast: true,
  },
  { line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4:  ', fast: true },
  { line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4 x', fast: true },
  { line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4:x', fast: true },
  { line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4: a [remaining caplen 3]' },
  { line: plain + 'Flags [P.], seq 1:5, ack 1, win 5, length 4: [bad hdr length 3]' },
  { line: plain + 'Flags [.], ack 1, win 5, length 0 [|tcp]' },
  {
    line: plain + 'Flags [S], seq 1, win 5, options [mss 1460,sackOK,[|tcp]>',
  },
  { line: plain + '[|tcp]' },
  { line: plain + 'tcp 0' },
  { line: plain + 'Flags [X], seq 1, win 5, length 0' },
  { line: plain + 'Flags [.], seq x, win 5, length 0' },
  { line: plain + 'Flags [.], seq 4294967296, win 5, length 0' },
  {
    line: plain + 'Flags [.], cksum 0x1c2b (correct), seq 1, win 5, length 0',
  },
  {
    line: plain + 'Flags [S], seq 1, win 5, options [tfo  cookiereq,nop,nop], length 0',
  },
  {
    line: plain + 'Flags [S], seq 1, win 5, options [mptcp capable v1,unknown-30 0x01], length 0',
  },
  { line: plain + 'Flags [S], seq 1, win 5, options [mss 1460,[bad opt]>' },
  {
    line:
      plain + 'Flags [.], ack 1, win 5, options [nop,nop,sack 3 {1:2}{4294967295:9999999999}{0:0}], length 0',
    fast: true,
  },
  { line: plain + 'Flags [.], ack 1, win 5, options [sack {1:2}], length 0' },
  {
    line: plain + 'Flags [.], ack 1, win 5, options [sack 1 {1:2}x], length 0',
  },
  {
    line: plain + 'Flags [.], ack 1, win 5, options [sack 1 {1 :2}], length 0',
  },
  {
    line:
      plain +
      'Flags [S], seq 1, win 5, options [mss 1,mss 02,wscale 14,sackOK,nop,TS val 9999999999 ecr 0], length 0',
    fast: true,
  },
  {
    line: plain + 'Flags [S], seq 1, win 5, options [TS val 12345678901 ecr 0], length 0',
  },
  {
    line: plain + 'Flags [S], seq 1, win 5, options [nop,nop], length 0',
    fast: true,
  },
  { line: plain + 'Flags [S], seq 1, win 5, options [], length 0' },
  { line: plain + 'Flags [S], seq 1, win 5, options [sackOK ], length 0' },
  { line: '12:00:00.1 IP 10.0.0.1.5: > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: '12:00:00.1 IP 10.0.0.1.5 > 10.0.0.2.80:: Flags [S], seq 1, win 5, length 0' },
  { line: '12:00:00.1 IP 10.0.0.1.5\t> 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: plain + 'Flags [S], seq 1:, win 5, length 0' },
  { line: plain + 'Flags [S], seq 1, win 5,length 0' },
  {
    line: plain + 'Flags [.], ack 1, win 5, options [eol,sack invalid], length 0',
  },
  { line: '12:00:00.1 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)' },
  { line: '    10.0.0.1.5 > 10.0.0.2.80: Flags [S], cksum 0x1 (incorrect -> 0x2), seq 1, win 5, length 0' },
  {
    line: '12:00:00.1 IP truncated-ip - 20 bytes missing! 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0',
  },
  { line: '    1  12:00:00.1 IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: 'IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: '12:00:00.1 eth0 In  IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: plain + 'S 1:1(0) win 5 <mss 1460>' },
  { line: '[timestamp overflow] IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: '12:00:00.1 (invalid us) IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], seq 1, win 5, length 0' },
  { line: plain + 'Flags [S], seq 1, win 5, length 0\r', fast: true },
  { line: plain + 'Flags [S], seq 1, win 5, length ' },
  { line: plain + 'Flags [S], seq 1, win 5' },
  { line: '12:00:00.1 IP 10.0.0.1.5 > 10.0.0.2.53: 1234+ A? example.com. (29)' },
  { line: '12:00:00.1 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28' },
];

describe('the fast tcpdump reader', () => {
  test('gives the general reader’s record on every line of every committed trace, and takes most of them', () => {
    let lines = 0;
    let fast = 0;
    const files = traceFiles();
    assert.ok(files.length > 100, `${files.length} trace files`);
    for (const file of files) {
      const r = checkText(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file));
      lines += r.lines;
      fast += r.fast;
    }
    // The committed traces mix every tool's flavour; the plain tcpdump lines are a good share.
    assert.ok(fast > lines / 4, `fast reader took ${fast} of ${lines} lines`);
  });

  test('agrees with the general reader on edge cases under every timestamp context', () => {
    for (const { line, fast } of EDGE_LINES) {
      let took = false;
      for (const ctx of TIME_CONTEXTS) {
        // Also inside a longer text (offsets not at 0), as the parser reads pieces.
        const text = `xx\n${line}\nyy`;
        if (agree(text, 3, 3 + line.length, 7, ctx, `${JSON.stringify(line)} ${JSON.stringify(ctx)}`))
          took = true;
      }
      assert.equal(took, fast === true, `fast reader ${took ? 'took' : 'left'} ${JSON.stringify(line)}`);
    }
  });

  test('agrees with the general reader on every one-character change of the lines it takes', () => {
    // Odd characters anywhere (a digit, a letter, a separator, a second space...) must either
    // read the same or send the line to the general reader.
    const replacements = ['0', '9', 'x', ' ', '.', ':', ',', '[', ']', '-', '\t'];
    for (const { line, fast } of EDGE_LINES) {
      if (fast !== true) continue;
      for (let i = 0; i < line.length; i++) {
        for (const r of replacements) {
          const text = line.slice(0, i) + r + line.slice(i + 1);
          agree(text, 0, text.length, 0, INITIAL_CONTEXT, JSON.stringify(text));
        }
        const shorter = line.slice(0, i) + line.slice(i + 1);
        agree(shorter, 0, shorter.length, 0, INITIAL_CONTEXT, JSON.stringify(shorter));
      }
    }
  });

  test('a clock whose `HH:MM:SS` repeats the line before’s reads as the general reader reads it, also after other timestamps', () => {
    // The fast reader keeps the whole seconds of the last clock it read from a line's start;
    // every line here follows one whose first bytes it may take for the same clock.
    const body = ' IP 10.0.0.1.5 > 10.0.0.2.80: Flags [.], ack 1, win 5, length 0';
    const times = [
      '23:59:59.999999',
      '23:59:59.000001',
      '23:59:59.5',
      '23:59:59.123456789',
      '23:59:59.1234567890', // ten digits: not a time
      '23:59:59.',
      '23:59:59',
      '23:59:59.x',
      '23:59:5.1',
      '123:59:59.25', // three-digit hour
      '23:59:59.25',
      ' 00:00:01.000010', // -ttt between two clocks of the same bytes
      '23:59:59.75',
      '2026-11-30 23:59:58.5', // -tttt's clock is not at the line's start
      '23:59:59.75',
      '1700000000.5',
      '23:59:59.0',
      '03:00:00.1',
      '23:59:59.0',
    ];
    let took = 0;
    for (const ctx of [INITIAL_CONTEXT, contextOf(TsMode.TimeOfDay, false, true)])
      for (const time of times) if (agree(time + body, 0, time.length + body.length, 3, ctx, time)) took++;
    assert.ok(took >= 20, `fast reader took ${took}`);
  });

  test('readLine without spans reads the same segments as with them', () => {
    for (const { line } of EDGE_LINES) {
      const withSpans: LineRecord = readLine(line, 0, INITIAL_CONTEXT, 0, line.length, true);
      const without: LineRecord = readLine(line, 0, INITIAL_CONTEXT, 0, line.length, false);
      if (withSpans.kind === 'packet' && without.kind === 'packet')
        assert.deepStrictEqual({ ...without, fields: [] }, { ...withSpans, fields: [] }, line);
      else assert.equal(without.kind, withSpans.kind, line);
    }
  });
});

/** The segments without their field spans (the fast reader makes none). */
function withoutSpans(r: ParseResult): unknown {
  return { ...r, segments: r.segments.map((s) => ({ ...s, fields: [] })) };
}

describe('the parser with the fast reader (no spans)', () => {
  test('parses every committed trace as the general reader does (with spans), whole and in pieces', () => {
    for (const file of traceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const general = withoutSpans(parseTrace(text, { spans: true }));
      assert.deepStrictEqual(withoutSpans(parseTrace(text, { spans: false })), general, file);
      const parser = new TraceParser({ spans: false });
      for (let at = 0; at < text.length; at += 977) parser.push(text.slice(at, at + 977));
      assert.deepStrictEqual(withoutSpans(parser.finish()), general, `${file} in pieces`);
      const bytes = encoder.encode(text);
      if (bytes.length !== text.length) continue; // not ASCII: never given as bytes
      assert.deepStrictEqual(withoutSpans(inBytePieces(bytes, 977)), general, `${file} in byte pieces`);
      assert.deepStrictEqual(withoutSpans(inBytePieces(bytes, 3)), general, `${file} in 3-byte pieces`);
    }
  });

  test('byte pieces and text pieces mixed, with spans or without, parse as the whole text', () => {
    const text = fs.readFileSync(
      path.join(fixturesDir, 'captures', 'loss-sack', 'tcpdump-n.tcptrace'),
      'utf8',
    );
    const bytes = encoder.encode(text);
    assert.equal(bytes.length, text.length);
    for (const spans of [false, true]) {
      const whole = parseTrace(text, { spans });
      for (const stride of [1, 61, 4099]) {
        const parser = new TraceParser({ spans });
        // Bytes, text, bytes...: an unfinished line crosses from one kind of piece to the other.
        for (let at = 0, i = 0; at < text.length; at += stride, i++) {
          if (i % 2 === 0) parser.pushBytes(bytes.subarray(at, at + stride));
          else parser.push(text.slice(at, at + stride));
        }
        assert.deepStrictEqual(parser.finish(), whole, `spans ${spans}, stride ${stride}`);
      }
    }
  });

  test('a text of many windows and past DECIDE_AFTER packets (records then reused), with a non-ASCII stretch, parses as the general reader does', () => {
    // Once the numbering is decided, the fast reader fills two records in turn: each must be
    // let go by the normaliser before it is filled again, whatever lines come between
    // (here -A payload dumps: continuation lines).
    const sample = fs.readFileSync(
      path.join(fixturesDir, 'captures', 'loss-sack', 'tcpdump-n-A.tcptrace'),
      'utf8',
    );
    let text = '';
    while (text.length < 12_000_000) text += sample;
    // A non-ASCII comment in the middle: its window is read by the general reader alone.
    const middle = text.indexOf('\n', 2_000_000) + 1;
    text = `${text.slice(0, middle)}# naïve ☃ comment\n${text.slice(middle)}`;
    const whole = parseTrace(text, { spans: true });
    assert.ok(whole.segments.length > 2 * DECIDE_AFTER, `${whole.segments.length} segments`);
    const general = withoutSpans(whole);
    assert.deepStrictEqual(withoutSpans(parseTrace(text, { spans: false })), general);
    const parser = new TraceParser({ spans: false });
    for (let at = 0; at < text.length; at += 1_000_003) parser.push(text.slice(at, at + 1_000_003));
    assert.deepStrictEqual(withoutSpans(parser.finish()), general, 'in pieces');
    // As the CLI reads a file: ASCII pieces as bytes (reused buffer), the rest as text.
    const bytes = Buffer.from(text, 'utf8');
    const piece = new Uint8Array(983_041);
    const fromBytes = new TraceParser({ spans: false });
    for (let at = 0; at < bytes.length; at += piece.length) {
      const chunk = bytes.subarray(at, at + piece.length);
      if (chunk.every((c) => c < 128)) {
        piece.set(chunk);
        fromBytes.pushBytes(piece.subarray(0, chunk.length));
        piece.fill(0x41); // the parser must have kept nothing of it
      } else fromBytes.push(chunk.toString('utf8'));
    }
    assert.deepStrictEqual(withoutSpans(fromBytes.finish()), general, 'in byte pieces');
  });
});

describe('the fast reader past DECIDE_AFTER packets (segments made at each line)', () => {
  // Once the numbering is decided, a line the fast reader takes becomes its segment at once
  // (Normalizer.fastPacket), not at the next packet as a record would: lines between (dumps,
  // the -v header's line, errors, comments) must still end it, extend it or come between as
  // they do for records, and -S and delta timestamps must number and time it the same way.
  for (const name of [
    'tcpdump-n-X.tcptrace',
    'tcpdump-nS.tcptrace',
    'tcpdump-n-tttt-v.tcptrace',
    'tcpdump-n-vv.tcptrace',
    'tcpdump-n-ttt.tcptrace',
  ]) {
    test(`${name} repeated past DECIDE_AFTER packets, with an odd line now and then, parses as the general reader does`, () => {
      const sample = fs.readFileSync(path.join(fixturesDir, 'captures', 'loss-sack', name), 'utf8');
      const odd = [
        '# a comment',
        '12:00:00.000001 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq x, length 0',
        '',
      ];
      let text = '';
      let packets = 0;
      for (let i = 0; packets < DECIDE_AFTER + 3000; i++) {
        text += sample;
        packets += parseTrace(sample, { spans: false }).segments.length;
        // Odd lines after the samples' last packet: between two packets of the stream.
        text += `${odd[i % odd.length] as string}\n`;
      }
      const general = withoutSpans(parseTrace(text, { spans: true }));
      const streamed: Segment[] = [];
      const parser = new TraceParser({ spans: false, onSegment: (s) => streamed.push({ ...s, fields: [] }) });
      const bytes = encoder.encode(text);
      for (let at = 0; at < bytes.length; at += 65536) parser.pushBytes(bytes.subarray(at, at + 65536));
      const result = parser.finish();
      assert.deepStrictEqual(withoutSpans({ ...result, segments: streamed }), general, name);
      assert.deepStrictEqual(withoutSpans(parseTrace(text, { spans: false })), general, `${name} whole`);
    });
  }
});

/** parseTrace(text, { spans: false }) of the ASCII text's bytes, pushed in pieces of `size`. */
function inBytePieces(bytes: Uint8Array, size: number): ParseResult {
  const parser = new TraceParser({ spans: false });
  for (let at = 0; at < bytes.length; at += size) parser.pushBytes(bytes.subarray(at, at + size));
  return parser.finish();
}
