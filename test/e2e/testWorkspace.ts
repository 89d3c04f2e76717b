// The folder both runners open: a temp copy of test/e2e/workspace/ (plus the
// examples), so tests may write files without touching the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

export function prepareWorkspace(tempDir: string): string {
  const workspace = path.join(tempDir, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const examples = path.join(repoRoot, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, path.join(workspace, 'examples'), { recursive: true });
  return workspace;
}
