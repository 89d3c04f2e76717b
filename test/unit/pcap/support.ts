// Running the real tcpdump on a capture, for byte-for-byte comparisons.
import assert from 'node:assert/strict';
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

/**
 * A little-endian microsecond pcap with every record after the first moved
 * `ms` later: the SYN's answer then takes a whole round trip while the ACK
 * follows the SYN-ACK at once, which is how a capture on the client looks.
 */
export function delayedAfterFirst(bytes: Uint8Array, ms: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  assert.equal(view.getUint32(0, true), 0xa1b2c3d4, 'a little-endian microsecond pcap');
  let at = 24;
  for (let k = 0; at + 16 <= out.length; k++) {
    if (k > 0) {
      const micros = view.getUint32(at + 4, true) + ms * 1000;
      view.setUint32(at, view.getUint32(at, true) + Math.floor(micros / 1e6), true);
      view.setUint32(at + 4, micros % 1e6, true);
    }
    at += 16 + view.getUint32(at + 8, true);
  }
  return out;
}
