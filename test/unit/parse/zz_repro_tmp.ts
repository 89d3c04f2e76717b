import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import {
  INITIAL_CONTEXT,
  nextContext,
  normalize,
  parseTrace,
  readLine,
  type LineRecord,
} from '../../../server/src/analysis/parse';
function perLine(text: string) {
  const lines = text.split('\n');
  const records: LineRecord[] = [];
  let ctx = INITIAL_CONTEXT;
  lines.forEach((l, i) => {
    const r = readLine(l, i, ctx, 0, l.length, true);
    records.push(r);
    ctx = nextContext(ctx, r);
  });
  return normalize(records);
}
let text = fs.readFileSync('/work/main/test/fixtures/captures/zero-window/tshark.tcptrace', 'utf8');
for (const e of [{ at: 1348237706 }, { at: 0 }]) {
  const at = e.at % (text.length + 1);
  text = text.slice(0, at) + text.slice(at + 1 + (e.at % 7));
}
const a = perLine(text);
const b = parseTrace(text);
console.log(
  a.segments.length,
  b.segments.length,
  isDeepStrictEqual(a.segments, b.segments),
  isDeepStrictEqual(a.diagnostics, b.diagnostics),
);
for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++)
  if (!isDeepStrictEqual(a.segments[i], b.segments[i])) {
    console.log('A', JSON.stringify(a.segments[i]).slice(0, 900));
    console.log('B', JSON.stringify(b.segments[i]).slice(0, 900));
    break;
  }
console.log(JSON.stringify(text.split('\n').slice(0, 2)));
