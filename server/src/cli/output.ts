// Writes formatter pieces to a stream in batches of about 64 KiB, waiting for
// 'drain' when the reader is slower than we are (a pager, a slow pipe).
import type { Writable } from 'node:stream';

const BATCH = 64 * 1024;

/** The reader went away (`| head`): stop writing, this is not an error. */
export class ClosedOutput extends Error {}

export async function writeAll(stream: Writable, pieces: Iterable<string>): Promise<void> {
  let closed = false;
  let failure: Error | undefined;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else failure = err;
  };
  stream.on('error', onError);
  try {
    // Pieces are encoded into the batch's bytes as they come: a batch of joined strings
    // would be a rope of thousands of pieces, flattened and then encoded once more.
    let batch = Buffer.allocUnsafeSlow(BATCH);
    let used = 0;
    const send = async (chunk: Buffer | string): Promise<void> => {
      if (failure) throw failure;
      if (closed) throw new ClosedOutput();
      const ok = stream.write(chunk);
      if (!ok && !closed)
        await new Promise<void>((resolve) => {
          const done = (): void => {
            stream.off('drain', done);
            stream.off('close', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('close', done);
        });
    };
    const flush = async (): Promise<void> => {
      // The stream may hold on to what it was given: the next batch is a new buffer.
      const full = batch.subarray(0, used);
      batch = Buffer.allocUnsafeSlow(BATCH);
      used = 0;
      await send(full);
    };
    for (const piece of pieces) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (used + 3 * piece.length > BATCH) {
        if (used > 0) await flush();
        if (3 * piece.length > BATCH) {
          await send(piece);
          continue;
        }
      }
      used += batch.write(piece, used);
    }
    if (used > 0) await flush();
    if (failure) throw failure;
    if (closed) throw new ClosedOutput();
  } finally {
    stream.off('error', onError);
  }
}

/**
 * Writes byte pieces as they are made; the producer calls drained() now and
 * then and waits on it when the stream holds more than it has written out (a
 * slow pipe), so memory stays bounded. end() waits until the stream has taken
 * everything. Once the reader went away (`| head`), write() throws
 * ClosedOutput, so the producer stops early.
 */
export class PieceWriter {
  private closed = false;
  private failure: Error | undefined;
  private readonly onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
    else this.failure = err;
  };

  constructor(private readonly stream: Writable) {
    stream.on('error', this.onError);
  }

  write(piece: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new ClosedOutput();
    this.stream.write(piece);
  }

  /** A promise to wait on while the stream's buffer is full; undefined when it is not. */
  drained(): Promise<void> | undefined {
    if (this.closed || this.failure !== undefined || !this.stream.writableNeedDrain) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Stops listening for errors (also when write() threw). */
  release(): void {
    this.stream.off('error', this.onError);
  }

  async end(): Promise<void> {
    try {
      await this.drained();
      if (this.failure) throw this.failure;
      if (this.closed) throw new ClosedOutput();
    } finally {
      this.release();
    }
  }
}
