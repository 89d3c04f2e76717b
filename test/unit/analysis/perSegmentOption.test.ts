// AnalysisOptions.perSegment = false (the CLI's summary and SARIF output): the same
// connections, findings and vantage as the full analysis, without per-segment results.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import { comparable } from '../../support/results';
import { analyzeParsed, parseTrace } from '../../../server/src/analysis';

describe('analysis without per-segment results', () => {
  test('every real capture rendering: everything but perSegment equals the full analysis', () => {
    const captures = path.join(fixturesDir, 'captures');
    let files = 0;
    for (const scenario of fs.readdirSync(captures).sort()) {
      const dir = path.join(captures, scenario);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const file of fs.readdirSync(dir).sort()) {
        if (!file.endsWith('.tcptrace')) continue;
        const parsed = parseTrace(fs.readFileSync(path.join(dir, file), 'utf8'));
        const full = analyzeParsed(parsed);
        const lean = analyzeParsed(parsed, { perSegment: false });
        assert.equal(lean.perSegment.length, 0, `${scenario}/${file}`);
        assert.equal(full.perSegment.length, parsed.segments.length, `${scenario}/${file}`);
        assert.deepEqual(
          { ...comparable(lean), perSegment: comparable(full).perSegment },
          comparable(full),
          `${scenario}/${file}`,
        );
        files++;
      }
    }
    assert.ok(files > 20, `${files} files`);
  });
});
