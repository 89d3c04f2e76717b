// The built CLI (dist/cli.js) run as a user runs it, on the real loopback
// captures: JSON values checked against tshark's fields of the same pcap, exit
// codes, error messages, every output format.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { checkSarif } from './sarifCheck';
import { capturesDir, runCli, scenarios, tsharkEndpoint, tsharkFlagLetters, tsharkRows } from './support';

interface JsonSegment {
  line: number;
  connection: number | null;
  src: string;
  dst: string;
  flags: string;
  seq: number | null;
  ack: number | null;
  len: number;
  time: number | null;
  senderState: string | null;
  receiverState: string | null;
  analysis: string[];
}

interface JsonReport {
  schema: number;
  input: { path: string | null; format: string; lines: number };
  segments: JsonSegment[];
  connections: Record<string, unknown>[];
  diagnostics: { line: number; endLine: number; severity: string; code: string; message: string }[];
}

function json(args: string[], input?: string): JsonReport {
  const r = runCli(['--format', 'json', '--fail-on', 'never', ...args], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as JsonReport;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-cli-'));
const SCENARIOS = scenarios();
/** Scenarios with the plain `tcpdump -n` rendering (the fixtures helper adds it last for some). */
const WITH_TCPDUMP = SCENARIOS.filter((s) => fs.existsSync(path.join(capturesDir, s, 'tcpdump-n.tcptrace')));

describe('tcptrace-inspect on real captures', () => {
  test('there are fixture captures to check against', () => {
    assert.ok(SCENARIOS.length >= 5, `found ${SCENARIOS.join(', ')}`);
  });

  // Flavours whose packet N sits on line N (one line per packet).
  const oneLine = ['tcpdump-n.tcptrace', 'tcpdump-nS.tcptrace', 'tcpdump-num.tcptrace', 'tshark.tcptrace'];
  for (const scenario of SCENARIOS) {
    test(`${scenario}: segments in JSON match tshark's fields of the pcap`, () => {
      const rows = tsharkRows(scenario);
      let unknownSeq = 0;
      let pureAcks = 0;
      for (const flavour of [...oneLine, 'tcpdump-n-vv.tcptrace', 'tcpdump-n-tt-nano.tcptrace']) {
        const file = path.join(capturesDir, scenario, flavour);
        if (!fs.existsSync(file)) continue;
        const doc = json([file]);
        assert.equal(doc.schema, 1);
        assert.equal(doc.input.path, file);
        const tshark = flavour.startsWith('tshark');
        assert.equal(doc.input.format, tshark ? 'tshark' : 'tcpdump');
        // tshark's one-line output names the application protocol instead of TCP
        // for frames it decodes further (`HTTP 107 HTTP/1.0 200 OK`): no TCP fields to read.
        const lines = fs.readFileSync(file, 'utf8').split('\n');
        const expected = tshark
          ? rows.filter((r) => / TCP \d+ (\[[^\]]*\] )*\d+ → \d+ /.test(lines[Number(r['frame.number']) - 1]))
          : rows;
        assert.equal(doc.segments.length, expected.length, `${flavour}: one segment per TCP frame`);
        doc.segments.forEach((s, i) => {
          const row = expected[i];
          if (!tshark && s.len === 0 && !/[SFR]/.test(s.flags)) pureAcks++;
          const where = `${scenario}/${flavour} frame ${row['frame.number']}`;
          if (oneLine.includes(flavour)) assert.equal(s.line, Number(row['frame.number']), where);
          assert.equal(s.src, tsharkEndpoint(row, 'src'), where);
          assert.equal(s.dst, tsharkEndpoint(row, 'dst'), where);
          assert.equal(s.flags, tsharkFlagLetters(row['tcp.flags.str']), where);
          assert.equal(s.len, Number(row['tcp.len']), where);
          // tshark prints numbers relative to bases of its own choosing (the
          // parser's tests cover them); tcpdump's -n/-nS/-vv are absolute here.
          if (!tshark) {
            // Pure ACKs print no seq without -vv: the CLI derives it from the sender's
            // ISN and the analysis' relative number, or says null when that is unknown.
            const pureAck = s.len === 0 && !/[SFR]/.test(s.flags) && !flavour.includes('-vv');
            if (s.seq !== null || !pureAck) assert.equal(s.seq, Number(row['tcp.seq_raw']), `${where}: seq`);
            else unknownSeq++;
            assert.equal(s.ack, s.flags.includes('A') ? Number(row['tcp.ack_raw']) : null, `${where}: ack`);
          }
          if (flavour.includes('nano'))
            assert.equal(s.time?.toFixed(6), Number(row['frame.time_epoch']).toFixed(6), where);
          else if (!tshark)
            // time of day (the renderings were made with TZ=UTC)
            assert.equal(s.time?.toFixed(6), (Number(row['frame.time_epoch']) % 86400).toFixed(6), where);
        });
      }
      // Most pure ACKs get their number (a regression to all-null would fail here).
      assert.ok(
        unknownSeq <= pureAcks / 4,
        `${scenario}: ${unknownSeq} of ${pureAcks} pure ACKs without seq`,
      );
    });
  }

  test('connections and per-segment results agree with each other', () => {
    const doc = json([path.join(capturesDir, 'close-client', 'tcpdump-n.tcptrace')]);
    const ids = new Set(doc.connections.map((c) => c.id));
    for (const s of doc.segments)
      if (s.connection !== null) assert.ok(ids.has(s.connection), `line ${s.line}`);
    for (const c of doc.connections) {
      assert.ok((c.firstLine as number) >= 1 && (c.firstLine as number) <= (c.lastLine as number));
      assert.ok((c.lastLine as number) <= doc.input.lines);
    }
  });

  test('the same trace from a file and from standard input gives the same JSON (path aside)', () => {
    const file = path.join(capturesDir, 'half-close', 'tcpdump-n.tcptrace');
    const fromFile = json([file]);
    const fromStdin = json(['-'], fs.readFileSync(file, 'utf8'));
    assert.equal(fromStdin.input.path, null);
    assert.deepEqual({ ...fromStdin, input: null }, { ...fromFile, input: null });
  });

  test('summary and SARIF from standard input (streamed, the first segments held for the vantage vote) equal those from the file', () => {
    const files = [
      ...WITH_TCPDUMP.map((s) => path.join(capturesDir, s, 'tcpdump-n.tcptrace')),
      ...fs
        .readdirSync(path.join(repoRoot, 'examples'))
        .filter((f) => f.endsWith('.tcptrace'))
        .map((f) => path.join(repoRoot, 'examples', f)),
    ].filter((f) => fs.statSync(f).size >= 4096); // smaller inputs are read whole (input.test.ts)
    assert.ok(files.length >= 5, `${files.length} traces big enough to be streamed`);
    // More segments than the vantage vote reads (MAX_SCANNED, 200,000): the held segments are let go while reading.
    const out = path.join(tmp, 'generated');
    const gen = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bench', 'gen-trace.mjs'), '--seed', '3', '210000', out],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(gen.status, 0, gen.stderr);
    files.push(path.join(out, 'trace-210000.tcptrace'));
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // SARIF is the same walk as the summary: the big generated trace once is enough.
      for (const format of file.includes('trace-210000') ? ['summary'] : ['summary', 'sarif']) {
        const fromFile = runCli(['--format', format, '--fail-on', 'never', file]);
        const fromStdin = runCli(['--format', format, '--fail-on', 'never'], { input: text });
        assert.equal(fromStdin.code, 0, fromStdin.stderr);
        assert.equal(fromStdin.stderr, '');
        // Where the input came from is the only difference: SARIF's artifact locations, the summary's input name.
        const withoutPath = (r: { stdout: string }) =>
          format === 'sarif'
            ? JSON.stringify(JSON.parse(r.stdout), (k, v: unknown) =>
                k === 'artifactLocation' || k === 'artifacts' ? undefined : v,
              )
            : r.stdout.split(file).join('<input>').split('standard input').join('<input>');
        assert.equal(
          withoutPath(fromStdin),
          withoutPath(fromFile),
          `${path.relative(repoRoot, file)} --format ${format}`,
        );
      }
    }
  });

  test('sarif output of every fixture is valid SARIF 2.1.0', () => {
    for (const scenario of WITH_TCPDUMP) {
      const r = runCli(
        ['--format', 'sarif', '--fail-on', 'never', path.join(capturesDir, scenario, 'tcpdump-n.tcptrace')],
        {
          cwd: repoRoot,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const log = JSON.parse(r.stdout) as { runs: { artifacts: { location: { uri: string } }[] }[] };
      checkSarif(log);
      assert.equal(
        log.runs[0].artifacts[0].location.uri,
        `test/fixtures/captures/${scenario}/tcpdump-n.tcptrace`,
      );
    }
  });

  test('summary ends with the totals line', () => {
    const file = path.join(capturesDir, 'close-client', 'tcpdump-n.tcptrace');
    const r = runCli(['--format', 'summary', file]);
    assert.equal(r.code, 0, r.stderr);
    const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.match(
      last,
      new RegExp(
        `^Total: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(tcpdump, 12 lines\\): \\d+ connections?.*, 11 segments; `,
      ),
    );
  });

  test('text output keeps every input line in order', () => {
    const file = path.join(capturesDir, 'close-server', 'tcpdump-n.tcptrace');
    const input = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const r = runCli([file]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.split('\n').filter((l) => !l.startsWith('    ↳ ') && !l.startsWith('── '));
    input.forEach((line, i) => assert.ok(out[i].startsWith(line), `line ${i + 1}`));
    assert.ok(!r.stdout.includes('\x1b['), 'no colour when stdout is a pipe');
    assert.ok(runCli(['--color', file]).stdout.includes('\x1b['), '--color forces colour');
  });

  test('--vantage overrides the inferred capture point', () => {
    const file = path.join(capturesDir, 'close-client', 'tcpdump-n.tcptrace');
    for (const v of ['client', 'server', 'middle']) {
      const doc = json(['--vantage', v, file]) as JsonReport & { vantage: string };
      assert.equal(doc.vantage, v);
    }
  });

  test('every example trace and capture: JSON lines within the input, valid SARIF, exit 0 or 1 by its findings', () => {
    const dir = path.join(repoRoot, 'examples');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tcptrace') || f.endsWith('.pcap'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const file = path.join(dir, f);
      const doc = json([file]);
      for (const s of doc.segments)
        assert.ok(s.line >= 1 && s.line <= doc.input.lines, `${f}: segment line ${s.line}`);
      for (const d of doc.diagnostics)
        assert.ok(d.line >= 1 && d.endLine <= doc.input.lines, `${f}: finding line ${d.line}`);
      const r = runCli(['--format', 'sarif', file]);
      assert.equal(r.code, doc.diagnostics.some((d) => d.severity === 'error') ? 1 : 0, f);
      checkSarif(JSON.parse(r.stdout));
    }
  });

  test('UTF-16 (PowerShell redirection) and UTF-8 with BOM read like plain text', () => {
    const file = path.join(capturesDir, 'close-client', 'tcpdump-n.tcptrace');
    const text = fs.readFileSync(file, 'utf8');
    const plain = json(['-'], text);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const bytes of [le, be, bom8]) {
      const r = runCli(['--format', 'json', '--fail-on', 'never', '-'], { input: bytes });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), plain);
    }
  });

  test('--format tcpdump prints a text trace unchanged', () => {
    const file = path.join(capturesDir, 'abort', 'tcpdump-n.tcptrace');
    const r = runCli(['--format', 'tcpdump', file]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, fs.readFileSync(file, 'utf8'));
  });
});

