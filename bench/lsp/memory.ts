// What the language server keeps for a big document, step by step, in process:
// the server's own steps (line array, per-line reader contexts and segments —
// the records are streamed into the normalizer, not kept —, analysis, lookup
// index) on the bench:lsp trace, heap + external after a full GC each.
// Run: node --expose-gc --import tsx bench/lsp/memory.ts [--mb 50]
import { analyzeParsed } from '../../server/src/analysis';
import { buildIndex } from '../../server/src/documents/analysisIndex';
import { parseMessage, takeText } from '../../server/src/documents/bigMessages';
import { IncrementalParse } from '../../server/src/documents/incrementalParse';
import { LineStore, type DocumentText } from '../../server/src/documents/lineStore';
import { generateTrace } from './gen-trace.mjs';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const at = process.argv.indexOf('--mb');
const MB = Number(at >= 0 ? process.argv[at + 1] : '50');

const mb = (n: number): string => (n / 1048576).toFixed(0);
let last = 0;
function step(what: string): void {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const kept = m.heapUsed + m.external;
  console.log(`${what}: ${mb(kept)} MB kept (+${mb(kept - last)}), rss ${mb(m.rss)} MB`);
  last = kept;
}

step('empty process');
/** In a function of its own: the generator's garbage must not stay reachable from this frame. */
function didOpenMessage(): Buffer {
  return Buffer.from(
    JSON.stringify({
      method: 'textDocument/didOpen',
      params: { textDocument: { text: generateTrace(MB * 1024 * 1024) as string } },
    }),
  );
}

let message: Buffer | undefined = didOpenMessage();
step('the didOpen message as bytes');
// As the server reads it over stdio (documents/bigMessages.ts): lines where they lie in the message bytes.
const opened = parseMessage(message) as { params: { textDocument: { text: string } } };
let text: DocumentText | undefined = takeText(opened.params.textDocument.text);
message = undefined;
step('the text as lines (in the message bytes)');
const size = text.length;
const store = new LineStore(text);
text = undefined;
step('line store');
const parse = new IncrementalParse();
parse.reset(store.snapshot());
const parsed = parse.result();
step('reader contexts per line and segments');
const result = analyzeParsed(parsed);
step('analysis');
const index = buildIndex(result, store.lineCount);
step('lookup index');
console.log(
  `${MB} MB trace (${size} characters), ${store.lineCount} lines, ${result.segments.length} segments, ` +
    `${index.lineCount} lines indexed: ${(last / size).toFixed(1)}× the trace kept`,
);
