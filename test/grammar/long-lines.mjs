// Manual check that the grammar stays linear on very long lines (VS Code tokenizes lines up to
// editor.maxTokenizationLineLength, 20 000 by default, but users raise it). Prints the time to
// tokenize ~100 KB lines built from real trace tokens and from adversarial repetitions.
// Run: node test/grammar/long-lines.mjs   (not part of npm test: timings are not assertions)
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
const onigLib = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const grammarPath = path.join(root, 'syntaxes', 'tcptrace.tmLanguage.json');
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
});
const grammar = await registry.loadGrammar('source.tcptrace');

const captures = path.join(root, 'test', 'fixtures', 'captures');
const tcpdumpLine = fs
  .readFileSync(path.join(captures, 'close-client', 'tcpdump-n.tcptrace'), 'utf8')
  .split('\n')[3];
const tsharkLine = fs.readFileSync(path.join(captures, 'abort', 'tshark.tcptrace'), 'utf8').split('\n')[1];
const size = 100_000;
const fill = (unit, prefix = '') => prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length));
const cases = {
  'real tcpdump line, repeated': fill(tcpdumpLine + ' '),
  'real tshark line, repeated': fill(tsharkLine + ' '),
  'one word': fill('a'),
  'dotted numbers': fill('1.'),
  'endpoint-like': fill('127.0.0.1.5 > '),
  'Flags tokens': fill('Flags [S] seq 1 '),
  'options lists': fill('options [nop] '),
  'unclosed brackets': fill('[x', 'options ['),
  'tshark analysis labels': fill('[TCP x] ', '  1 0.1 a → b TCP 5 '),
  'tshark flag lists': fill('[SYN, ACK] ', '  1 0.1 a → b TCP 5 '),
  'IP header starts': fill('IP (tos 0x0, '),
  'packetdrill fields': fill('ack 1 ', '+0 < S 0:0(0) '),
};
for (const [name, line] of Object.entries(cases)) {
  const start = process.hrtime.bigint();
  const result = grammar.tokenizeLine(line, vsctm.INITIAL);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(
    `${name.padEnd(30)} ${String(line.length).padStart(7)} chars ${ms.toFixed(0).padStart(6)} ms ${result.tokens.length} tokens`,
  );
}
