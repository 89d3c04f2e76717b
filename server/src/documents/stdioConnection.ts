// The connection over stdio (`--stdio`, how editors other than VS Code start
// the server) with the lean reading of big document messages (bigMessages.ts).
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
import { inspect } from 'node:util';
import { parseMessage } from './bigMessages';

const jsonDecoder = {
  name: 'application/json',
  decode(bytes: Uint8Array, options: ContentTypeDecoderOptions): Promise<Message> {
    try {
      const json =
        bytes instanceof Buffer
          ? bytes.toString(options.charset)
          : new TextDecoder(options.charset).decode(bytes);
      return Promise.resolve(parseMessage(json) as Message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
};

/** The server's connection: over stdio with the lean reader when started with `--stdio`, else as the library sets it up. */
export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const reader = new StreamMessageReader(process.stdin, { contentTypeDecoder: jsonDecoder });
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
  });
  const end = (): void => {
    process.exit(shutDown ? 0 : 1);
  };
  process.stdin.on('end', end);
  process.stdin.on('close', end);
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
