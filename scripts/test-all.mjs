// `npm test`: every test layer the project has, in order, stopping at the
// first failure. Each step is an npm script so it can also be run alone.
import { spawnSync } from 'node:child_process';

const steps = [
  'typecheck',
  'lint',
  'format:check',
  'build',
  'test:unit',
  'test:grammar',
  'test:lsp',
  'test:webview',
  'test:package',
  'test:e2e',
];

const started = Date.now();
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== npm run ${step}`);
  const r = spawnSync('npm', ['run', '--silent', step], { stdio: 'inherit' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${step} FAILED (exit ${r.status}) after ${secs}s`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${step} ok (${secs}s)`);
}
console.log(`\nAll test layers passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
