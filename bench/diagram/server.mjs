// The tcptrace/diagram request through the real language server (dist/server.js
// over stdio, as an editor runs it) on a generated `tcpdump -n` trace with one
// connection of 100,000 segments: open the document, wait for its diagnostics
// (the analysis is done), then time 5 diagram requests (median) and report the
// size of the answer. Usage: node esbuild.mjs && node bench/diagram/server.mjs
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const SEGMENTS = Number(process.argv.find((a) => a.startsWith('--segments='))?.split('=')[1] ?? 100_000);

/** One connection: handshake, data segments each acknowledged every other one, FIN teardown. */
function generateTrace(segments) {
  const lines = [];
  let t = 8 * 3600;
  const stamp = () => {
    const s = t % 60;
    const m = Math.floor(t / 60) % 60;
    const h = Math.floor(t / 3600);
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(6).padStart(9, '0')}`;
  };
  const c = '10.0.0.1.40000';
  const s = '10.0.0.2.80';
  const push = (line) => {
    lines.push(`${stamp()} IP ${line}`);
    t += 0.00005;
  };
  push(
    `${c} > ${s}: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0`,
  );
  push(
    `${s} > ${c}: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS val 2 ecr 1,nop,wscale 7], length 0`,
  );
  push(`${c} > ${s}: Flags [.], ack 1, win 502, options [nop,nop,TS val 3 ecr 2], length 0`);
  let seq = 1;
  for (let i = 0; lines.length < segments - 3; i++) {
    push(
      `${c} > ${s}: Flags [P.], seq ${seq}:${seq + 100}, ack 1, win 502, options [nop,nop,TS val 4 ecr 2], length 100`,
    );
    seq += 100;
    if (i % 2 === 1 && lines.length < segments - 3)
      push(`${s} > ${c}: Flags [.], ack ${seq}, win 509, options [nop,nop,TS val 5 ecr 4], length 0`);
  }
  push(`${c} > ${s}: Flags [F.], seq ${seq}, ack 1, win 502, length 0`);
  push(`${s} > ${c}: Flags [F.], seq 1, ack ${seq + 1}, win 509, length 0`);
  push(`${c} > ${s}: Flags [.], ack 2, win 502, length 0`);
  return lines.join('\n') + '\n';
}

const text = generateTrace(SEGMENTS);
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
