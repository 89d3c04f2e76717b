// tcptrace/analyzeFile: the server reads a trace the editor does not sync
// (over 50 MB) from disk, publishes its diagnostics and answers with counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { AnalyzeFileResult } from '../../server/src/protocol';
import { repoRoot } from '../support/paths';
import { LspClient } from './harness';

const PING_PONG = fs.readFileSync(
  path.join(repoRoot, 'test', 'e2e', 'workspace', 'ping-pong.tcptrace'),
  'utf8',
);

describe('analyse a file from disk', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    client = await LspClient.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-lsp-'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('reads the file, publishes diagnostics, returns the counts', async () => {
    const file = path.join(dir, 'big.tcptrace');
    fs.writeFileSync(file, PING_PONG.replace('ack 6, win 64', 'ack x, win 64'));
    const uri = pathToFileURL(file).toString();
    const result = await client.request<AnalyzeFileResult>('tcptrace/analyzeFile', { uri });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.status.fromDisk, true);
    assert.equal(result.status.segments, 9);
    assert.equal(result.status.errors, 1);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(
      ds.map((d) => [d.code, d.range.start.line]),
      [['parse-error', 6]],
    );
  });

  test('a missing file is a clear message, not a crash', async () => {
    const uri = pathToFileURL(path.join(dir, 'missing.tcptrace')).toString();
    const result = await client.request<AnalyzeFileResult>('tcptrace/analyzeFile', { uri });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /Cannot read the trace: .*ENOENT/);
  });

  test('only file URIs', async () => {
    const result = await client.request<AnalyzeFileResult>('tcptrace/analyzeFile', {
      uri: 'untitled:Untitled-1',
    });
    assert.equal(result.ok, false);
  });
});
