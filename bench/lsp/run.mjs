// npm run bench:lsp — drives the language server over stdio like an editor on
// a generated 50 MB `tcpdump -n` trace, and the do-nothing baseline server
// side by side. Options: --mb N (trace size), --edits N, --only ours|baseline,
// --server PATH (another build of dist/server.js, for A/B runs), --node-args "ARGS"
// (for the server's node, e.g. --cpu-prof), --open-only (stop after the first diagnostics),
// --no-pings (no requests during the open: each one answered costs the open's CPU some
// milliseconds, and how many are answered varies with the build and the load).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrace } from './gen-trace.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const MB = Number(arg('mb', '50'));
const EDITS = Number(arg('edits', '30'));
const VIEWPORTS = 40;
const only = arg('only', 'all');
const serverPath = path.resolve(arg('server', path.join(root, 'dist', 'server.js')));
const nodeArgs = arg('node-args', '')
  .split(' ')
  .filter((a) => a !== '');
const openOnly = process.argv.includes('--open-only');
const pingDuringOpen = !process.argv.includes('--no-pings');

const CAPABILITIES = {
  workspace: { configuration: true },
  textDocument: {
    hover: { contentFormat: ['markdown'] },
    inlayHint: {},
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
};

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CPU time a process used so far, user + system (Linux: /proc/<pid>/stat), in ms. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set size of a process (Linux: VmHWM). */
function peakRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
  return kb * 1024;
}