describe('tcptrace-inspect exit codes and errors', () => {
  const bad = path.join(tmp, 'bad.tcptrace');
  fs.writeFileSync(
    bad,
    '08:47:31.114964 IP 127.0.0.1.58384 > 127.0.0.1.5001: Flags [S], seq abc, win 65495, length 0\n' +
      '08:47:31.114977 IP 127.0.0.1.58384 > 127.0.0.1.5001: Flags [S], seq 5, win 65495, length 0\n',
  );

  test('a parse error is an error finding: exit 1 by default, 0 with --fail-on never', () => {
    const r = runCli(['--format', 'json', bad]);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as JsonReport;
    const d = doc.diagnostics.find((x) => x.code === 'parse-error');
    assert.ok(d);
    assert.equal(d.line, 1);
    assert.equal(d.severity, 'error');
    assert.equal(runCli(['--fail-on', 'never', bad]).code, 0);
    assert.equal(runCli(['--fail-on', 'warning', '--format', 'summary', bad]).code, 1);
  });

  test('--fail-on warning fails on warnings that --fail-on error lets pass', () => {
    // Every fixture: exit status follows the severities the JSON reports.
    for (const scenario of WITH_TCPDUMP) {
      const file = path.join(capturesDir, scenario, 'tcpdump-n.tcptrace');
      const doc = json([file]);
      const has = (s: string): boolean => doc.diagnostics.some((d) => d.severity === s);
      assert.equal(runCli(['--format', 'summary', file]).code, has('error') ? 1 : 0, scenario);
      assert.equal(
        runCli(['--format', 'summary', '--fail-on', 'warning', file]).code,
        has('error') || has('warning') ? 1 : 0,
        scenario,
      );
    }
  });

  test('usage errors: exit 2 with the reason and the usage', () => {
    for (const [args, message] of [
      [['--frobnicate'], "unknown option '--frobnicate'"],
      [['--format', 'xml', bad], "--format: unknown value 'xml'"],
      [['--fail-on'], '--fail-on needs a value'],
      [[bad, bad], 'one input at a time'],
    ] as const) {
      const r = runCli([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`tcptrace-inspect: ${message}`), r.stderr);
      assert.ok(r.stderr.includes('Usage: tcptrace-inspect'), 'usage follows the message');
    }
  });

  test('I/O errors: exit 2 naming the file and the problem', () => {
    const missing = path.join(tmp, 'nope.tcptrace');
    const cases: [string, string][] = [
      [missing, `tcptrace-inspect: ${missing}: no such file\n`],
      [tmp, `tcptrace-inspect: ${tmp}: is a directory, not a trace file\n`],
    ];
    const binary = path.join(tmp, 'random.bin');
    fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    cases.push([
      binary,
      `tcptrace-inspect: ${binary}: binary data that is neither a text trace nor a pcap/pcapng capture\n`,
    ]);
    for (const [file, message] of cases) {
      const r = runCli(['--format', 'json', file]);
      assert.equal(r.code, 2, file);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, message);
    }
  });

  test('capture files are recognised by magic number, whatever their name', () => {
    const pcap = fs.readFileSync(path.join(capturesDir, 'close-client', 'capture.pcap'));
    const named = path.join(tmp, 'capture.txt');
    fs.writeFileSync(named, pcap);
    const asText = runCli([named], { input: pcap });
    assert.equal(asText.code, 0, asText.stderr);
    assert.equal(asText.stderr, '');
    assert.match(asText.stdout, /Flags \[S\.\], seq 3956601409, ack 3285437617/);
    const fromStdin = runCli(['--format', 'json', '-'], { input: pcap });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    const doc = JSON.parse(fromStdin.stdout) as { input: { format: string }; segments: unknown[] };
    assert.equal(doc.input.format, 'pcap');
    assert.equal(doc.segments.length, 11);
  });

  test('--help and --version exit 0 on stdout', () => {
    const help = runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: tcptrace-inspect \[options\] \[FILE\|-\]/);
    for (const flag of ['--format', '--fail-on', '--vantage', '--no-color'])
      assert.ok(help.stdout.includes(flag), flag);
    const version = runCli(['--version']);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout, `tcptrace-inspect ${pkg.version}\n`);
  });

  test('empty input is an empty trace, not an error', () => {
    const doc = json(['-'], '');
    assert.equal(doc.segments.length, 0);
    assert.equal(doc.diagnostics.length, 0);
  });

  test('an early-closed pipe is not an error', () => {
    const big = fs
      .readFileSync(path.join(capturesDir, 'half-close', 'tcpdump-n.tcptrace'), 'utf8')
      .repeat(2000);
    const file = path.join(tmp, 'big.tcptrace');
    fs.writeFileSync(file, big);
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${path.join(repoRoot, 'dist', 'cli.js')}" --fail-on never "${file}" | head -n 1`,
      ],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').length, 2);
  });
});
