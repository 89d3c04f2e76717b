// tcptrace-inspect: the command-line analyzer over the analysis core.
// Everything lives in cli/; this file only binds it to the process.
import * as v8 from 'node:v8';
import { runCli } from './cli/main';

/**
 * V8 doubles its young generation (from 1 MB a semi-space up to 16 MB) once as many
 * bytes as it holds have survived: a streamed analysis' bookkeeping grows with the
 * connections, so it soon reaches 16 MB, three times that in committed pages (two
 * semi-spaces and a large-object space), about 20 MB more peak memory on the 1M
 * bench pcap (189-193 -> 166-168 MB) and no faster. The growth factor is read each
 * time the young generation would grow (unlike --max-semi-space-size, fixed when
 * the heap is made), so a factor of 1 keeps the first size. Not for the outputs
 * that hold the whole trace (text, JSON): there it cost ~3 % CPU; nor for text input
 * (cli/main.ts).
 */
function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  streaming: keepYoungGenerationSmall,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `tcptrace-inspect: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 2;
  },
);
