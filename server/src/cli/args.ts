// Command-line arguments → options. Pure: throws UsageError (exit code 2) on
// anything it does not understand, so a typo never silently changes a verdict.
import type { AnalysisOptions, VantagePoint } from '../analysis/model';

export const OUTPUT_FORMATS = ['text', 'summary', 'json', 'sarif', 'tcpdump'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const VANTAGES = ['client', 'server', 'middle', 'auto'] as const;
export type VantageArg = (typeof VANTAGES)[number];

export interface CliOptions {
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  /** undefined: let the analysis infer it (`auto`). */
  readonly vantage: VantagePoint | undefined;
  /** The syn-flood thresholds given on the command line (the core's defaults otherwise). */
  readonly synFlood: Pick<
    AnalysisOptions,
    'synFloodMinHalfOpen' | 'synFloodMinSources' | 'synFloodWindowSeconds' | 'synFloodMinHalfOpenShare'
  >;
  /** true/false when forced by --color/--no-color; undefined: decide from the terminal. */
  readonly color: boolean | undefined;
  /** A path, or `-` for standard input. undefined when none was given. */
  readonly input: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

/** A mistake in the command line; the message says what and how to fix it. */
export class UsageError extends Error {}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value: ${allowed.join(', ')}`);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: unknown value '${value}' (expected one of: ${allowed.join(', ')})`);
}

function number(flag: string, value: string | undefined, min: number, max: number, integer: boolean): number {
  const n = value === undefined || value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(
      `${flag} needs ${integer ? 'a whole number' : 'a number'} ${range} (got '${value ?? ''}')`,
    );
  }
  return n;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  let format: OutputFormat = 'text';
  let failOn: FailOn = 'error';
  let vantage: VantageArg = 'auto';
  let color: boolean | undefined;
  const synFlood: {
    synFloodMinHalfOpen?: number;
    synFloodMinSources?: number;
    synFloodWindowSeconds?: number;
    synFloodMinHalfOpenShare?: number;
  } = {};
  let help = false;
  let version = false;
  const inputs: string[] = [];
  let onlyOperands = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyOperands || arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyOperands = true;
      continue;
    }
    // --flag=value and --flag value are both accepted.
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) return undefined;
      i++;
      return next;
    };
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
    };
    switch (name) {
      case '-f':
      case '--format':
        format = choice(name, value(), OUTPUT_FORMATS);
        break;
      case '--fail-on':
        failOn = choice(name, value(), FAIL_ON);
        break;
      case '--vantage':
        vantage = choice(name, value(), VANTAGES);
        break;
      case '--syn-flood-min-half-open':
        synFlood.synFloodMinHalfOpen = number(name, value(), 2, Infinity, true);
        break;
      case '--syn-flood-min-sources':
        synFlood.synFloodMinSources = number(name, value(), 1, Infinity, true);
        break;
      case '--syn-flood-window':
        synFlood.synFloodWindowSeconds = number(name, value(), Number.MIN_VALUE, Infinity, false);
        break;
      case '--syn-flood-min-share':
        synFlood.synFloodMinHalfOpenShare = number(name, value(), 0, 1, false);
        break;
      case '--no-color':
      case '--no-colour':
        noValue();
        color = false;
        break;
      case '--color':
      case '--colour':
        noValue();
        color = true;
        break;
      case '-h':
      case '--help':
        noValue();
        help = true;
        break;
      case '-V':
      case '--version':
        noValue();
        version = true;
        break;
      default:
        throw new UsageError(`unknown option '${name}' (see --help)`);
    }
  }
  if (inputs.length > 1)
    throw new UsageError(`one input at a time (got ${inputs.length}: ${inputs.join(' ')})`);
  return {
    format,
    failOn,
    vantage: vantage === 'auto' ? undefined : vantage,
    synFlood,
    color,
    input: inputs[0],
    help,
    version,
  };
}

export const USAGE = `Usage: tcptrace-inspect [options] [FILE|-]

Analyse a TCP trace: tcpdump, tshark or packetdrill text, or a pcap/pcapng
capture. Reads standard input when FILE is '-' or absent (and stdin is a pipe).

Options:
  -f, --format FORMAT    text (default): the trace with states and findings per line
                         summary: one line per connection and totals
                         json: machine-readable, schema 1 (docs/cli.md)
                         sarif: SARIF 2.1.0 for code-scanning tools
                         tcpdump: the capture rendered as 'tcpdump -n -r' text
                         (text input is printed unchanged)
      --fail-on LEVEL    exit 1 when a finding reaches LEVEL: error (default),
                         warning, never
      --vantage POINT    where the capture was taken: client, server, middle,
                         auto (default: inferred from the trace)
      --syn-flood-min-half-open N, --syn-flood-min-sources N,
      --syn-flood-window SECONDS, --syn-flood-min-share FRACTION
                         syn-flood thresholds: at least N half-open connections
                         to one listener from N sources within SECONDS, being
                         at least FRACTION of the attempts to it in that time
                         (defaults: 20, 5, 10, 0.5)
      --no-color         no ANSI colours (also when NO_COLOR is set)
      --color            colours even when stdout is not a terminal
  -h, --help             this help
  -V, --version          the version

Exit status: 0 no finding at the --fail-on level, 1 findings at that level,
2 usage or input errors.
`;
