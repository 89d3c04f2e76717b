// ParseOptions.shard: a trace split by connection between two parsers gives,
// shard by shard, the whole parse's segments (same indices, times, absolute
// numbers) and everything else unchanged.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../../support/paths';
import { parseTrace, TraceParser } from '../../../server/src/analysis/parse';
import type { Endpoint, ParseResult, Segment } from '../../../server/src/analysis/model';

function traceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.tcptrace') || name.endsWith('.txt') || name.endsWith('.tsv')) out.push(file);
    }
  };
  walk(fixturesDir);
  walk(path.join(repoRoot, 'examples'));
  return out;
}

/** A symmetric split by connection: the parity of the two endpoints' hashes combined. */
function endpointHash(e: Endpoint): number {
  let h = e.port;
  for (let i = 0; i < e.host.length; i++) h = (Math.imul(h, 31) + e.host.charCodeAt(i)) | 0;
  return h ^ (h >>> 7);
}
const inShard =
  (index: number) =>
  (src: Endpoint, dst: Endpoint): boolean =>
    ((endpointHash(src) ^ endpointHash(dst)) & 1) === index;

function parseShard(text: string, spans: boolean, index: number, pieces: boolean): ParseResult {
  const segments: Segment[] = [];
  const parser = new TraceParser({
    spans,
    onSegment: (s) => segments.push(s),
    shard: { keep: inShard(index) },
  });
  if (pieces) for (let at = 0; at < text.length; at += 4099) parser.push(text.slice(at, at + 4099));
  else parser.push(text);
  return { ...parser.finish(), segments };
}

describe('a trace parsed in shards by connection', () => {
  test('every committed trace: the two shards’ segments together are the whole parse’s, the rest is the same', () => {
    let split = 0;
    for (const file of traceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const spans of [false, true]) {
        const whole = parseTrace(text, { spans });
        const shards = [parseShard(text, spans, 0, !spans), parseShard(text, spans, 1, !spans)];
        const joined = [...shards[0]!.segments, ...shards[1]!.segments].sort((a, b) => a.index - b.index);
        assert.deepStrictEqual(joined, whole.segments, `${file} spans ${spans}`);
        for (const shard of shards) {
          assert.deepStrictEqual(
            { ...shard, segments: [] },
            { ...whole, segments: [] },
            `${file} spans ${spans}`,
          );
          if (shard.segments.length > 0 && shard.segments.length < whole.segments.length) split++;
        }
      }
    }
    // Most traces hold more than one connection, and the split must really split some.
    assert.ok(split > 20, `${split} shards held part of a trace`);
  });
});
