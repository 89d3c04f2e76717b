// `npm run test:e2e`: the extension-host suite and the UI checks in a real
// VS Code (code-server, installed on demand into .vscode-test/) driven through
// Debian's Chromium. For machines without a desktop VS Code or internet; the
// same suite runs under @vscode/test-electron via runTest.ts.
//
// One code-server serves two workbench sessions:
//  1. the mocha suite (test/e2e/suite/) with this folder as the development
//     extension, results collected through the smoke-test driver hooks;
//  2. the UI checks (test/ui/) in a plain workbench where the extension comes
//     from the packaged VSIX installed with `code-server --install-extension`
//     — so the VSIX is proven to install and activate.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { uiChecks } from '../ui';
import { waitForWorkbench } from '../ui/workbench';
import { repoRoot } from '../support/paths';
import { loadCodeServerModule, type CodeServer, type CodeServerModule } from './codeServer';
import { prepareWorkspace } from './testWorkspace';

const SUITE_TIMEOUT_MS = 5 * 60_000;
const TOTAL_TIMEOUT_MS = 15 * 60_000;
const VSIX = path.join(repoRoot, 'tcptrace-inspector.vsix');
// Git-ignored: screenshots of failed UI checks land here.
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const REPORT_PREFIX = '\u241e mocha ';

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

const EXTENSION_ID = 'tcptrace-inspector.tcptrace-inspector';

function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function saveLog(name: string, text: string): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name);
  fs.writeFileSync(file, text);
  console.error(`[e2e] log saved: ${path.relative(repoRoot, file)}`);
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/** The packaged VSIX: reused when newer than what it is built from, else built now. */
function ensureVsix(): string {
  const inputs = ['package.json', 'dist/client.js', 'dist/server.js', 'syntaxes/tcptrace.tmLanguage.json'];
  const newestInput = Math.max(...inputs.map((f) => mtime(path.join(repoRoot, f))));
  if (fs.existsSync(VSIX) && fs.statSync(VSIX).mtimeMs >= newestInput) return VSIX;
  log('packaging the extension (npm run package) ...');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(VSIX)) throw new Error('npm run package failed');
  return VSIX;
}

function ensureBuilt(): void {
  if (['client.js', 'server.js'].every((f) => fs.existsSync(path.join(repoRoot, 'dist', f)))) return;
  log('building dist/ (node esbuild.mjs) ...');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Runs the mocha suite in the extension host; resolves with its exit code. */
async function runSuite(browser: Browser, server: CodeServer, workspace: string): Promise<number> {
  const page = await newPage(browser);
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const workbenchLog: string[] = [];
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    // The workbench forwards every console call (with its format arguments);
    // mocha's report is marked with REPORT_PREFIX, the rest is kept for failures.
    const text = format(...args);
    if (text.startsWith(REPORT_PREFIX)) console.log(text.slice(REPORT_PREFIX.length));
    else workbenchLog.push(`[${type}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  page.on('pageerror', (err) => console.error(`[workbench page error] ${err.message}`));
  const suiteIndex = path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');
  if (!fs.existsSync(suiteIndex)) throw new Error(`${suiteIndex} is missing: run \`npx tsc -b\` first`);
  const environment: Record<string, string> = { TCPTRACE_E2E_REPORT_PREFIX: REPORT_PREFIX };
  if (process.env.TCPTRACE_E2E_GREP) environment.TCPTRACE_E2E_GREP = process.env.TCPTRACE_E2E_GREP;
  const url = server.workbenchUrl(workspace, [
    ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
    ['extensionTestsPath', server.remoteUri(suiteIndex)],
    ['extensionEnvironment', JSON.stringify(environment)],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(url);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<number>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)),
      SUITE_TIMEOUT_MS,
    );
  });
  try {
    const code = await Promise.race([exited, deadline]);
    if (code !== 0) saveLog('suite-workbench.log', workbenchLog.join('\n'));
    return code;
  } catch (err) {
    saveLog('suite-workbench.log', workbenchLog.join('\n'));
    throw err;
  } finally {
    clearTimeout(timer);
    await page.context().close();
  }
}

