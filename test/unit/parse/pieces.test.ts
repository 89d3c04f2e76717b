// TraceParser: a text fed in pieces (as the CLI reads big files) parses exactly
// as the whole text, wherever the pieces break the lines.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import { parseTrace, TraceParser } from '../../../server/src/analysis/parse';
import type { ParseResult } from '../../../server/src/analysis/model';

const captures = path.join(fixturesDir, 'captures');

function inPieces(text: string, cuts: readonly number[]): ParseResult {
  const parser = new TraceParser({ spans: true });
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(at, cut));
    at = cut;
  }
  return parser.finish();
}

/** Every flavour of every real capture, so each line kind (two-line -v, dumps, tshark) gets cut. */
function realTraces(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const scenario of fs.readdirSync(captures).sort()) {
    const dir = path.join(captures, scenario);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith('.tcptrace'))
        out.push({ name: `${scenario}/${file}`, text: fs.readFileSync(path.join(dir, file), 'utf8') });
    }
  }
  return out;
}

describe('parsing a trace in pieces', () => {
  test('real captures cut at prime strides (mid-line, at line breaks, single characters) parse as the whole text', () => {
    const traces = realTraces();
    assert.ok(traces.length > 20, `${traces.length} traces`);
    for (const { name, text } of traces) {
      const whole = parseTrace(text);
      for (const stride of [1, 7, 97, 4099]) {
        if (stride === 1 && text.length > 20000) continue;
        const cuts: number[] = [];
        for (let c = stride; c < text.length; c += stride) cuts.push(c);
        assert.deepEqual(inPieces(text, cuts), whole, `${name} stride ${stride}`);
      }
      // Cut right after every line break: no line straddles two pieces.
      const atBreaks: number[] = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) atBreaks.push(i + 1);
      assert.deepEqual(inPieces(text, atBreaks), whole, `${name} at line breaks`);
    }
  });

  test('empty pieces, CRLF split between pieces, and no final line break', () => {
    const text =
      '12:00:00.000001 IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [S], seq 1, win 64240, length 0\r\n' +
      '12:00:00.000002 IP 10.0.0.2.80 > 10.0.0.1.5000: Flags [S.], seq 7, ack 2, win 65160, length 0\r\n' +
      '12:00:00.000003 IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0';
    const whole = parseTrace(text);
    assert.equal(whole.segments.length, 3);
    assert.equal(whole.lineCount, 3);
    const cr = text.indexOf('\r\n');
    assert.deepEqual(inPieces(text, [0, 0, cr + 1, cr + 1, cr + 2, text.length]), whole);
    const empty = new TraceParser();
    assert.deepEqual(empty.finish(), parseTrace(''));
  });
});
