// Reading the client's messages from a pipe (stdin with `--stdio`) into one
// reused buffer. A Node stream gets a fresh 64 KiB buffer for every read: a
// 50 MB didOpen is some 800 of them, which the C allocator keeps in its arena
// once they are freed (about 50 MB of the server's resident memory from the
// open on, measured in /proc/<pid>/smaps' [heap]). Here the pipe is read into
// one buffer and each message's body copied into a buffer of its own length
// (messageFramer.ts), which a big message gets from the system and gives back
// when it is freed.
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import {
  AbstractMessageReader,
  Disposable,
  type DataCallback,
  type Message,
} from 'vscode-languageserver/node';
import { MessageFramer } from './messageFramer';

/** Bytes read from the pipe at a time (what Node's streams read). */
const READ_SIZE = 1 << 16;

export class PipeMessageReader extends AbstractMessageReader {
  private socket: Socket | undefined;
  private closed = false;

  /** `decode` turns a body into its message; what it throws is reported as the reader's error. */
  constructor(
    private readonly fd: number,
    private readonly decode: (body: Buffer) => Message,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const framer = new MessageFramer({
      body: (body) => {
        let message: Message;
        try {
          message = this.decode(body);
        } catch (error) {
          this.fireError(error);
          return;
        }
        callback(message);
      },
      error: (error) => this.fireError(error),
    });
    // Node's Socket takes `onread` as net.connect() does (its typings list it for connect only).
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd: this.fd,
      readable: true,
      writable: false,
      onread: {
        buffer: Buffer.allocUnsafe(READ_SIZE),
        callback: (n, buffer) => {
          framer.take(buffer, n);
          return true;
        },
      },
    };
    // Reading starts when the socket is made: only now is there a callback for what it reads.
    const socket = new Socket(options);
    this.socket = socket;
    socket.on('error', (error) => this.fireError(error));
    socket.on('end', () => this.close());
    socket.on('close', () => this.close());
    return Disposable.create(() => socket.destroy());
  }

  override dispose(): void {
    this.socket?.destroy();
    super.dispose();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fireClose();
  }
}
