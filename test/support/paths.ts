// Locations tests need, independent of whether they run from out/ or via tsx.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.mjs')))
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const distDir = path.join(repoRoot, 'dist');
export const capturesDir = path.join(fixturesDir, 'captures');

/** Every text trace of the fixture captures, as `scenario/file.tcptrace` under capturesDir, sorted. */
export function captureTraces(): string[] {
  return fs
    .readdirSync(capturesDir)
    .sort()
    .flatMap((scenario) =>
      fs
        .readdirSync(path.join(capturesDir, scenario))
        .filter((f) => f.endsWith('.tcptrace'))
        .sort()
        .map((f) => path.join(scenario, f)),
    );
}
