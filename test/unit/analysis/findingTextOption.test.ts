// AnalysisOptions.findingText = false (the CLI's summary): the same connections and
// the same findings, in the same order, each without its text (message '', no
// related locations, no details), in the whole and in the streamed analysis. The
// parser's diagnostics are not the analysis' findings: they keep their text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../../support/paths';
import { analyzeParsed, parseTrace, StreamAnalyzer, type Finding } from '../../../server/src/analysis';

/** What a finding keeps without its text. */
function withoutText(f: Finding): Finding {
  const { details: _details, ...rest } = f;
  return { ...rest, message: '', related: [] };
}

describe('analysis without finding text', () => {
  test('every real capture rendering: findings lose only their text, connections are the same', () => {
    const captures = path.join(fixturesDir, 'captures');
    let files = 0;
    let findings = 0;
    for (const scenario of fs.readdirSync(captures).sort()) {
      const dir = path.join(captures, scenario);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const file of fs.readdirSync(dir).sort()) {
        if (!file.endsWith('.tcptrace')) continue;
        const what = `${scenario}/${file}`;
        const parsed = parseTrace(fs.readFileSync(path.join(dir, file), 'utf8'));
        const full = analyzeParsed(parsed, { perSegment: false });
        const lean = analyzeParsed(parsed, { perSegment: false, findingText: false });
        assert.deepEqual(lean.connections, full.connections, what);
        const fromParser = new Set(parsed.diagnostics);
        assert.deepEqual(
          lean.diagnostics,
          full.diagnostics.map((f) => (fromParser.has(f) ? f : withoutText(f))),
          what,
        );

        const analyzer = new StreamAnalyzer({ findingText: false });
        for (const s of parsed.segments) analyzer.push(s);
        const streamed = analyzer.finish(parsed);
        assert.deepEqual(streamed.diagnostics, lean.diagnostics, `${what} (streamed)`);
        files++;
        findings += full.diagnostics.filter((f) => f.message !== '').length;
      }
    }
    assert.ok(files > 20, `${files} files`);
    // The captures have findings with text to lose, some with related locations and details.
    assert.ok(findings > 50, `${findings} findings`);
  });
});