/** Runs the UI checks in a plain workbench (extension from the installed VSIX). */
async function runUiChecks(browser: Browser, server: CodeServer, workspace: string): Promise<number> {
  const page = await newPage(browser);
  page.on('pageerror', (err) => console.error(`[workbench page error] ${err.message}`));
  const t0 = Date.now();
  await page.goto(server.workbenchUrl(workspace));
  await waitForWorkbench(page);
  log(`workbench ready in ${seconds(t0)}`);
  let failures = 0;
  const ctx = {
    page,
    workspace,
    repoRoot,
    updateScreenshots: process.env.UPDATE_SCREENSHOTS === '1',
  };
  console.log(`\n  UI checks (the extension installed from ${path.basename(VSIX)})`);
  for (const check of uiChecks) {
    const t = Date.now();
    try {
      await check.run(ctx);
      console.log(`    ✔ ${check.name} (${seconds(t)})`);
    } catch (err) {
      failures += 1;
      console.log(`    ✖ ${check.name} (${seconds(t)})`);
      console.log(`      ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const shot = path.join(resultsDir, `ui-failure-${failures}.png`);
      fs.mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`      screenshot: ${shot}`);
    }
  }
  console.log(`\n  ${uiChecks.length - failures} passing, ${failures} failing\n`);
  await page.context().close();
  return failures;
}

async function main(): Promise<number> {
  const started = Date.now();
  fs.rmSync(resultsDir, { recursive: true, force: true });
  ensureBuilt();
  const vsix = ensureVsix();
  const cs: CodeServerModule = await loadCodeServerModule();
  // The first run installs code-server (minutes on a busy machine): outside the tests' deadline.
  cs.ensureCodeServer();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-e2e-'));
  const workspace = prepareWorkspace(tempDir);
  const stateDir = path.join(tempDir, 'state');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!process.env.TCPTRACE_E2E_KEEP) fs.rmSync(tempDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping code-server`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const overall = setTimeout(() => {
    console.error(`[e2e] deadline of ${TOTAL_TIMEOUT_MS / 60_000} min exceeded`);
    void cleanup().finally(() => process.exit(1));
  }, TOTAL_TIMEOUT_MS);
  try {
    let t = Date.now();
    const installed = await cs.installExtension(
      vsix,
      path.join(stateDir, 'extensions'),
      path.join(stateDir, 'user-data'),
    );
    const expected = `${EXTENSION_ID}@${packageVersion()}`;
    if (!installed.includes(expected))
      throw new Error(
        `code-server lists ${JSON.stringify(installed)} after installing the VSIX, not ${expected}`,
      );
    log(`installed ${path.basename(vsix)} into code-server: ${expected} (${seconds(t)})`);
    t = Date.now();
    server = await cs.startCodeServer({ stateDir, offline: true });
    log(`code-server listening on ${server.origin} (pid ${server.pid}, ${seconds(t)})`);
    browser = await chromium.launch({
      executablePath: cs.chromiumPath,
      args: cs.chromiumArgs,
      headless: true,
    });

    t = Date.now();
    const suiteExit = await runSuite(browser, server, workspace);
    log(`extension-host suite ${suiteExit === 0 ? 'passed' : `FAILED (exit ${suiteExit})`} in ${seconds(t)}`);

    t = Date.now();
    const uiFailures = await runUiChecks(browser, server, workspace);
    log(`UI checks ${uiFailures === 0 ? 'passed' : 'FAILED'} in ${seconds(t)}`);
    log(`total ${seconds(started)}`);
    const failed = suiteExit !== 0 || uiFailures > 0;
    if (failed && server) saveLog('code-server.log', server.log());
    return failed ? 1 : 0;
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[e2e] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
