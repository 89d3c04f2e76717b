// The CLI as a function of its arguments and streams, so tests can run it in
// process as well as through dist/cli.js. Returns the exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  analyzeParsed,
  COUNTED_SEVERITIES,
  parseTrace,
  StreamAnalyzer,
  TraceParser,
  type StreamedAnalysis,
  type StreamOptions,
} from '../analysis';
import type { AnalysisResult, ParseResult, Severity } from '../analysis/model';
import { parseArgs, USAGE, UsageError, type CliOptions, type FailOn } from './args';
import { captureDecoder, describeProblem, openCaptureInput } from './capture';
import { ANSI, PLAIN, useColor } from './color';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatSummary } from './format/summary';
import { formatText } from './format/text';
import { InputError, loadFile, loadStream, type LoadedInput, type TextPiece } from './input';
import { ClosedOutput, PieceWriter, writeAll } from './output';
import { Progress, type ProgressSink } from './progress';
import type { Report } from './report';

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: ProgressSink;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * Called once, before the input is read, when the output keeps only what grows
   * with the connections (the summary, SARIF and tcpdump outputs: the trace
   * streams through). The process binding (cli.ts) keeps V8's young generation
   * small then; in-process callers (the tests) leave their heap as it is.
   */
  readonly streaming?: () => void;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Severities that make the run fail at each --fail-on level. */
const FAILING: Record<FailOn, readonly Severity[]> = {
  error: ['error'],
  warning: ['error', 'warning'],
  never: [],
};

export function packageVersion(): string {
  // dist/cli.js sits one level below package.json; search upwards to be safe.
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'tcptrace-inspector' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`tcptrace-inspect: ${message}\n`);
  return EXIT_USAGE;
}

function pushPiece(parser: TraceParser, piece: TextPiece): void {
  if (typeof piece === 'string') parser.push(piece);
  else parser.pushBytes(piece);
}

/** parseTrace() over a text read in pieces: the whole text is never in memory. */
function parsePieces(pieces: Iterable<TextPiece>, size: number, progress: Progress): ParseResult {
  const parser = new TraceParser({ spans: false });
  let done = 0;
  for (const piece of pieces) {
    pushPiece(parser, piece);
    done += piece.length;
    progress.fraction('parsing', done, size);
  }
  return parser.finish();
}

/**
 * Parsing and analysis in one pass for the outputs without per-segment results:
 * each segment is analysed as it is read and then dropped.
 */
function streamAnalysis(
  pieces: Iterable<TextPiece>,
  size: number,
  progress: Progress,
  options: StreamOptions,
): StreamedAnalysis {
  // The input can be read again: rather than hold the first segments until the
  // vantage point is voted, analyse at once and start again in the rare case the
  // vote says the walk needed it (a capture taken at a client or server).
  const once = (o: StreamOptions): StreamedAnalysis => {
    const analyzer = new StreamAnalyzer(o, 'replay');
    const parser = new TraceParser({ spans: false, onSegment: (s) => analyzer.push(s) });
    let done = 0;
    for (const piece of pieces) {
      pushPiece(parser, piece);
      done += piece.length;
      progress.fraction('analysing', done, size);
    }
    return analyzer.finish(parser.finish());
  };
  const first = once(options);
  return first.replayWith === undefined ? first : once({ ...options, vantage: first.replayWith });
}

/**
 * Standard input streamed into the analysis for the outputs without per-segment
 * results. It cannot be read twice, so the first segments are held until the
 * vantage point is voted (StreamAnalyzer's 'hold' mode) instead of replayed.
 */
async function streamStdinAnalysis(
  pieces: AsyncIterable<string>,
  options: StreamOptions,
): Promise<StreamedAnalysis> {
  const analyzer = new StreamAnalyzer(options, 'hold');
  const parser = new TraceParser({ spans: false, onSegment: (s) => analyzer.push(s) });
  for await (const piece of pieces) parser.push(piece);
  return analyzer.finish(parser.finish());
}

/** The outputs that need no per-segment results, analysed as the trace is read. */
function streamsAnalysis(format: CliOptions['format']): boolean {
  return format === 'summary' || format === 'sarif';
}

