// Loads the shared code-server launcher (scripts/code-server/*.mjs, also used
// by `npm start`) from the compiled CommonJS runner.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

export type CodeServerModule = typeof import('../../scripts/code-server/server.mjs', {
  with: { 'resolution-mode': 'import' },
});
export type { CodeServer, WorkbenchPayload } from '../../scripts/code-server/server.mjs' with {
  'resolution-mode': 'import',
};

export async function loadCodeServerModule(): Promise<CodeServerModule> {
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'code-server', 'server.mjs')).href;
  return (await import(url)) as CodeServerModule;
}