async function run(name, serverArgs, text) {
  const child = spawn(process.execPath, [...nodeArgs, ...serverArgs, '--stdio'], {
    stdio: 'pipe',
  });
  child.stderr.on('data', (d) => process.stderr.write(d));
  const rpc = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let latest;
  const waiters = [];
  rpc.onNotification('textDocument/publishDiagnostics', (p) => {
    latest = p;
    for (const w of waiters.splice(0)) w();
  });
  rpc.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  rpc.onRequest('client/registerCapability', () => null);
  rpc.listen();
  const diagnosticsFor = (version) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: no diagnostics for version ${version}`)),
        120_000,
      );
      const check = () => {
        if (latest && latest.version >= version) {
          clearTimeout(timer);
          resolve(latest);
        } else waiters.push(check);
      };
      check();
    });

  await rpc.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: CAPABILITIES });
  await rpc.sendNotification('initialized', {});
  const uri = 'file:///bench/big.tcptrace';
  const lines = text.split('\n');

  const cpuBefore = cpuMs(child.pid);
  const t0 = performance.now();
  await rpc.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'tcptrace', version: 1, text },
  });
  // While the document is read and analysed: round trips of a request that needs no analysis,
  // one after another (how long the server leaves a request waiting behind its work).
  const pings = [];
  let opening = pingDuringOpen;
  const pinger = (async () => {
    while (opening) {
      const t = performance.now();
      await rpc.sendRequest('tcptrace/serverInfo');
      pings.push(performance.now() - t);
    }
  })();
  const first = await diagnosticsFor(1);
  const openMs = performance.now() - t0;
  const openCpuMs = cpuMs(child.pid) - cpuBefore;
  opening = false;
  await pinger;
  const peaks = { open: peakRss(child.pid) };
  if (openOnly)
    return finish(name, child, rpc, {
      openMs,
      openCpuMs,
      diagnostics: first.diagnostics.length,
      pings,
      peaks,
    });

  // Viewports of 100 lines spread over the file: one inlay-hint request each, and a hover on each of 5 lines.
  const inlay = [];
  const hover = [];
  let hints = 0;
  for (let v = 0; v < VIEWPORTS; v++) {
    const top = Math.floor(((v + 0.5) / VIEWPORTS) * (lines.length - 101));
    let t = performance.now();
    const result = await rpc.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: top, character: 0 }, end: { line: top + 100, character: 0 } },
    });
    inlay.push(performance.now() - t);
    hints += result?.length ?? 0;
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      await rpc.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: top + k * 20, character: 3 },
      });
      hover.push(performance.now() - t);
    }
  }

  peaks.requests = peakRss(child.pid);
  // One-character edits inside segment lines: the digit of a window value.
  const edits = [];
  const inlayAfterEdit = [];
  let version = 1;
  for (let e = 0; e < EDITS; e++) {
    const line = Math.floor(((e + 0.5) / EDITS) * (lines.length - 2));
    const at = lines[line].indexOf('win ') + 4;
    const digit = String((e % 9) + 1);
    version++;
    const t = performance.now();
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        { range: { start: { line, character: at }, end: { line, character: at + 1 } }, text: digit },
      ],
    });
    await diagnosticsFor(version);
    edits.push(performance.now() - t);
    // The first request after a new version (per-version lookup tables are built then).
    const top = Math.max(0, line - 50);
    const t2 = performance.now();
    await rpc.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: top, character: 0 }, end: { line: top + 100, character: 0 } },
    });
    inlayAfterEdit.push(performance.now() - t2);
  }

  peaks.edits = peakRss(child.pid);
  // One-character edits of an ack number (its last digit, so it stays a valid 32-bit number):
  // tcpdump prints it relative to the pair's first segment, so the connection's absolute
  // numbers are worked out again, and in the first 200,000 segments the vantage vote too.
  const ackEdits = [];
  for (let e = 0; e < EDITS; e++) {
    let line = Math.floor(((e + 0.25) / EDITS) * (lines.length - 2));
    while (!/ ack \d/.test(lines[line])) line++;
    const ackAt = lines[line].indexOf(' ack ') + 5;
    const at = ackAt + /^\d+/.exec(lines[line].slice(ackAt))[0].length - 1;
    const digit = String((Number(lines[line][at]) + 1 + (e % 8)) % 10);
    version++;
    const t = performance.now();
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        { range: { start: { line, character: at }, end: { line, character: at + 1 } }, text: digit },
      ],
    });
    await diagnosticsFor(version);
    ackEdits.push(performance.now() - t);
  }
  peaks.ackEdits = peakRss(child.pid);
  // Line breaks typed at the end of segment lines spread over the file (a new empty line: the
  // lines after it move down by one).
  const enterEdits = [];
  for (let e = 0; e < EDITS; e++) {
    const line = Math.floor(((e + 0.75) / EDITS) * (lines.length - 2));
    const at = lines[line].length;
    lines.splice(line + 1, 0, '');
    version++;
    const t = performance.now();
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        { range: { start: { line, character: at }, end: { line, character: at } }, text: '\n' },
      ],
    });
    await diagnosticsFor(version);
    enterEdits.push(performance.now() - t);
  }
  return finish(name, child, rpc, {
    openMs,
    openCpuMs,
    diagnostics: first.diagnostics.length,
    pings,
    peaks,
    hints,
    inlayP95: percentile(inlay, 95),
    hoverP95: percentile(hover, 95),
    editP95: percentile(edits, 95),
    editP50: percentile(edits, 50),
    ackP95: percentile(ackEdits, 95),
    ackP50: percentile(ackEdits, 50),
    inlayAfterEditP95: percentile(inlayAfterEdit, 95),
    enterP95: percentile(enterEdits, 95),
    enterP50: percentile(enterEdits, 50),
  });
}

/** Reads the peak memory, shuts the server down and completes its figures. */
async function finish(name, child, rpc, figures) {
  const peak = peakRss(child.pid);
  await rpc.sendRequest('shutdown');
  await rpc.sendNotification('exit');
  await new Promise((r) => child.once('exit', r));
  rpc.dispose();
  const { pings, ...rest } = figures;
  const none = Number.NaN;
  return {
    name,
    hints: 0,
    inlayP95: none,
    hoverP95: none,
    editP95: none,
    editP50: none,
    ackP95: none,
    ackP50: none,
    inlayAfterEditP95: none,
    enterP95: none,
    enterP50: none,
    ...rest,
    pingP95: pings.length > 0 ? percentile(pings, 95) : none,
    pingMax: pings.length > 0 ? Math.max(...pings) : none,
    pingFirst: pings[0] ?? none,
    answered: pings.length,
    peak,
  };
}

const text = generateTrace(MB * 1024 * 1024);
const size = Buffer.byteLength(text);
console.log(
  `trace: ${(size / 1048576).toFixed(1)} MB, ${text.split('\n').length - 1} lines (bench/lsp/gen-trace.mjs)`,
);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
const results = [];
if (only !== 'baseline') results.push(await run('tcptrace server', [serverPath], text));
if (only !== 'ours')
  results.push(await run('do-nothing baseline', [path.join(here, 'baseline-server.mjs')], text));
const ms = (v) => `${v.toFixed(1)} ms`;
console.log(
  '| server | open → first diagnostics | request round trip during the open p95 / max (first) | inlay hints p95 (100 lines) | hover p95 | 1-char edit → diagnostics p95 (p50) | ack-digit edit → diagnostics p95 (p50) | first inlay request after an edit p95 | line-break edit → diagnostics p95 (p50) | peak RSS (× trace) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${ms(r.openMs)} (${r.diagnostics} diagnostics) | ${ms(r.pingP95)} / ${ms(r.pingMax)} (${ms(r.pingFirst)}) | ${ms(r.inlayP95)} (${r.hints} hints) | ${ms(r.hoverP95)} | ${ms(r.editP95)} (${ms(r.editP50)}) | ${ms(r.ackP95)} (${ms(r.ackP50)}) | ${ms(r.inlayAfterEditP95)} | ${ms(r.enterP95)} (${ms(r.enterP50)}) | ${(r.peak / 1048576).toFixed(0)} MB (${(r.peak / size).toFixed(1)}×) |`,
  );
}
const mbOf = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;
for (const r of results) {
  console.log(
    `${r.name}: CPU time of the server process from didOpen to the first diagnostics ${r.openCpuMs} ms ` +
      `(${r.answered} requests answered meanwhile)`,
  );
  const steps = Object.entries(r.peaks).map(([step, bytes]) => `${step} ${mbOf(bytes)}`);
  console.log(`${r.name}: peak RSS after ${steps.join(', ')}, at the end ${mbOf(r.peak)}`);
}
console.log(`load average at end: ${load()}`);
