// tcptrace-inspect: the command-line analyzer over the analysis core.
import * as fs from 'node:fs';
import { analyzeTrace } from './analysis';

const file = process.argv[2];
const text = file && file !== '-' ? fs.readFileSync(file, 'utf8') : fs.readFileSync(0, 'utf8');
const result = analyzeTrace(text);
for (const d of result.diagnostics) console.log(`${d.line + 1}: ${d.severity} ${d.code}: ${d.message}`);
