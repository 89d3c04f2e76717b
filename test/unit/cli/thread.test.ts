// The analysis on a second thread (cli/analysisThread.ts, TCPTRACE_INSPECT_THREAD)
// gives the built CLI's summary and SARIF byte for byte as on one thread: for
// files (replayed when the vantage vote needs it) and for standard input
// (the first segments held for the vote), on every fixture, example and a
// generated trace long enough that many batches wait for the analysis.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { delayedAfterFirst } from '../pcap/support';
import { Readable, Writable } from 'node:stream';
import { runCli as runInProcess } from '../../../server/src/cli/main';
import { capturesDir, runCli, scenarios } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-thread-'));

/** The CLI in this process (the worker then runs the unbundled analysisThread.js): no process start per run. */
async function run(
  format: string,
  file: string,
  thread: 'always' | 'never',
  viaStdin = false,
): Promise<string> {
  let stdout = '';
  let stderr = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      stdout += chunk.toString();
      done();
    },
  });
  const args = ['--format', format, '--fail-on', 'never'];
  const bytes = fs.readFileSync(file);
  // Standard input in pieces of 64 KiB, as a pipe gives them.
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 65536) pieces.push(bytes.subarray(at, at + 65536));
  const code = await runInProcess(viaStdin ? args : [...args, file], {
    stdin: Readable.from(viaStdin ? pieces : []),
    stdout: sink,
    stderr: { write: (t: string) => (stderr += t) },
    env: { TCPTRACE_INSPECT_THREAD: thread, TZ: 'UTC' },
    cwd: process.cwd(),
  });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  return stdout;
}

async function assertSameOnBothPaths(
  file: string,
  formats: readonly string[] = ['summary', 'sarif'],
): Promise<void> {
  const what = path.relative(repoRoot, file);
  for (const format of formats) {
    const one = await run(format, file, 'never');
    assert.equal(await run(format, file, 'always'), one, `${what} --format ${format}`);
    if (fs.statSync(file).size >= 4096) {
      const fromStdin = await run(format, file, 'always', true);
      assert.equal(
        fromStdin,
        await run(format, file, 'never', true),
        `${what} --format ${format} (standard input)`,
      );
    }
  }
}

describe('the analysis on a second thread', () => {
  test("every capture's tcpdump -n rendering and every example: the same summary and SARIF as on one thread", async () => {
    // The other renderings of each capture make the same segments (the batches' own test covers them all).
    const files = [
      ...scenarios()
        .map((s) => path.join(capturesDir, s, 'tcpdump-n.tcptrace'))
        .filter((f) => fs.existsSync(f)),
      ...fs
        .readdirSync(path.join(repoRoot, 'examples'))
        .filter((f) => f.endsWith('.tcptrace'))
        .map((f) => path.join(repoRoot, 'examples', f)),
    ];
    assert.ok(files.length > 25, `${files.length} traces`);
    for (const file of files) await assertSameOnBothPaths(file, ['summary']);
    for (const file of files.filter((f) => f.includes('examples')))
      await assertSameOnBothPaths(file, ['sarif']);
  });

  test('a trace taken at the client: the file is analysed again with the voted vantage point', async () => {
    // The real veth capture with its answers delayed, rendered to text by the CLI.
    const pcap = path.join(tmp, 'client.pcap');
    fs.writeFileSync(
      pcap,
      delayedAfterFirst(fs.readFileSync(path.join(capturesDir, 'veth-ethernet', 'capture.pcap')), 20),
    );
    const rendered = runCli(['--format', 'tcpdump', pcap], { env: { TZ: 'UTC' } });
    assert.equal(rendered.code, 0, rendered.stderr);
    const text = path.join(tmp, 'client.tcptrace');
    fs.writeFileSync(text, rendered.stdout);
    const summary = await run('summary', text, 'always');
    assert.match(summary, /vantage client/);
    assert.equal(summary, await run('summary', text, 'never'));
  });

  test('80,000 generated segments (20 batches): the same summary', async () => {
    const out = path.join(tmp, 'generated');
    const gen = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bench', 'gen-trace.mjs'), '--seed', '5', '80000', out],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(gen.status, 0, gen.stderr);
    const file = path.join(out, 'trace-80000.tcptrace');
    assert.equal(await run('summary', file, 'always'), await run('summary', file, 'never'));
  });
});
