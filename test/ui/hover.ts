// What a person sees from the language server's hovers and inline states:
// on the SYN of a real handshake, the hover names the flag, and the inlay
// hint after the line shows the sender's state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { editorLine, openFile, type UiCheck } from './workbench';

const FILE = 'ping-pong.tcptrace';

/** 1-based line and column of `needle` in the workspace copy of FILE. */
function locate(
  workspace: string,
  lineMarker: string,
  needle: string,
): { line: number; column: number; text: string } {
  const lines = fs.readFileSync(path.join(workspace, FILE), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(lineMarker));
  if (index < 0) throw new Error(`no line with ${lineMarker} in ${FILE}`);
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1, text: lines[index]! };
}

/** Moves the cursor with Go to Line (Quick Open ":line:column"), as a keyboard user does. */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page
    .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` })
    .first()
    .waitFor({ timeout: 15_000 });
}

export const hoverCheck: UiCheck = {
  name: 'hovering the S of Flags [S] explains the SYN flag (Ctrl+K Ctrl+I)',
  async run({ page, workspace }) {
    await openFile(page, FILE);
    const { line, column } = locate(workspace, 'Flags [S],', '[S]');
    await goTo(page, line, column + 1);
    // Show Hover at the cursor: the keyboard chord VS Code binds by default.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    if (!/\bSYN\b/.test(text)) throw new Error(`the hover does not mention SYN: ${text}`);
    await page.keyboard.press('Escape');
  },
};

export const inlayHintCheck: UiCheck = {
  name: 'the SYN line shows the sender state SYN_SENT inline (inlay hint)',
  async run({ page, workspace }) {
    const editor = await openFile(page, FILE);
    const { text } = locate(workspace, 'Flags [S],', '[S]');
    // Inlay hints are rendered after the text; the end of a long line may be
    // scrolled out of view, so compare the whole rendered line's text content.
    const rendered = editorLine(editor, text.slice(0, 60));
    await rendered.waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (el: { textContent: string | null }) => /SYN_SENT/.test(el.textContent ?? ''),
      await rendered.elementHandle(),
      { timeout: 20_000 },
    );
    if (text.includes('SYN_SENT'))
      throw new Error('the trace itself contains SYN_SENT; the check proves nothing');
  },
};
