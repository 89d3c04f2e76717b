// `npm start`: build the extension, package it, install it into code-server
// (a real VS Code in the browser, installed on demand into .vscode-test/) and
// serve the examples/ folder on 127.0.0.1. Ctrl+C stops code-server and
// everything it started (its whole process group).
//
// Options (environment): TCPTRACE_PORT=<port> to pick the port,
// TCPTRACE_FOLDER=<dir> to open another folder than examples/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, ensureCodeServer } from './code-server/install.mjs';
import { installExtension, startCodeServer } from './code-server/server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsix = path.join(repoRoot, 'tcptrace-inspector.vsix');
// Persistent between runs, so settings and opened editors survive a restart.
const stateDir = path.join(cacheDir, 'start');

function say(message) {
  console.log(`[start] ${message}`);
}

function run(what, command, args) {
  say(what);
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`[start] ${what} failed`);
    process.exit(r.status ?? 1);
  }
}

async function main() {
  const folder = path.resolve(process.env.TCPTRACE_FOLDER || path.join(repoRoot, 'examples'));
  if (!fs.existsSync(folder)) throw new Error(`folder to open does not exist: ${folder}`);

  // Packaging runs `vscode:prepublish` (the production build of every bundle).
  run('building and packaging the extension (npm run package) ...', 'npm', ['run', '--silent', 'package']);
  ensureCodeServer();
  const extensionsDir = path.join(stateDir, 'extensions');
  say(`installing ${path.basename(vsix)} into code-server ...`);
  await installExtension(vsix, extensionsDir, path.join(stateDir, 'user-data'));

  const port = process.env.TCPTRACE_PORT ? Number(process.env.TCPTRACE_PORT) : undefined;
  const server = await startCodeServer({ stateDir, extensionsDir, testDriver: false, port });
  const logFile = path.join(stateDir, 'code-server.log');
  const url = server.workbenchUrl(folder);
  const shownFolder = folder.startsWith(repoRoot + path.sep) ? `${path.relative(repoRoot, folder)}/` : folder;

  let stopping = false;
  const stop = async (reason) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping code-server (pid ${server.pid}) and everything it started ...`);
    await server.stop();
    fs.writeFileSync(logFile, server.log());
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl+C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  server.exited.then(() => {
    if (stopping) return;
    fs.writeFileSync(logFile, server.log());
    console.error(
      `[start] code-server exited unexpectedly; its output is in ${path.relative(repoRoot, logFile)}`,
    );
    process.exit(1);
  });

  console.log(
    [
      '',
      `  TCP Trace Inspector is running in VS Code (code-server), with ${shownFolder} open:`,
      '',
      `      ${url}`,
      '',
      '  Open that URL in a browser on this machine, then open a .tcptrace file.',
      '  Press Ctrl+C here to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
