// The sequence diagram as a person uses it in the workbench: the editor title
// button opens the panel beside the trace, the webview draws the handshake,
// and clicking the SYN-ACK arrow selects its line in the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { openFile, type UiCheck } from './workbench';

const FILE = 'ping-pong.tcptrace';

export const diagramCheck: UiCheck = {
  name: 'the diagram opens from the editor title; clicking the SYN-ACK arrow selects its line',
  async run({ page, workspace }) {
    await openFile(page, FILE);
    const lines = fs.readFileSync(path.join(workspace, FILE), 'utf8').split('\n');
    const synAck = lines.findIndex((l) => l.includes('Flags [S.]'));
    if (synAck < 0) throw new Error(`no SYN-ACK line in ${FILE}`);

    await page
      .locator('.editor-actions [aria-label="Show Sequence Diagram"]')
      .first()
      .click({ timeout: 15_000 });
    // VS Code nests the webview's document: iframe.webview > iframe#active-frame.
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const arrow = webview.locator('g.arrow[aria-label*="server to client: SYN, ACK"]').first();
    await arrow.waitFor({ timeout: 30_000 });
    const states = await webview.locator('text.state').allTextContents();
    for (const state of ['SYN_SENT', 'SYN_RECV', 'ESTABLISHED'])
      if (!states.includes(state)) throw new Error(`state ${state} not on a lifeline: ${states.join(', ')}`);

    // The click selects the arrow in the webview, which asks the editor to select its line. While the
    // diagram settles after opening (rows drawn over a few frames, the scroll that follows the editor's
    // cursor), a click can land where the arrow no longer is; it is then made again, until the webview
    // shows the arrow selected (a clean-clone CI run lost the first click this way).
    const selectedArrow = webview
      .locator('g.arrow.selected[aria-label*="server to client: SYN, ACK"]')
      .first();
    const deadline = Date.now() + 45_000;
    for (;;) {
      await clickWhileRedrawn(arrow.locator('line.hit'), Math.max(1, deadline - Date.now()));
      try {
        await selectedArrow.waitFor({ timeout: Math.max(1, Math.min(3_000, deadline - Date.now())) });
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
    // The editor selects the whole packet line: the status bar shows its line number while the
    // editor has the focus. The click gives the focus to the webview first and the reveal moves it to
    // the editor; should the webview win that race, the editor's tab brings the focus back without
    // touching its selection.
    const selected = page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${synAck + 1}, Col \\d+ \\(\\d+ selected\\)`) })
      .first();
    try {
      await selected.waitFor({ timeout: 5_000 });
    } catch {
      await page.locator(`.tab[aria-label^="${FILE}"]`).first().click({ timeout: 10_000 });
      await selected.waitFor({ timeout: 15_000 });
    }
  },
};

/**
 * Clicks an element of the diagram. The webview draws its rows over a few
 * frames after it reports the model rendered, and may replace a row's element
 * meanwhile: a click aimed at the replaced one finds no box ("not visible",
 * "detached"), so try again on the current one until the deadline. `force`:
 * the hit line lies under its label, which would fail Playwright's hit test.
 */
async function clickWhileRedrawn(target: Locator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    try {
      await target.waitFor({ state: 'visible', timeout: Math.max(1, left) });
      await target.click({ force: true, timeout: Math.max(1, Math.min(5_000, deadline - Date.now())) });
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (Date.now() >= deadline || !/not visible|detached|not attached/i.test(message)) throw error;
    }
  }
}
