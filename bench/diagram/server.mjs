// The tcptrace/diagram request through the real language server (dist/server.js
// over stdio, as an editor runs it) on a generated `tcpdump -n` trace with one
// connection of 100,000 segments (a realistic download: bulkTransfer.mjs): open the document, wait for its diagnostics
// (the analysis is done), then time 5 diagram requests (median) and report the
// size of the answer. Usage: node esbuild.mjs && node bench/diagram/server.mjs
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { bulkTransferTrace } from './bulkTransfer.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const SEGMENTS = Number(process.argv.find((a) => a.startsWith('--segments='))?.split('=')[1] ?? 100_000);

const text = bulkTransferTrace(SEGMENTS);
const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const rpc = createMessageConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
const uri = 'file:///bench/diagram.tcptrace';
let diagnosed;
const analysed = new Promise((resolve) => (diagnosed = resolve));
rpc.onNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && diagnosed());
rpc.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
rpc.onRequest('client/registerCapability', () => null);
rpc.onNotification(() => undefined);
rpc.listen();
await rpc.sendRequest('initialize', {
  processId: process.pid,
  rootUri: null,
  capabilities: {
    workspace: { configuration: true },
    textDocument: { publishDiagnostics: { versionSupport: true } },
  },
});
await rpc.sendNotification('initialized', {});
const opened = performance.now();
await rpc.sendNotification('textDocument/didOpen', {
  textDocument: { uri, languageId: 'tcptrace', version: 1, text },
});
await analysed;
const analysisMs = performance.now() - opened;
const times = [];
let answer;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  answer = await rpc.sendRequest('tcptrace/diagram', { uri, version: 1 });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      segments: answer?.count ?? 0,
      traceMB: Math.round(text.length / 1e5) / 10,
      openToDiagnosticsMs: Math.round(analysisMs),
      diagramRequestMs: {
        median: Math.round(times[2]),
        min: Math.round(times[0]),
        max: Math.round(times[4]),
      },
      answerMB: Math.round(JSON.stringify(answer).length / 1e5) / 10,
    },
    null,
    2,
  ),
);
rpc.dispose();
child.kill();
