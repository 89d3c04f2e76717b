// Runs the built CLI (dist/cli.js) as a user would, and reads fixture data.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distDir, fixturesDir } from '../../support/paths';

export const cliPath = path.join(distDir, 'cli.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CliRun {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env },
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const capturesDir = path.join(fixturesDir, 'captures');

export function scenarios(): string[] {
  return fs
    .readdirSync(capturesDir)
    .filter((d) => fs.existsSync(path.join(capturesDir, d, 'tshark-fields.tsv')))
    .sort();
}

/** One row of tshark-fields.tsv, keyed by column name. */
export type TsharkRow = Record<string, string>;

export function tsharkRows(scenario: string): TsharkRow[] {
  const text = fs.readFileSync(path.join(capturesDir, scenario, 'tshark-fields.tsv'), 'utf8');
  const [header, ...rows] = text.split('\n').filter((l) => l.length > 0);
  const names = header.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/**
 * tshark's tcp.flags.str (12 positions: 3 reserved, AE, CWR, ECE, URG, ACK,
 * PSH, RST, SYN, FIN; `·` when clear) as our FSRPAUEW letters.
 */
export function tsharkFlagLetters(str: string): string {
  const chars = [...str];
  const at = (i: number): boolean => chars[i] !== '·' && chars[i] !== undefined;
  const order: [number, string][] = [
    [11, 'F'],
    [10, 'S'],
    [9, 'R'],
    [8, 'P'],
    [7, 'A'],
    [6, 'U'],
    [5, 'E'],
    [4, 'W'],
  ];
  return order
    .filter(([i]) => at(i))
    .map(([, l]) => l)
    .join('');
}

/** `ip:port` as the JSON output writes it, from a tshark row. */
export function tsharkEndpoint(row: TsharkRow, side: 'src' | 'dst'): string {
  const v4 = row[`ip.${side}`];
  const port = row[`tcp.${side}port`];
  return v4 ? `${v4}:${port}` : `[${row[`ipv6.${side}`]}]:${port}`;
}