async function load(options: CliOptions, io: CliIo, reading: Progress): Promise<LoadedInput> {
  if (options.input !== undefined && options.input !== '-')
    // The formats that print the trace need its text whole; the others take a big file in pieces.
    return loadFile(options.input, { pieces: options.format !== 'text' && options.format !== 'tcpdump' });
  if (options.input === undefined && io.stdin.isTTY)
    throw new UsageError('no input: give a trace FILE, or pipe a trace into standard input (see --help)');
  // A streamed input goes on reporting the bytes read while it is analysed: the caller clears the indicator.
  let input: LoadedInput | undefined;
  try {
    input = await loadStream(io.stdin, (n) => reading.bytes(n), { pieces: streamsAnalysis(options.format) });
    return input;
  } finally {
    if (input?.streamed === undefined) reading.clear();
  }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(io, `${err.message}\n\n${USAGE}`);
    throw err;
  }
  if (options.help) {
    await writeAll(io.stdout, [USAGE]);
    return EXIT_OK;
  }
  if (options.version) {
    await writeAll(io.stdout, [`tcptrace-inspect ${packageVersion()}\n`]);
    return EXIT_OK;
  }

  let input: LoadedInput;
  const reading = new Progress(io.stderr, io.stderr.isTTY === true);
  try {
    input = await load(options, io, reading);
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) return fail(io, err.message);
    throw err;
  }
  // A capture streamed through the analysis or the rendering keeps the young generation
  // small (cli.ts). A text trace does not: there the cap cost ~8 % of the 1M text summary's
  // wall time (0.06-0.12 s, three idle pairs) for memory its target does not need.
  if (input.kind !== 'text' && (streamsAnalysis(options.format) || options.format === 'tcpdump'))
    io.streaming?.();

  const progress = Progress.for(io.stderr, input.size);
  const analysisOptions: StreamOptions = {
    ...options.synFlood,
    ...(options.vantage ? { vantage: options.vantage } : {}),
    // Only the JSON and text outputs show per-segment results.
    perSegment: options.format === 'json' || options.format === 'text',
    // The summary counts findings; the other outputs print their text.
    findingText: options.format !== 'summary',
    countFindings: options.format === 'summary',
  };
  let parsed: ParseResult | undefined;
  let streamed: StreamedAnalysis | undefined;
  let traceText: string;
  try {
    if (input.streamed !== undefined) {
      try {
        streamed = await streamStdinAnalysis(input.streamed, analysisOptions);
      } finally {
        reading.clear();
      }
      input = { ...input, streamed: undefined };
      traceText = '';
    } else if (input.kind === 'text' && streamsAnalysis(options.format)) {
      progress.phase('analysing', `${(input.size / 1048576).toFixed(0)} MB`);
      streamed = streamAnalysis(input.pieces ?? [input.text ?? ''], input.size, progress, analysisOptions);
      input = { ...input, text: undefined };
      traceText = '';
    } else if (input.kind === 'text' && input.pieces !== undefined) {
      progress.phase('parsing', `${(input.size / 1048576).toFixed(0)} MB`);
      parsed = parsePieces(input.pieces, input.size, progress);
      traceText = '';
    } else if (input.kind === 'text') {
      const text = input.text ?? '';
      // Only `text` output needs the trace after parsing: drop every other
      // reference so the garbage collector can free it during the analysis.
      input = { ...input, text: undefined };
      if (options.format === 'tcpdump') {
        // Already text: printed unchanged (docs/cli.md).
        await writeAll(io.stdout, [text]);
        return EXIT_OK;
      }
      progress.phase('parsing', `${(input.size / 1048576).toFixed(0)} MB`);
      parsed = parseTrace(text, {
        spans: false,
        onProgress: (done, total) => progress.fraction('parsing', done, total),
      });
      traceText = options.format === 'text' ? text : '';
    } else {
      const decoder = captureDecoder();
      const loaded = input;
      input = { ...input, bytes: undefined, openCapture: undefined };
      if (options.format === 'summary' || options.format === 'sarif') {
        progress.phase('analysing');
        streamed = decoder.analyse(() => openCaptureInput(loaded), io.env.TZ, analysisOptions);
        traceText = '';
      } else {
        const { bytes, close } = openCaptureInput(loaded);
        try {
          if (options.format === 'tcpdump') {
            // Written as it is made: the rendering is never held whole.
            progress.phase('rendering');
            const out = new PieceWriter(io.stdout);
            try {
              const rendering = await decoder.render(
                bytes,
                io.env.TZ,
                (piece) => out.write(piece),
                () => out.drained(),
              );
              progress.clear();
              for (const p of rendering.problems) io.stderr.write(describeProblem(input.path, p));
              await out.end();
            } catch (err) {
              out.release();
              if (!(err instanceof ClosedOutput)) throw err;
            }
            return EXIT_OK;
          }
          progress.phase('decoding');
          const decoded = decoder.parse(bytes, io.env.TZ, options.format === 'text');
          parsed = decoded.parsed;
          traceText = options.format === 'text' ? decoded.text : '';
        } finally {
          close();
        }
      }
    }
  } catch (err) {
    progress.clear();
    if (err instanceof InputError) return fail(io, err.message);
    throw err;
  }

  let result: AnalysisResult;
  if (streamed !== undefined) {
    result = streamed;
  } else {
    const p = parsed as ParseResult;
    progress.phase('analysing', `${p.segments.length} segments`);
    result = analyzeParsed(p, analysisOptions);
  }
  progress.clear();

  const counts = streamed?.findingCounts;
  const report: Report = {
    path: input.path,
    inputFormat: input.kind === 'text' ? result.format : input.kind,
    result,
    segmentCount: streamed?.segmentCount ?? result.segments.length,
    ...(counts === undefined ? {} : { findingCounts: counts }),
  };
  const palette = useColor(options.color, io.stdout.isTTY === true, io.env) ? ANSI : PLAIN;
  try {
    switch (options.format) {
      case 'json':
        await writeAll(io.stdout, formatJson(report));
        break;
      case 'sarif':
        await writeAll(io.stdout, [formatSarif(report, { version: packageVersion(), cwd: io.cwd })]);
        break;
      case 'summary':
        await writeAll(io.stdout, formatSummary(report, palette));
        break;
      case 'text':
        await writeAll(io.stdout, formatText(report, traceText, palette));
        break;
    }
  } catch (err) {
    if (!(err instanceof ClosedOutput)) throw err;
  }

  const failing = FAILING[options.failOn];
  const fails =
    counts === undefined
      ? result.diagnostics.some((d) => failing.includes(d.severity))
      : COUNTED_SEVERITIES.some((s, k) => counts.total[k] > 0 && failing.includes(s));
  return fails ? EXIT_FINDINGS : EXIT_OK;
}
