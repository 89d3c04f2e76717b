// Running the real tcpdump on a capture, for byte-for-byte comparisons.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';

export const capturesDir = path.join(fixturesDir, 'captures');
export const variantsDir = path.join(fixturesDir, 'capture-variants');

/** Every real capture scenario (folders holding capture.pcap). */
export function captureScenarios(): string[] {
  return fs
    .readdirSync(capturesDir)
    .filter((d) => fs.existsSync(path.join(capturesDir, d, 'capture.pcap')))
    .sort();
}

export interface TcpdumpRun {
  readonly stdout: string;
  readonly stderr: string;
}

/** `tcpdump -n -r FILE [args]` with TZ set; fails the test when tcpdump is missing. */
export function tcpdump(file: string, timeZone: string, args: readonly string[] = []): TcpdumpRun {
  const r = spawnSync('tcpdump', ['-n', '-r', file, ...args], {
    env: { ...process.env, TZ: timeZone },
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`tcpdump could not run (the tests need it installed): ${r.error.message}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The first differing line of two texts, for readable failures. */
export function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const i = a.findIndex((l, j) => l !== b[j]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}:\n  ours:    ${a[at] ?? '(end)'}\n  tcpdump: ${b[at] ?? '(end)'}`;
}
