// Capture benchmark (`npm run bench:pcap`): tcptrace-inspect on the 1M-packet
// pcap of bench/gen-trace.mjs — analysing it (`--format summary`) and
// rendering it as tcpdump -n text (`--format tcpdump`) — side by side with
// `tcptrace -n -l`, `tshark -q -z conv,tcp` and `tcpdump -n -r` on the same
// file, each under /usr/bin/time -v (wall, CPU, peak RSS). Also checks that
// the rendering is byte for byte the text the generator verified against the
// real tcpdump. Prints a table; writes bench/out/pcap-results.json.
//
// Options: --packets N (default 1000000) --runs N (default 3; median wall and
// CPU, highest peak RSS) --no-tools (only tcptrace-inspect) --markdown
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../gen-trace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'bench', 'out');
const TIME = '/usr/bin/time';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const packets = Number(option('--packets', '1000000'));
const runs = Number(option('--runs', '3'));
const withTools = !process.argv.includes('--no-tools');

if (!fs.existsSync(TIME)) {
  console.error(`${TIME} is missing: install the Debian package 'time' (apt-get install time)`);
  process.exit(2);
}

/** One run under /usr/bin/time -v, stdout to /dev/null (or to `stdoutFile`). */
function measure(cmd, args, stdoutFile) {
  const fd = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
  const r = spawnSync(TIME, ['-v', cmd, ...args], {
    cwd: root,
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (typeof fd === 'number') fs.closeSync(fd);
  const field = (label) => r.stderr.match(new RegExp(`${label}: (.*)`))?.[1].trim();
  const wall = (field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)') ?? '0:0')
    .split(':')
    .map(Number)
    .reduce((acc, p) => acc * 60 + p, 0);
  return {
    exit: Number(field('Exit status') ?? r.status),
    wall,
    cpu: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    rssMB: Number(field('Maximum resident set size \\(kbytes\\)')) / 1024,
  };
}

function repeat(cmd, args, stdoutFile) {
  const all = Array.from({ length: runs }, () => measure(cmd, args, stdoutFile));
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    exit: all[0].exit,
    wall: median(all.map((m) => m.wall)),
    cpu: median(all.map((m) => m.cpu)),
    rssMB: Math.max(...all.map((m) => m.rssMB)),
    walls: all.map((m) => m.wall),
  };
}

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

console.log('building dist/cli.js …');
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const cli = path.join(root, 'dist', 'cli.js');
const pcap = path.join(outDir, `trace-${packets}.pcap`);
const text = path.join(outDir, `trace-${packets}.tcptrace`);
if (!fs.existsSync(pcap) || !fs.existsSync(text)) {
  console.log(`generating ${packets} packets …`);
  generate(packets, outDir);
}
const fileMB = fs.statSync(pcap).size / 1048576;

const rows = [];
const row = (tool, m) => {
  rows.push({ tool, packets, fileMB, ...m });
  console.log(`${tool}: ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU, ${m.rssMB.toFixed(0)} MB`);
};
row(
  'tcptrace-inspect --format summary (analyse)',
  repeat(process.execPath, [cli, '--format', 'summary', pcap]),
);
const rendered = path.join(outDir, `trace-${packets}.rendered.tcptrace`);
row(
  'tcptrace-inspect --format tcpdump (render)',
  repeat(process.execPath, [cli, '--format', 'tcpdump', pcap], rendered),
);
const identical = fs.readFileSync(rendered).equals(fs.readFileSync(text));
console.log(`rendering identical to the generator's tcpdump-verified text: ${identical ? 'yes' : 'NO'}`);
fs.rmSync(rendered);
if (withTools) {
  if (has('tcptrace')) row('tcptrace -n -l', repeat('tcptrace', ['-n', '-l', pcap]));
  if (has('tshark')) row('tshark -q -z conv,tcp', repeat('tshark', ['-q', '-z', 'conv,tcp', '-r', pcap]));
  if (has('tcpdump')) row('tcpdump -n -r', repeat('tcpdump', ['-n', '-r', pcap]));
}

const machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model,
  node: process.version,
  load: os.loadavg(),
};
fs.writeFileSync(
  path.join(outDir, 'pcap-results.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, identical, rows }, null, 2),
);
console.log(
  `\nload average ${machine.load.map((l) => l.toFixed(1)).join(' ')} on ${machine.cpus} CPUs (${machine.model})`,
);
console.log('\n| tool | packets | file MB | wall s | CPU s | peak RSS MB | RSS / file |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.tool} | ${r.packets} | ${r.fileMB.toFixed(1)} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMB.toFixed(0)} | ${(r.rssMB / r.fileMB).toFixed(2)} |`,
  );
