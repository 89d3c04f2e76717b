// Core and CLI benchmark (`npm run bench`): generates 100k, 300k and 1M-segment
// traces (bench/gen-trace.mjs, text + equivalent pcap) into bench/out/, times
// `tcptrace-inspect --format summary` on each with /usr/bin/time -v (wall, CPU,
// peak RSS), and runs `tcptrace -n -l` and `tshark -q -z conv,tcp` on the 1M
// pcap side by side. Prints a table and writes bench/out/results.json.
//
// Options: --sizes 100000,300000 --runs N (default 3; the median wall time is
// reported, the highest peak RSS) --no-tools (skip tcptrace/tshark).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-trace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'bench', 'out');
const TIME = '/usr/bin/time';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const sizes = option('--sizes', '100000,300000,1000000').split(',').map(Number);
const runs = Number(option('--runs', '3'));
const withTools = !process.argv.includes('--no-tools');

if (!fs.existsSync(TIME)) {
  console.error(`${TIME} is missing: install the Debian package 'time' (apt-get install time)`);
  process.exit(2);
}

/** Runs a command under /usr/bin/time -v; output to /dev/null. */
function measure(cmd, args) {
  const r = spawnSync(TIME, ['-v', cmd, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  const field = (label) => {
    const m = r.stderr.match(new RegExp(`${label}: (.*)`));
    return m ? m[1].trim() : undefined;
  };
  const wallText = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)') ?? '0:0';
  const parts = wallText.split(':').map(Number);
  const wall = parts.reduce((acc, p) => acc * 60 + p, 0);
  return {
    exit: Number(field('Exit status') ?? r.status),
    wall,
    cpu: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    rssMB: Number(field('Maximum resident set size \\(kbytes\\)')) / 1024,
    stderr: r.stderr.split('\n\tCommand being timed')[0].trim(),
  };
}

function repeat(cmd, args) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(measure(cmd, args));
  const walls = all.map((m) => m.wall).sort((a, b) => a - b);
  const cpus = all.map((m) => m.cpu).sort((a, b) => a - b);
  return {
    exit: all[0].exit,
    wall: walls[Math.floor(walls.length / 2)],
    cpu: cpus[Math.floor(cpus.length / 2)],
    rssMB: Math.max(...all.map((m) => m.rssMB)),
    stderr: all[0].stderr,
    walls,
  };
}

function has(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

console.log('building dist/cli.js …');
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const cli = path.join(root, 'dist', 'cli.js');

const rows = [];
for (const n of sizes) {
  const text = path.join(outDir, `trace-${n}.tcptrace`);
  const pcap = path.join(outDir, `trace-${n}.pcap`);
  if (!fs.existsSync(text) || !fs.existsSync(pcap) || process.argv.includes('--fresh')) {
    console.log(`generating ${n} segments …`);
    generate(n, outDir, 1);
  }
  const textMB = fs.statSync(text).size / 1048576;
  const pcapMB = fs.statSync(pcap).size / 1048576;
  console.log(`tcptrace-inspect --format summary ${path.basename(text)} (${runs} runs) …`);
  const m = repeat(process.execPath, [cli, '--format', 'summary', '--fail-on', 'never', text]);
  if (m.exit !== 0) throw new Error(`tcptrace-inspect failed on ${text}: ${m.stderr}`);
  rows.push({
    tool: 'tcptrace-inspect (text)',
    segments: n,
    file: path.relative(root, text),
    fileMB: textMB,
    ...m,
  });
  const c = measure(process.execPath, [cli, '--format', 'summary', '--fail-on', 'never', pcap]);
  if (c.exit === 0) {
    const mc = repeat(process.execPath, [cli, '--format', 'summary', '--fail-on', 'never', pcap]);
    rows.push({
      tool: 'tcptrace-inspect (pcap)',
      segments: n,
      file: path.relative(root, pcap),
      fileMB: pcapMB,
      ...mc,
    });
  } else console.log(`  (pcap input not measured: ${c.stderr.split('\n')[0]})`);
  if (withTools && n === Math.max(...sizes)) {
    if (has('tcptrace')) {
      console.log('tcptrace -n -l …');
      rows.push({
        tool: 'tcptrace -n -l',
        segments: n,
        file: path.relative(root, pcap),
        fileMB: pcapMB,
        ...repeat('tcptrace', ['-n', '-l', pcap]),
      });
    }
    if (has('tshark')) {
      console.log('tshark -q -z conv,tcp …');
      rows.push({
        tool: 'tshark -q -z conv,tcp',
        segments: n,
        file: path.relative(root, pcap),
        fileMB: pcapMB,
        ...repeat('tshark', ['-q', '-z', 'conv,tcp', '-r', pcap]),
      });
    }
  }
}

const table = [
  ['tool', 'segments', 'file MB', 'wall s', 'CPU s', 'peak RSS MB', 'RSS/file', 'µs/segment (wall)'],
  ...rows.map((r) => [
    r.tool,
    String(r.segments),
    r.fileMB.toFixed(1),
    r.wall.toFixed(2),
    r.cpu.toFixed(2),
    r.rssMB.toFixed(0),
    (r.rssMB / r.fileMB).toFixed(2),
    ((r.wall * 1e6) / r.segments).toFixed(2),
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log();
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGB: +(os.totalmem() / 1073741824).toFixed(1),
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  date: new Date().toISOString(),
};
console.log(
  `\n${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(
  path.join(outDir, 'results.json'),
  `${JSON.stringify({ machine, runs, targets: { wall1M: 1.5, rssPerFileSize: 2.5 }, results: rows.map(({ stderr: _s, ...r }) => r) }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(root, path.join(outDir, 'results.json'))}`);
