// The README's screenshot, taken from the real workbench: a hand-written trace
// with broken handshakes and teardowns, its problems underlined and listed in
// the Problems panel, and the sequence diagram open beside it.
// Only written with UPDATE_SCREENSHOTS=1 so that test runs never dirty the
// tree; otherwise the capture is still taken (a blank page fails here) and
// kept in the run's temp folder. It runs last: it leaves the side bar hidden
// and the diagram open.
import * as path from 'node:path';
import { editorLine, openFile, type UiCheck } from './workbench';

const FILE = 'malformed-handshakes.tcptrace';

export const screenshotCheck: UiCheck = {
  name: 'the workbench renders a trace and its diagram for the README screenshot',
  async run({ page, repoRoot, workspace, updateScreenshots }) {
    const editor = await openFile(page, FILE);
    await editorLine(editor, 'Flags [S.], seq 2711621141, ack 1000').waitFor({ timeout: 15_000 });
    // More room for the trace: hide the side bar (Ctrl+B toggles it).
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 15_000 });
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 15_000 });
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 15_000 });
    await page
      .locator('.editor-actions [aria-label="Show Sequence Diagram"]')
      .first()
      .click({ timeout: 15_000 });
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('g.arrow').first().waitFor({ timeout: 30_000 });
    await webview.locator('text.state').first().waitFor({ timeout: 15_000 });
    const target = updateScreenshots
      ? path.join(repoRoot, 'docs', 'screenshot.png')
      : path.join(path.dirname(workspace), 'screenshot.png');
    const png = await page.screenshot({ path: target });
    if (png.length < 20_000) throw new Error(`screenshot looks empty (${png.length} bytes)`);
  },
};
