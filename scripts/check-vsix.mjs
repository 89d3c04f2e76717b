// `npm run test:package`: builds the VSIX exactly as `npm run package` does
// (production bundles, `vsce package --no-dependencies`) with network access
// blocked, then reads the archive and fails when it ships anything but the
// bundles, the manifest and the files a marketplace page needs, or when it is
// larger than 2 MB. (That it installs into VS Code and activates is checked by
// `npm run test:e2e`, which installs this VSIX into code-server.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsixPath = path.join(repoRoot, 'tcptrace-inspector.vsix');
const MAX_BYTES = 2 * 1024 * 1024;

/** Lists a zip archive from its central directory: name, sizes, and a reader. */
function readZip(buffer) {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt central directory');
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    const read = () => {
      const start =
        localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
      const data = buffer.subarray(start, start + compressedSize);
      if (method === 0) return data;
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${name}: unsupported compression method ${method}`);
    };
    entries.push({ name, size, compressedSize, read });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Why a shipped file must not be there, or undefined when it may ship. */
function forbiddenReason(name) {
  if (/(^|\/)node_modules\//.test(name)) return 'node_modules/ (bundles must be self-contained)';
  if (/\.map$/.test(name)) return 'source map';
  if (/\.(c|m)?ts$/.test(name) || /\.tsx$/.test(name)) return 'TypeScript source';
  if (/(^|\/)(test|tests|out|src|fixtures|bench|scripts|\.vscode-test|\.ci)\//.test(name))
    return 'sources, tests or tooling';
  if (/\.test\.[a-z]+$/.test(name)) return 'test file';
  if (
    /(^|\/)(tsconfig[^/]*\.json|esbuild\.mjs|eslint\.config\.mjs|\.prettierrc\.json|package-lock\.json|\.gitignore)$/.test(
      name,
    )
  )
    return 'build configuration';
  if (/\.vsix$/.test(name)) return 'a nested VSIX';
  return undefined;
}

function buildVsix() {
  fs.rmSync(vsixPath, { force: true });
  // Packaging must not need the network: any attempt goes to a closed port.
  const blocked = 'http://127.0.0.1:9';
  const env = {
    ...process.env,
    HTTP_PROXY: blocked,
    HTTPS_PROXY: blocked,
    http_proxy: blocked,
    https_proxy: blocked,
  };
  delete env.NO_PROXY;
  delete env.no_proxy;
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, env, encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !fs.existsSync(vsixPath)) {
    console.error(output);
    throw new Error('npm run package failed');
  }
  const warnings = output
    .split('\n')
    .filter((l) => /WARNING|warn(?!.*nodedir)/i.test(l) && !/nodedir/.test(l));
  return { seconds: (Date.now() - started) / 1000, warnings };
}

function main() {
  const failures = [];
  const { seconds, warnings } = buildVsix();
  const buffer = fs.readFileSync(vsixPath);
  const entries = readZip(buffer);
  const files = entries.filter((e) => !e.name.endsWith('/'));
  const shipped = new Set(files.map((e) => e.name));

  console.log(
    `${path.basename(vsixPath)}: ${(buffer.length / 1024).toFixed(1)} KB, ${files.length} files (built in ${seconds.toFixed(1)} s)`,
  );
  for (const e of files) console.log(`  ${e.name.padEnd(48)} ${(e.size / 1024).toFixed(1).padStart(8)} KB`);
  for (const w of warnings) failures.push(`vsce warned: ${w.trim()}`);

  if (buffer.length > MAX_BYTES) failures.push(`the VSIX is ${buffer.length} bytes, over the 2 MB limit`);
  for (const e of files) {
    const reason = forbiddenReason(e.name);
    if (reason) failures.push(`must not ship ${e.name}: ${reason}`);
  }

  const manifestEntry = files.find((e) => e.name === 'extension/package.json');
  if (!manifestEntry) {
    failures.push('extension/package.json is missing');
  } else {
    const manifest = JSON.parse(manifestEntry.read().toString('utf8'));
    const required = new Map([
      ['dist/client.js', 'the extension bundle'],
      ['dist/server.js', 'the language server bundle'],
      ['dist/cli.js', 'the CLI bundle'],
      ['language-configuration.json', 'the language configuration'],
    ]);
    const rel = (p) => path.posix.normalize(String(p).replace(/^\.\//, ''));
    if (manifest.main) required.set(rel(manifest.main), 'the manifest\'s "main"');
    if (manifest.icon) required.set(rel(manifest.icon), 'the manifest\'s "icon"');
    else failures.push('package.json has no "icon"');
    if (manifest.bin)
      for (const p of Object.values(manifest.bin)) required.set(rel(p), 'the manifest\'s "bin"');
    for (const g of manifest.contributes?.grammars ?? [])
      required.set(rel(g.path), `the grammar of ${g.language ?? g.scopeName}`);
    for (const l of manifest.contributes?.languages ?? [])
      if (l.configuration) required.set(rel(l.configuration), `the configuration of language ${l.id}`);
    if ((manifest.contributes?.grammars ?? []).length === 0)
      failures.push('package.json contributes no grammar');
    for (const [file, what] of required)
      if (!shipped.has(`extension/${file}`)) failures.push(`missing ${file} (${what})`);
    // vsce renames these (README.md → readme.md, LICENSE → LICENSE.txt).
    const lowerCase = new Set([...shipped].map((f) => f.toLowerCase()));
    const docs = [
      ['README.md', ['extension/readme.md']],
      ['CHANGELOG.md', ['extension/changelog.md']],
      ['LICENSE', ['extension/license', 'extension/license.txt', 'extension/license.md']],
    ];
    for (const [doc, names] of docs)
      if (!names.some((n) => lowerCase.has(n)))
        failures.push(`missing ${doc} (the marketplace page needs it)`);
    // Everything shipped under dist/ must be a bundle the manifest or the client loads.
    for (const e of files)
      if (e.name.startsWith('extension/dist/') && !/\.(js|css)$/.test(e.name))
        failures.push(`unexpected file in dist/: ${e.name}`);
  }

  if (failures.length > 0) {
    console.error(`\nVSIX check FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(
    '\nVSIX check passed: only bundles, manifest, grammar, language configuration, icon and docs; under 2 MB.',
  );
}

try {
  main();
} catch (err) {
  console.error(`VSIX check FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
