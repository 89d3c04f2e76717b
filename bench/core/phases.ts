// Splits the CLI's `--format summary` work on the 1M-segment bench traces into
// its phases, each timed on its own in this process (bundled like dist/cli.js
// by bench/core/phases.mjs, so the figures are those of the shipped code):
//   read      the text file read piece by piece as the CLI reads it (no parsing);
//   parse     the pieces through TraceParser (spans off, segments dropped);
//   pcap      the capture read as the CLI reads it (64 KiB a read) through
//             parseCaptureDirect, with the CLI's transient segments (dropped);
//   analyse   StreamAnalyzer over segments parsed beforehand into an array
//             (from the capture: the same traffic), the walk alone;
//   summary   parse and analyse together, as the CLI does for text.
// Each phase runs --runs times (default 3) and prints every time and the median,
// with the load average. Usage: node bench/core/phases.mjs [--runs N] [--only a,b]
import * as fs from 'node:fs';
import * as os from 'node:os';
import { StreamAnalyzer, TraceParser, type ParseFacts, type Segment } from '../../server/src/analysis';
import { parseCaptureDirect } from '../../server/src/analysis/pcap/segments';
import { ByteWindow } from '../../server/src/analysis/pcap/window';
import { loadFile, type TextPiece } from '../../server/src/cli/input';

const dir = process.env.BENCH_OUT ?? 'bench/out';
const textPath = `${dir}/trace-1000000.tcptrace`;
const pcapPath = `${dir}/trace-1000000.pcap`;
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? '3');
const only = arg('--only')?.split(',');

/** The text file in pieces as the CLI reads it (ASCII pieces as bytes, the rest decoded). */
function textPieces(): Iterable<TextPiece> {
  const pieces = loadFile(textPath, { pieces: true }).pieces;
  if (pieces === undefined) throw new Error(`${textPath}: not read in pieces`);
  return pieces;
}

function push(parser: TraceParser, piece: TextPiece): void {
  if (typeof piece === 'string') parser.push(piece);
  else parser.pushBytes(piece);
}

function readOnly(): number {
  let chars = 0;
  for (const piece of textPieces()) chars += piece.length;
  return chars;
}

function parseOnly(onSegment: (s: Segment) => void = () => undefined): number {
  let n = 0;
  const parser = new TraceParser({ spans: false, onSegment: (s) => (n++, onSegment(s)) });
  for (const piece of textPieces()) push(parser, piece);
  parser.finish();
  return n;
}

/** The capture read as the CLI's summary reads it: a window over the file, transient segments. */
function pcapOnly(onSegment: (s: Segment) => void = () => undefined): number {
  let n = 0;
  const file = loadFile(pcapPath).openCapture?.();
  if (file === undefined) throw new Error(`${pcapPath}: not a capture`);
  try {
    parseCaptureDirect(ByteWindow.reading(file.read), {
      onSegment: (s) => (n++, onSegment(s)),
      transientSegments: true,
    });
  } finally {
    file.close();
  }
  return n;
}

let parsed: { segments: Segment[]; facts: ParseFacts } | null = null;
/** The segments the analyse phase walks, parsed before it is timed. */
function prepareAnalyse(): void {
  if (parsed !== null) return;
  const segments: Segment[] = [];
  const facts = parseCaptureDirect(new Uint8Array(fs.readFileSync(pcapPath)), {
    onSegment: (s) => segments.push(s),
  });
  parsed = { segments, facts };
}

// As the CLI's `--format summary` analyses: it only counts findings, so it keeps no finding text.
const SUMMARY_OPTIONS = { findingText: false };

function analyseOnly(): number {
  if (parsed === null) throw new Error('prepareAnalyse() first');
  const analyzer = new StreamAnalyzer(SUMMARY_OPTIONS, 'replay');
  for (const s of parsed.segments) analyzer.push(s);
  return analyzer.finish(parsed.facts).connections.length;
}

function summary(): number {
  const analyzer = new StreamAnalyzer(SUMMARY_OPTIONS, 'replay');
  const parser = new TraceParser({ spans: false, onSegment: (s) => analyzer.push(s) });
  for (const piece of textPieces()) push(parser, piece);
  return analyzer.finish(parser.finish()).connections.length;
}

const phases: Record<string, () => number> = {
  read: readOnly,
  parse: () => parseOnly(),
  pcap: () => pcapOnly(),
  analyse: analyseOnly,
  summary,
};

console.log(
  `load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const [name, run] of Object.entries(phases)) {
  if (only && !only.includes(name)) continue;
  const times: number[] = [];
  let result = 0;
  if (name === 'analyse') prepareAnalyse();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = run();
    times.push(performance.now() - t0);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  console.log(
    `${name.padEnd(8)} median ${(median / 1000).toFixed(2)} s  runs ${times.map((t) => (t / 1000).toFixed(2)).join(' ')}  (${result})`,
  );
}
console.log(
  `load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
