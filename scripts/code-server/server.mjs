// Starts and stops code-server for the end-to-end tests and `npm start`:
// a free loopback port, its own user-data / extensions / config folders, and
// the smoke-test driver option that lets the workbench run an extension test
// payload. Stopping kills code-server's whole process group (it was spawned
// detached, so its pid is the group id): the extension host and the language
// server go with it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureCodeServer } from './install.mjs';

// Callers that want the (first-run) install done before they start their clocks.
export { ensureCodeServer };

/** User settings that keep the workbench quiet and deterministic. */
export const defaultSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/** Chromium flags that work as root on a machine without network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Asks the kernel for a free port on 127.0.0.1. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Runs code-server's command line (not the server); resolves with its output. */
function codeServerCli(args) {
  const { node, entry } = ensureCodeServer();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`code-server ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Installs the extension `vsix` into `extensionsDir` with code-server's own
 * CLI (as `code --install-extension` does) and resolves with the installed
 * extensions as `publisher.name@version` lines.
 */
export async function installExtension(vsix, extensionsDir, userDataDir) {
  const dirs = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  await codeServerCli([...dirs, '--install-extension', vsix, '--force']);
  const listed = await codeServerCli([...dirs, '--list-extensions', '--show-versions']);
  return listed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

/**
 * Starts code-server. `stateDir` receives the user-data, extensions and config
 * folders unless given explicitly. `output` is 'pipe' (kept, see `log()`) or
 * 'inherit'. `offline` turns the extension gallery off and `testDriver` enables
 * the smoke-test driver (both for tests). Resolves once
 * `/healthz` answers.
 */
export async function startCodeServer({
  stateDir,
  extensionsDir = path.join(stateDir, 'extensions'),
  settings = {},
  output = 'pipe',
  startupTimeoutMs = 60_000,
  env = {},
  offline = false,
  testDriver = true,
  port: requestedPort,
}) {
  const { node, entry } = ensureCodeServer();
  const userDataDir = path.join(stateDir, 'user-data');
  const configFile = path.join(stateDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings, ...settings }, null, 2),
  );
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = requestedPort ?? (await findFreePort());
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    configFile,
    // Without it a built workbench silently ignores test payloads.
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(node, args, {
    detached: true,
    stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    // offline: no extension gallery, so the workbench never queries open-vsx.org.
    env: { ...process.env, ...(offline ? { EXTENSIONS_GALLERY: '{}' } : {}), ...env },
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited = child.exitCode !== null;
  const exitPromise = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  child.once('exit', () => (exited = true));

  // Last resort when our own process ends without calling stop() (an uncaught
  // error, a closed stdout pipe): never leave code-server running.
  const killOnExit = () => {
    if (!exited && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.pid === undefined) return;
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* the group is already gone */
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exitPromise;
    clearTimeout(timer);
    // Children of code-server (extension host, language server) may outlive it.
    signal('SIGKILL');
  };

  const deadline = Date.now() + startupTimeoutMs;
  while (!(await healthy(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    pid: child.pid,
    userDataDir,
    extensionsDir,
    log: () => log,
    exited: exitPromise,
    stop,
    /** A `vscode-remote://` URI for a path on this machine, as the workbench expects. */
    remoteUri: (fsPath) => `vscode-remote://127.0.0.1:${port}${path.resolve(fsPath)}`,
    /** The workbench URL for `folder`, optionally with a test payload (list of pairs). */
    workbenchUrl: (folder, payload) => {
      const params = new URLSearchParams({ folder: path.resolve(folder) });
      if (payload) params.set('payload', JSON.stringify(payload));
      return `${origin}/?${params.toString()}`;
    },
  };
}
