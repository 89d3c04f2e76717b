// tcptrace-inspect on capture files: `--format tcpdump` prints exactly what the
// real `tcpdump -n -r` prints (honouring TZ), and every other format gives the
// same analysis as for the text the real tcpdump renders from the capture.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runCli as runInProcess } from '../../../server/src/cli/main';
import { capturesDir, runCli, scenarios, type CliRun } from './support';

/** The CLI run in this process (the same code as dist/cli.js, without a process per run). */
async function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      stdout += chunk.toString();
      done();
    },
  });
  const code = await runInProcess(args, {
    stdin: Readable.from([]),
    stdout: sink,
    stderr: { write: (t: string) => (stderr += t) },
    env: { NO_COLOR: '1', ...env },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

const EVERY_FORMAT = new Set(['close-client', 'interleaved', 'any-interface', 'loss-sack', 'ipv6']);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-cli-capture-'));

function realTcpdump(file: string, tz: string): string {
  const r = spawnSync('tcpdump', ['-n', '-r', file], {
    env: { ...process.env, TZ: tz },
    encoding: 'latin1',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`tcpdump could not run (the tests need it installed): ${r.error.message}`);
  return r.stdout;
}

interface JsonDoc {
  input: { path: string | null; format: string; lines: number };
  segments: unknown[];
  connections: unknown[];
  diagnostics: { code: string; line: number; message: string }[];
}

describe('tcptrace-inspect on capture files', () => {
  for (const scenario of scenarios()) {
    const pcap = path.join(capturesDir, scenario, 'capture.pcap');

    test(`${scenario}: --format tcpdump equals tcpdump -n -r in UTC and America/New_York`, async () => {
      for (const tz of ['UTC', 'America/New_York']) {
        const r = await cli(['--format', 'tcpdump', pcap], { TZ: tz });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.ok(r.stdout === realTcpdump(pcap, tz), `${scenario} TZ=${tz}`);
      }
    });

    test(`${scenario}: json, sarif, summary and text agree with the analysis of tcpdump's own text`, async () => {
      const text = path.join(tmp, `${scenario}.tcptrace`);
      fs.writeFileSync(text, realTcpdump(pcap, 'UTC'), 'latin1');
      const ofCapture = await cli(['--format', 'json', pcap], { TZ: 'UTC' });
      const ofText = await cli(['--format', 'json', text]);
      assert.equal(ofCapture.code, ofText.code, ofCapture.stderr);
      const a = JSON.parse(ofCapture.stdout) as JsonDoc;
      const b = JSON.parse(ofText.stdout) as JsonDoc;
      assert.deepEqual(a.input, { path: pcap, format: 'pcap', lines: b.input.lines });
      assert.deepEqual(a.segments, b.segments);
      assert.deepEqual(a.connections, b.connections);
      assert.deepEqual(a.diagnostics, b.diagnostics);
      // The other formats print the same analysis; checked on a few captures to keep the suite quick.
      if (!EVERY_FORMAT.has(scenario)) return;
      for (const format of ['summary', 'text', 'sarif']) {
        const x = await cli(['--format', format, pcap], { TZ: 'UTC' });
        const y = await cli(['--format', format, text]);
        assert.equal(x.code, y.code, format);
        if (format === 'sarif') {
          const rx = JSON.parse(x.stdout) as { runs: { results: unknown[] }[] };
          const ry = JSON.parse(y.stdout) as { runs: { results: unknown[] }[] };
          assert.equal(rx.runs[0].results.length, ry.runs[0].results.length);
        } else
          assert.equal(
            x.stdout.replaceAll(pcap, text).replace(`${text} (pcap, `, `${text} (tcpdump, `),
            y.stdout,
            format,
          );
      }
    });
  }

  test('a capture cut in the middle of a record: the message names the byte offset, the packets before are shown', () => {
    const whole = fs.readFileSync(path.join(capturesDir, 'half-close', 'capture.pcap'));
    const cut = path.join(tmp, 'cut.pcap');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const expected = realTcpdump(path.join(capturesDir, 'half-close', 'capture.pcap'), 'UTC').split('\n');
    const r = runCli(['--format', 'tcpdump', cut], { env: { TZ: 'UTC' } });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, expected.slice(0, expected.length - 2).join('\n') + '\n');
    assert.match(
      r.stderr,
      /^tcptrace-inspect: .*cut\.pcap: error: byte offset \d+ \(packet 14\): file ends inside packet 14/,
    );
    const doc = JSON.parse(runCli(['--format', 'json', '--fail-on', 'never', cut]).stdout) as JsonDoc;
    const damaged = doc.diagnostics.filter((d) => d.code === 'capture-damaged');
    assert.equal(damaged.length, 1);
    assert.match(damaged[0].message, /byte offset \d+ \(packet 14\)/);
    assert.equal(doc.segments.length, 13);
  });
});

/** A Writable that takes each piece only on a later turn of the event loop, and remembers how much it held at most. */
class SlowReader extends Writable {
  text = '';
  mostBuffered = 0;
  constructor() {
    super({
      highWaterMark: 64 * 1024,
      write: (chunk: Buffer, _enc, done) => {
        this.text += chunk.toString('latin1');
        setImmediate(done);
      },
    });
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    const ok = (super.write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    this.mostBuffered = Math.max(this.mostBuffered, this.writableLength);
    return ok;
  }
}

describe('tcptrace-inspect --format tcpdump to a slow reader', () => {
  test('waits for the reader between pieces (never more than about one 1 MiB piece buffered) and prints what tcpdump prints', async () => {
    // The real interleaved capture's records 64 times over: ~15,000 packets, a rendering of three 1 MiB pieces.
    const real = fs.readFileSync(path.join(capturesDir, 'interleaved', 'capture.pcap'));
    const records = real.subarray(24);
    const big = Buffer.concat([real.subarray(0, 24), ...Array.from({ length: 64 }, () => records)]);
    const file = path.join(tmp, 'repeated.pcap');
    fs.writeFileSync(file, big);
    const reader = new SlowReader();
    let stderr = '';
    const code = await runInProcess(['--format', 'tcpdump', file], {
      stdin: Readable.from([]),
      stdout: reader,
      stderr: { write: (t: string) => (stderr += t) },
      env: { NO_COLOR: '1', TZ: 'UTC' },
      cwd: process.cwd(),
    });
    assert.equal(code, 0, stderr);
    const expected = realTcpdump(file, 'UTC');
    assert.ok(
      expected.length > 2 * 1024 * 1024,
      `the rendering spans several pieces (${expected.length} bytes)`,
    );
    assert.ok(reader.text === expected, 'the same bytes as tcpdump -n -r');
    assert.ok(
      reader.mostBuffered < 1.5 * 1024 * 1024,
      `at most one piece waits for the reader (${reader.mostBuffered} bytes were buffered)`,
    );
  });
});
