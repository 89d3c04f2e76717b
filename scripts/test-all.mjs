// `npm test`: every test layer the project has, in order. Stops at the first
// failure, unless TCPTRACE_TEST_KEEP_GOING=1 (then it runs every layer and
// fails at the end). Each step is an npm script, so it can also be run alone.
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

const keepGoing = process.env.TCPTRACE_TEST_KEEP_GOING === '1';
const started = Date.now();
const failed = [];
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== npm run ${step}`);
  const r = spawnSync('npm', ['run', '--silent', step], { stdio: 'inherit' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${step} FAILED (exit ${r.status}) after ${secs}s`);
    failed.push(step);
    if (!keepGoing) process.exit(r.status ?? 1);
    continue;
  }
  console.log(`=== ${step} ok (${secs}s)`);
}
const total = ((Date.now() - started) / 1000).toFixed(0);
if (failed.length > 0) {
  console.error(
    `\n${steps.length - failed.length} passed, ${failed.length} failed: ${failed.join(', ')} (${total}s)`,
  );
  process.exit(1);
}
console.log(`\nAll ${steps.length} test layers passed in ${total}s`);
