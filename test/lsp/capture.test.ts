// tcptrace/renderCapture over stdio, on every real fixture capture: the server
// reads the file from disk and answers exactly what the real `tcpdump -n -r F tcp`
// prints (run here, side by side); damaged copies made here answer everything
// before the damage and a problem located by byte offset; the rendering, opened
// as the client opens it, gets every feature; tcptrace/analyzeFile analyses a
// capture whole.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { DocumentSymbol, InlayHint } from 'vscode-languageserver-protocol';
import type {
  AnalyzeFileResult,
  RenderCaptureParams,
  RenderCaptureResult,
  RenderedCapture,
} from '../../server/src/protocol';
import { fixturesDir } from '../support/paths';
import { LspClient } from './harness';

const capturesDir = path.join(fixturesDir, 'captures');
const scenarios = fs
  .readdirSync(capturesDir)
  .filter((d) => fs.existsSync(path.join(capturesDir, d, 'capture.pcap')))
  .sort();
const captureOf = (scenario: string): string => path.join(capturesDir, scenario, 'capture.pcap');

/** What the real tcpdump prints on stdout (its stderr says why it stopped on a damaged file). */
function tcpdump(file: string, timeZone: string, withDate = false): { stdout: string; stderr: string } {
  const r = spawnSync('tcpdump', ['-n', ...(withDate ? ['-tttt'] : []), '-r', file, 'tcp'], {
    env: { ...process.env, TZ: timeZone },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Byte offsets of the records of a classic little-endian pcap file (the fixtures are). */
function recordOffsets(bytes: Buffer): number[] {
  assert.equal(bytes.readUInt32LE(0), 0xa1b2c3d4, 'a little-endian microsecond pcap');
  const offsets: number[] = [];
  for (let at = 24; at + 16 <= bytes.length; at += 16 + bytes.readUInt32LE(at + 8)) offsets.push(at);
  return offsets;
}

function tsharkConnections(scenario: string): number {
  const [header, ...rows] = fs
    .readFileSync(path.join(capturesDir, scenario, 'tshark-fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const stream = header!.split('\t').indexOf('tcp.stream');
  return new Set(rows.map((r) => r.split('\t')[stream])).size;
}

describe('capture files over stdio (tcptrace/renderCapture)', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    client = await LspClient.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-capture-'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const render = async (
    file: string,
    params: Partial<RenderCaptureParams> = {},
  ): Promise<RenderedCapture> => {
    const result = await client.request<RenderCaptureResult>('tcptrace/renderCapture', {
      uri: pathToFileURL(file).toString(),
      ...params,
    });
    assert.ok(result.ok, JSON.stringify(result));
    return result.capture;
  };

  const refused = async (uri: string, params: Partial<RenderCaptureParams> = {}): Promise<string> => {
    const result = await client.request<RenderCaptureResult>('tcptrace/renderCapture', { uri, ...params });
    assert.equal(result.ok, false, `expected a refusal for ${uri}`);
    return result.ok ? '' : result.message;
  };

  test('the fixtures are present', () => {
    assert.ok(scenarios.length >= 20, `only ${scenarios.length} captures under ${capturesDir}`);
  });

  for (const scenario of scenarios) {
    test(`${scenario}: the rendering is what tcpdump -n -r F tcp prints (UTC; -tttt in Asia/Kolkata)`, async () => {
      const file = captureOf(scenario);
      const utc = await render(file, { timeZone: 'UTC' });
      const expected = tcpdump(file, 'UTC').stdout;
      assert.ok(expected.length > 0);
      assert.equal(utc.text, expected);
      assert.equal(utc.container, 'pcap');
      assert.equal(utc.tcpPackets, expected.split('\n').length - 1);
      assert.equal(utc.shownLines, utc.tcpPackets);
      assert.equal(utc.truncated, false);
      assert.equal(utc.totalChars, expected.length);
      assert.equal(utc.fileBytes, fs.statSync(file).size);
      assert.deepEqual(utc.problems, []);
      // A half-hour zone and the date: the clock and the calendar both move.
      const kolkata = await render(file, { timeZone: 'Asia/Kolkata', withDate: true });
      assert.equal(kolkata.text, tcpdump(file, 'Asia/Kolkata', true).stdout);
    });
  }

  test('the same capture as pcapng renders the same lines', async () => {
    const pcapng = path.join(dir, 'interleaved.pcapng');
    const converted = spawnSync('editcap', ['-F', 'pcapng', captureOf('interleaved'), pcapng]);
    assert.equal(converted.status, 0, String(converted.stderr));
    const rendered = await render(pcapng, { timeZone: 'UTC' });
    assert.equal(rendered.container, 'pcapng');
    assert.equal(rendered.text, tcpdump(pcapng, 'UTC').stdout);
    assert.equal(rendered.text, (await render(captureOf('interleaved'), { timeZone: 'UTC' })).text);
  });

  test('a file cut in the middle of a record: the packets before it and the cut located', async () => {
    const bytes = fs.readFileSync(captureOf('loss-sack'));
    const records = recordOffsets(bytes);
    const k = Math.floor(records.length / 2);
    const cutAt = records[k]! + 16 + Math.floor(bytes.readUInt32LE(records[k]! + 8) / 2);
    const file = path.join(dir, 'cut.pcap');
    fs.writeFileSync(file, bytes.subarray(0, cutAt));
    const rendered = await render(file, { timeZone: 'UTC' });
    const real = tcpdump(file, 'UTC');
    assert.match(real.stderr, /truncated/);
    assert.equal(rendered.text, real.stdout);
    const errors = rendered.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(rendered.problems));
    assert.equal(errors[0]!.offset, records[k]);
    assert.ok(errors[0]!.packet === undefined || errors[0]!.packet === k + 1, JSON.stringify(errors[0]));
    assert.ok(errors[0]!.message.length > 0);
  });

  test('an absurd record length: the packets before it and the record located', async () => {
    const bytes = Buffer.from(fs.readFileSync(captureOf('close-client')));
    const records = recordOffsets(bytes);
    const k = 4;
    bytes.writeUInt32LE(0x7fffffff, records[k]! + 8);
    const file = path.join(dir, 'absurd.pcap');
    fs.writeFileSync(file, bytes);
    const rendered = await render(file, { timeZone: 'UTC' });
    assert.equal(rendered.text, tcpdump(file, 'UTC').stdout);
    assert.equal(rendered.shownLines, k);
    const errors = rendered.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(rendered.problems));
    assert.equal(errors[0]!.offset, records[k]);
  });

  test('a file cut inside its header: nothing shown, the problem at its offset', async () => {
    const file = path.join(dir, 'header.pcap');
    fs.writeFileSync(file, fs.readFileSync(captureOf('refused')).subarray(0, 10));
    const rendered = await render(file);
    assert.equal(rendered.text, '');
    assert.equal(rendered.shownLines, 0);
    const errors = rendered.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(rendered.problems));
    assert.ok(errors[0]!.offset <= 10, JSON.stringify(errors[0]));
  });

  test('what is not a capture, a missing file, a bad zone and other schemes are refused with a reason', async () => {
    const text = path.join(dir, 'not-a-capture.cap');
    fs.writeFileSync(text, 'hello, this is text\n');
    assert.match(
      await refused(pathToFileURL(text).toString()),
      /Not a pcap or pcapng capture: it starts with the bytes 68 65 6c 6c/,
    );
    assert.match(await refused(pathToFileURL(path.join(dir, 'missing.pcap')).toString()), /ENOENT/);
    assert.match(
      await refused(pathToFileURL(captureOf('refused')).toString(), { timeZone: 'Mars/Olympus_Mons' }),
      /Unknown time zone 'Mars\/Olympus_Mons'/,
    );
    assert.match(await refused('untitled:Untitled-1'), /Only files on disk/);
  });

  test('maxChars and cutChars cut the rendering after a whole line and say how much there is', async () => {
    const file = captureOf('interleaved');
    const whole = await render(file, { timeZone: 'UTC' });
    const lines = whole.text.split('\n');
    const firstThree = lines.slice(0, 3).join('\n') + '\n';
    const cut = await render(file, { timeZone: 'UTC', maxChars: firstThree.length + 5 });
    assert.equal(cut.text, firstThree);
    assert.equal(cut.truncated, true);
    assert.equal(cut.shownLines, 3);
    assert.equal(cut.tcpPackets, whole.tcpPackets);
    assert.equal(cut.totalChars, whole.text.length);
    // Over maxChars, cutChars says how much to answer with.
    const firstTwo = lines.slice(0, 2).join('\n') + '\n';
    const shorter = await render(file, {
      timeZone: 'UTC',
      maxChars: firstThree.length + 5,
      cutChars: firstTwo.length,
    });
    assert.equal(shorter.text, firstTwo);
    assert.equal(shorter.shownLines, 2);
    // Under maxChars, the whole rendering whatever cutChars says.
    assert.equal((await render(file, { timeZone: 'UTC', cutChars: 10 })).text, whole.text);
  });

  test('the rendering opened as the client opens it gets diagnostics, inlay hints and the outline', async () => {
    const scenario = 'interleaved';
    const rendered = await render(captureOf(scenario), { timeZone: 'UTC' });
    const uri = await client.openUri(`tcptrace-capture:${captureOf(scenario)}.tcptrace`, rendered.text);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'parse-error'),
      [],
    );
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    assert.equal(symbols.length, tsharkConnections(scenario));
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: rendered.shownLines, character: 0 } },
    });
    assert.equal(hints.length, rendered.tcpPackets);
    await client.close(uri);
  });

  test('tcptrace/analyzeFile analyses a capture from disk, whatever its name', async () => {
    const scenario = 'loss-sack';
    const file = path.join(dir, 'loss-sack.dump');
    fs.copyFileSync(captureOf(scenario), file);
    const uri = pathToFileURL(file).toString();
    const result = await client.request<AnalyzeFileResult>('tcptrace/analyzeFile', {
      uri,
      capture: { timeZone: 'UTC' },
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.status.fromDisk, true);
    assert.equal(result.status.segments, tcpdump(file, 'UTC').stdout.split('\n').length - 1);
    assert.equal(result.status.connections, tsharkConnections(scenario));
    const diagnostics = await client.diagnostics(uri);
    assert.ok(
      diagnostics.some((d) => d.code === 'retransmission' || d.code === 'fast-retransmission'),
      JSON.stringify(diagnostics.map((d) => d.code)),
    );
  });
});
