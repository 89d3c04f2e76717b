// The README's screenshot, taken from the real workbench: a trace open in the
// editor, its unreadable line underlined and listed in the Problems panel.
// Only written with UPDATE_SCREENSHOTS=1 so that test runs never dirty the
// tree; otherwise the capture is still taken (a blank page fails here) and
// kept in the run's temp folder.
import * as path from 'node:path';
import { editorLine, openFile, type UiCheck } from './workbench';

export const screenshotCheck: UiCheck = {
  name: 'the workbench renders a trace for the README screenshot',
  async run({ page, repoRoot, workspace, updateScreenshots }) {
    const editor = await openFile(page, 'bad-line.tcptrace');
    await editorLine(editor, 'Flags [F.]').waitFor({ timeout: 15_000 });
    // More room for the trace: hide the side bar (Ctrl+B toggles it).
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 15_000 });
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 15_000 });
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 15_000 });
    const target = updateScreenshots
      ? path.join(repoRoot, 'docs', 'screenshot.png')
      : path.join(path.dirname(workspace), 'screenshot.png');
    const png = await page.screenshot({ path: target });
    if (png.length < 20_000) throw new Error(`screenshot looks empty (${png.length} bytes)`);
  },
};
