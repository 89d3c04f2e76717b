// The benchmark's traffic generator must write text that is exactly what the
// real tcpdump prints for the pcap it writes beside it, so that tcptrace-inspect,
// tcptrace and tshark are compared on the same traffic.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

describe('bench/gen-trace.mjs', () => {
  test('the text equals TZ=UTC tcpdump -n -r of the generated pcap, and is deterministic', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-gen-'));
    const gen = (seed: number, out: string) =>
      spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bench', 'gen-trace.mjs'), '--seed', String(seed), '--verify', '4000', out],
        {
          encoding: 'utf8',
        },
      );
    const r = gen(3, path.join(dir, 'a'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /4000 segments, \d+ connections\nidentical to TZ=UTC tcpdump -n -r of the pcap\n$/,
    );
    const again = gen(3, path.join(dir, 'b'));
    assert.equal(again.status, 0, again.stderr);
    for (const f of ['trace-4000.tcptrace', 'trace-4000.pcap'])
      assert.ok(fs.readFileSync(path.join(dir, 'a', f)).equals(fs.readFileSync(path.join(dir, 'b', f))), f);
    const text = fs.readFileSync(path.join(dir, 'a', 'trace-4000.tcptrace'), 'utf8');
    // The shapes the benchmark promises are present.
    for (const shape of [/Flags \[S\], seq/, /Flags \[S\.\]/, /Flags \[R\.\]/, /Flags \[F\.\]/, /sack 1 \{/])
      assert.match(text, shape);
  });
});
