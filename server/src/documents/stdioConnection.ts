// The connection over stdio (`--stdio`, how editors other than VS Code start
// the server) with the lean reading of big document messages (bigMessages.ts),
// read from a pipe into one reused buffer (pipeReader.ts).
// vscode-languageserver's own stdio setup takes no reader options, so this does
// what it does around the reader: the process ends when stdin closes (exit code
// 0 only after a shutdown request), and `console` goes to the client's log
// instead of stdout, which carries the protocol.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type ContentTypeDecoderOptions,
  type Message,
} from 'vscode-languageserver/node';
import { fstatSync } from 'node:fs';
import { inspect } from 'node:util';
import { parseMessage } from './bigMessages';
import { PipeMessageReader } from './pipeReader';

function decodeMessage(bytes: Uint8Array, charset: BufferEncoding): Message {
  if (charset === 'utf-8' || charset === 'utf8') {
    const body =
      bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return parseMessage(body) as Message;
  }
  const json = bytes instanceof Buffer ? bytes.toString(charset) : new TextDecoder(charset).decode(bytes);
  return JSON.parse(json) as Message;
}

const jsonDecoder = {
  name: 'application/json',
  decode(bytes: Uint8Array, options: ContentTypeDecoderOptions): Promise<Message> {
    try {
      return Promise.resolve(decodeMessage(bytes, options.charset));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
};

/** Stdin is a pipe or socket (how clients start the server), which PipeMessageReader reads. */
function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** The server's connection: over stdio with the lean reader when started with `--stdio`, else as the library sets it up. */
export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  // The JSON-RPC reader's default charset, as its StreamMessageReader decodes.
  const pipe = stdinIsPipe() ? new PipeMessageReader(0, (body) => decodeMessage(body, 'utf-8')) : undefined;
  const reader = pipe ?? new StreamMessageReader(process.stdin, { contentTypeDecoder: jsonDecoder });
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
  });
  const end = (): void => {
    process.exit(shutDown ? 0 : 1);
  };
  if (pipe) pipe.onClose(end);
  else {
    process.stdin.on('end', end);
    process.stdin.on('close', end);
  }
  const log =
    (write: (message: string) => void) =>
    (...args: unknown[]): void =>
      write(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
  console.log = log((m) => connection.console.log(m));
  console.info = log((m) => connection.console.info(m));
  console.warn = log((m) => connection.console.warn(m));
  console.error = log((m) => connection.console.error(m));
  return connection;
}
