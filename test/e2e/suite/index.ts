// Entry point of the extension-host test suite, loaded by VS Code with
// `require` (both from @vscode/test-electron and from the code-server runner).
// It runs every `*.test.js` file in this folder, so each area adds its own file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// Under the code-server runner the workbench forwards ALL its console output;
// a prefix on mocha's lines lets the runner print just the report.
const reportPrefix = process.env.TCPTRACE_E2E_REPORT_PREFIX;
if (reportPrefix) {
  const consoleLog = console.log.bind(console);
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => consoleLog(reportPrefix + format(...args));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // TCPTRACE_E2E_GREP narrows a run while working on one test.
  const grep = process.env.TCPTRACE_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${__dirname}`));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve(),
    );
  });
}
