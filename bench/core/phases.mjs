// Bundles bench/core/phases.ts with esbuild the way dist/cli.js is bundled
// (so the phases are timed on the shipped code, not under a TypeScript loader)
// and runs it. Arguments go through: node bench/core/phases.mjs --runs 3 --only parse,analyse
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A bundle of its own per run: bench/out may be shared by several checkouts.
const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phases-')), 'phases.js');
await build({
  entryPoints: [path.join(root, 'bench', 'core', 'phases.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
process.exit(r.status ?? 1);
