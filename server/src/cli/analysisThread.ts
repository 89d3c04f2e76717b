// The analysis on a second thread, so that parsing (this thread) and analysing
// (a worker) run at once on a machine with two cores or more: the wall time of
// a big summary becomes the longer of the two instead of their sum.
//
// Segments cross in binary batches (analysis/segmentBatch.ts; cloning the
// objects would cost more than parsing them). The worker acknowledges each
// batch and the parser waits when too many are unacknowledged, so memory stays
// bounded when the analysis is the slower side.
//
// The worker runs this same module: `new Worker(__filename)` loads dist/cli.js
// in the bundle (cli.ts starts the CLI only on the main thread) and this file
// itself when the CLI runs unbundled (tests), and the code at the bottom serves.
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { StreamAnalyzer, type ParseFacts, type StreamedAnalysis } from '../analysis';
import type { AnalysisOptions, Segment } from '../analysis/model';
import { SegmentBatchReader, SegmentBatchWriter, type SegmentBatch } from '../analysis/segmentBatch';
import type { VantageMode } from '../analysis/stream';

const ROLE = 'tcptrace-inspect analysis';
/** Unacknowledged batches (about 1 MB each) at which the parser waits. */
const MAX_IN_FLIGHT = 16;

/** Inputs from this size up are analysed on a second thread when the machine has two cores. */
export const THREAD_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Whether to analyse on a second thread: TCPTRACE_INSPECT_THREAD=always or
 * never decides; otherwise for big inputs on machines with more than one core.
 */
export function useAnalysisThread(env: NodeJS.ProcessEnv, bytes: number): boolean {
  const choice = env.TCPTRACE_INSPECT_THREAD;
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  return bytes >= THREAD_MIN_BYTES && os.availableParallelism() > 1;
}

type ToWorker =
  | { readonly kind: 'batch'; readonly batch: SegmentBatch }
  | { readonly kind: 'end'; readonly facts: ParseFacts };

type FromWorker =
  | { readonly kind: 'ack' }
  | { readonly kind: 'result'; readonly result: StreamedAnalysis }
  | { readonly kind: 'failed'; readonly error: string };

interface Setup {
  readonly role: typeof ROLE;
  readonly options: AnalysisOptions;
  readonly mode: VantageMode;
}

/** The parsing side: push() each segment, wait on drained() between pieces of input, then finish(). */
export class AnalysisThread {
  private readonly worker: Worker;
  private readonly writer = new SegmentBatchWriter();
  private inFlight = 0;
  private wakeDrained: (() => void) | null = null;
  private settle: { resolve: (r: StreamedAnalysis) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(options: AnalysisOptions, mode: VantageMode) {
    const setup: Setup = { role: ROLE, options, mode };
    this.worker = new Worker(__filename, { workerData: setup });
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (this.settle !== null) this.fail(new Error(`the analysis thread stopped (exit code ${code})`));
    });
  }

  push(segment: Segment): void {
    const full = this.writer.add(segment);
    if (full !== null) this.send(full);
  }

  /** Resolves at once unless too many batches wait for the analysis; then when half of them are done. */
  drained(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.inFlight < MAX_IN_FLIGHT) return Promise.resolve();
    return new Promise((resolve) => (this.wakeDrained = resolve));
  }

  finish(facts: ParseFacts): Promise<StreamedAnalysis> {
    this.send(this.writer.take());
    const done = new Promise<StreamedAnalysis>((resolve, reject) => (this.settle = { resolve, reject }));
    if (this.failure !== null) this.fail(this.failure);
    else this.post({ kind: 'end', facts });
    return done;
  }

  /** Stops the worker when the input fails half-way (it would keep the process alive). */
  abort(): void {
    this.settle = null;
    void this.worker.terminate();
  }

  private send(batch: SegmentBatch): void {
    if (batch.count === 0) return;
    this.inFlight++;
    this.post({ kind: 'batch', batch }, [batch.rows.buffer]);
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(m: FromWorker): void {
    switch (m.kind) {
      case 'ack':
        this.inFlight--;
        if (this.wakeDrained !== null && this.inFlight <= MAX_IN_FLIGHT / 2) {
          const wake = this.wakeDrained;
          this.wakeDrained = null;
          wake();
        }
        return;
      case 'result': {
        const settle = this.settle;
        this.settle = null;
        void this.worker.terminate();
        settle?.resolve(m.result);
        return;
      }
      case 'failed':
        this.fail(new Error(`the analysis thread failed: ${m.error}`));
        return;
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    const settle = this.settle;
    this.settle = null;
    void this.worker.terminate();
    settle?.reject(err);
    // A parser waiting for acknowledgements learns of it at its next drained().
    const wake = this.wakeDrained;
    this.wakeDrained = null;
    wake?.();
  }
}

/** The worker side: batches in, the streamed analysis out. */
function serve(setup: Setup): void {
  const port = parentPort;
  if (port === null) return;
  const analyzer = new StreamAnalyzer(setup.options, setup.mode);
  const reader = new SegmentBatchReader();
  port.on('message', (m: ToWorker) => {
    try {
      if (m.kind === 'batch') {
        reader.read(m.batch, (s) => analyzer.push(s));
        port.postMessage({ kind: 'ack' } satisfies FromWorker);
      } else {
        port.postMessage({ kind: 'result', result: analyzer.finish(m.facts) } satisfies FromWorker);
        port.close();
      }
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      port.postMessage({ kind: 'failed', error } satisfies FromWorker);
      port.close();
    }
  });
}

if (!isMainThread && (workerData as Partial<Setup> | null)?.role === ROLE) serve(workerData as Setup);
