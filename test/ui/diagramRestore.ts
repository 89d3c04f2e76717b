// A window reload brings the diagram back as the user left it: VS Code hands
// the saved state to the extension's webview serializer, which reopens the
// trace and restores the chosen connection and the "Absolute seq/ack" toggle.
// Runs after the screenshot check, which leaves the diagram of
// malformed-handshakes.tcptrace open.
import { waitForWorkbench, type UiCheck } from './workbench';

const TAB = 'Diagram: malformed-handshakes.tcptrace';

export const diagramRestoreCheck: UiCheck = {
  name: 'after a window reload the diagram panel is back with its connection and toggles',
  async run({ page }) {
    await page.locator('.tab', { hasText: TAB }).first().click({ timeout: 15_000 });
    const frame = (): ReturnType<typeof page.frameLocator> =>
      page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const before = frame();
    const picker = before.locator('select.picker');
    await picker.waitFor({ timeout: 30_000 });
    // The second connection of the trace (option 0 is "All connections").
    const options = await picker
      .locator('option')
      .evaluateAll((els) =>
        els.map((el) => ({ value: el.getAttribute('value') ?? '', label: el.textContent ?? '' })),
      );
    const second = options.filter((o) => o.value !== '' && !o.label.startsWith('All connections'))[1];
    if (!second) throw new Error(`fewer than two connections in the picker: ${JSON.stringify(options)}`);
    await picker.selectOption(second.value);
    await before.getByLabel('Absolute seq/ack').check();
    // The arrows now show the second connection's absolute numbers (its SYN has ISN 100).
    await before.locator('g.arrow[aria-label*="seq 100"]').first().waitFor({ timeout: 15_000 });

    // Reload as a user does (Developer: Reload Window): the workbench saves the
    // editors and the webviews' state on its way down, which a bare page reload skips.
    const reloaded = page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
      timeout: 60_000,
    });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>Developer: Reload Window');
    await page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Developer: Reload Window' })
      .waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await reloaded;
    await waitForWorkbench(page);
    await page.locator('.tab', { hasText: TAB }).first().click({ timeout: 30_000 });
    const after = frame();
    await after.locator('g.arrow').first().waitFor({ timeout: 60_000 });
    const restored = await after.locator('select.picker').inputValue();
    if (restored !== second.value)
      throw new Error(`connection ${restored} after the reload, expected ${second.value} (${second.label})`);
    if (!(await after.getByLabel('Absolute seq/ack').isChecked()))
      throw new Error('"Absolute seq/ack" was not restored');
    await after.locator('g.arrow[aria-label*="seq 100"]').first().waitFor({ timeout: 15_000 });
  },
};
