// The standard runner: the extension-host suite in a desktop VS Code through
// @vscode/test-electron. It downloads VS Code unless VSCODE_EXECUTABLE names a
// local one (e.g. /usr/share/code/code). Machines without internet or a
// desktop VS Code use runCodeServer.ts (`npm run test:e2e`) instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/paths';
import { prepareWorkspace } from './testWorkspace';

async function main(): Promise<void> {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcptrace-e2e-electron-'));
  try {
    const workspace = prepareWorkspace(tempDir);
    const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || undefined;
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: process.env.TCPTRACE_E2E_GREP
        ? { TCPTRACE_E2E_GREP: process.env.TCPTRACE_E2E_GREP }
        : {},
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(tempDir, 'user-data')}`,
        `--extensions-dir=${path.join(tempDir, 'extensions')}`,
      ],
    });
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  if (!process.env.VSCODE_EXECUTABLE)
    console.error(
      '\nNo desktop VS Code could be started. Set VSCODE_EXECUTABLE to a local VS Code ' +
        '(e.g. /usr/share/code/code), or run the same suite in code-server: npm run test:e2e',
    );
  process.exit(1);
});
