// Driving the code-server workbench the way a person does: keyboard, quick
// open, panels. Selectors verified on VS Code 1.139 (see docs of the e2e setup).
import type { Locator, Page } from 'playwright-core';

export interface UiContext {
  page: Page;
  /** Absolute path of the workspace folder open in the workbench. */
  workspace: string;
  repoRoot: string;
  /** Set by UPDATE_SCREENSHOTS=1: checks may rewrite the README's screenshots. */
  updateScreenshots: boolean;
}

export interface UiCheck {
  name: string;
  run(ctx: UiContext): Promise<void>;
}

/** Waits until the workbench has restored (the smoke-test driver tells). */
export async function waitForWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  // Browser-side code as strings: this project compiles without DOM types.
  await page.waitForFunction('typeof window.driver?.whenWorkbenchRestored === "function"', undefined, {
    timeout: timeoutMs,
  });
  await page.evaluate('window.driver.whenWorkbenchRestored()');
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
}

/** The editor showing a file whose path ends with `fileName`. */
export function editorFor(page: Page, fileName: string): Locator {
  return page.locator(`.monaco-editor[data-uri$="${fileName}"]`).first();
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a user would. */
export async function openFile(page: Page, fileName: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(fileName);
  // Filtering is asynchronous (and the first search of a subfolder can take a
  // while on a loaded machine): press Enter only once the file is the focused pick.
  const pick = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: fileName });
  try {
    await pick.waitFor({ timeout: 45_000 });
  } catch (error) {
    const rows = await page
      .locator('.quick-input-widget .monaco-list-row')
      .evaluateAll((els) =>
        els.map((el) => `${el.getAttribute('aria-label') ?? ''} [${el.getAttribute('class') ?? ''}]`),
      );
    throw new Error(`${fileName} never became the focused pick; rows: ${rows.join(' | ')}`, { cause: error });
  }
  await page.keyboard.press('Enter');
  const editor = editorFor(page, fileName);
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  return editor;
}

/**
 * A rendered editor line containing `text`. Monaco renders spaces as
 * non-breaking spaces, so any whitespace in `text` matches any whitespace.
 */
export function editorLine(editor: Locator, text: string): Locator {
  const pattern = text
    .split(/\s+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return editor.locator('.view-line', { hasText: new RegExp(pattern) }).first();
}
