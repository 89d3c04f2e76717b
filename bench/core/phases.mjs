// Bundles bench/core/phases.ts with esbuild the way dist/cli.js is bundled
// (so the phases are timed on the shipped code, not under a TypeScript loader)
// and runs it. Arguments go through: node bench/core/phases.mjs --runs 3 --only parse,analyse
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = path.join(root, 'bench', 'out', 'phases.js');
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
process.exit(r.status ?? 1);
