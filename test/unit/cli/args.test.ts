import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../server/src/cli/args';

describe('cli arguments', () => {
  test('defaults: text, fail on errors, vantage inferred, colour decided later', () => {
    assert.deepEqual(parseArgs([]), {
      format: 'text',
      failOn: 'error',
      vantage: undefined,
      synFlood: {},
      color: undefined,
      input: undefined,
      help: false,
      version: false,
    });
  });

  test('every option in both spellings', () => {
    const a = parseArgs([
      '--format',
      'json',
      '--fail-on=warning',
      '--vantage',
      'server',
      '--no-color',
      'x.tcptrace',
    ]);
    assert.equal(a.format, 'json');
    assert.equal(a.failOn, 'warning');
    assert.equal(a.vantage, 'server');
    assert.equal(a.color, false);
    assert.equal(a.input, 'x.tcptrace');
    assert.equal(parseArgs(['-f', 'sarif']).format, 'sarif');
    assert.equal(parseArgs(['--format=tcpdump']).format, 'tcpdump');
    assert.equal(parseArgs(['--vantage=auto']).vantage, undefined);
    assert.equal(parseArgs(['--color']).color, true);
    assert.equal(parseArgs(['-']).input, '-');
    assert.equal(parseArgs(['--', '--weird-name']).input, '--weird-name');
    assert.equal(parseArgs(['-h']).help, true);
    assert.equal(parseArgs(['--version']).version, true);
    assert.deepEqual(
      parseArgs([
        '--syn-flood-min-half-open',
        '50',
        '--syn-flood-min-sources=3',
        '--syn-flood-window',
        '2.5',
        '--syn-flood-min-share=0.8',
      ]).synFlood,
      {
        synFloodMinHalfOpen: 50,
        synFloodMinSources: 3,
        synFloodWindowSeconds: 2.5,
        synFloodMinHalfOpenShare: 0.8,
      },
    );
  });

  test('mistakes are usage errors that say what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [
        ['--format', 'xml'],
        /--format: unknown value 'xml' \(expected one of: text, summary, json, sarif, tcpdump\)/,
      ],
      [['--format'], /--format needs a value/],
      [['--fail-on', 'info'], /--fail-on: unknown value 'info'/],
      [['--vantage=tap'], /--vantage: unknown value 'tap'/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
      [['--no-color=1'], /--no-color takes no value/],
      [['a', 'b'], /one input at a time \(got 2: a b\)/],
      [
        ['--syn-flood-min-half-open', '1'],
        /--syn-flood-min-half-open needs a whole number at least 2 \(got '1'\)/,
      ],
      [['--syn-flood-min-sources=2.5'], /--syn-flood-min-sources needs a whole number/],
      [['--syn-flood-window', '-1'], /--syn-flood-window needs a number/],
      [['--syn-flood-min-share=1.5'], /--syn-flood-min-share needs a number from 0 to 1 \(got '1.5'\)/],
      [['--syn-flood-window'], /--syn-flood-window needs a number/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parseArgs(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
  });
});
