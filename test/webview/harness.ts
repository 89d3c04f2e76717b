// Serves the built webview bundle in real Chromium (playwright-core, the
// system's /usr/bin/chromium) inside the page the extension builds, with the
// same CSP, and a stub acquireVsCodeApi that records what the page posts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { diagramHtml, newNonce } from '../../client/src/diagram/html';
import type {
  DiagramPanelState,
  ExtensionToWebview,
  WebviewToExtension,
} from '../../server/src/analysis/diagram/messages';
import { distDir } from '../support/paths';
import type { BrowserGlobals } from './browserGlobals';
import { THEMES, type ThemeName } from './themes';

export const ORIGIN = 'https://webview.test';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export interface DiagramPage {
  readonly page: Page;
  /** Console errors and page errors seen so far (CSP violations appear here). */
  readonly errors: string[];
  send(message: ExtensionToWebview): Promise<void>;
  posted(): Promise<WebviewToExtension[]>;
  /** Waits until the page posted a message matching `accept` (after `since` messages). */
  waitForPosted<T extends WebviewToExtension>(
    accept: (m: WebviewToExtension) => m is T,
    since?: number,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function openDiagramPage(
  browser: Browser,
  options: { theme?: ThemeName; state?: DiagramPanelState | null; width?: number; height?: number } = {},
): Promise<DiagramPage> {
  const bundle = path.join(distDir, 'webview.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 700 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const nonce = newNonce();
  const html = diagramHtml({
    scriptUri: `${ORIGIN}/webview.js`,
    cspSource: ORIGIN,
    nonce,
    initial: { state: options.state ?? null },
    uri: options.state?.uri ?? 'file:///trace.tcptrace',
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') await route.fulfill({ contentType: 'text/html', body: html });
    else if (url.pathname === '/webview.js')
      await route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(bundle) });
    else await route.fulfill({ status: 404, body: '' });
  });
  const theme = THEMES[options.theme ?? 'light'];
  // A plain-text init script (no transpiled function): the stub API, and the
  // theme variables VS Code sets on <html> plus its theme class on <body>.
  const themeClass =
    options.theme === 'dark'
      ? 'vscode-dark'
      : options.theme === 'high-contrast'
        ? 'vscode-high-contrast'
        : 'vscode-light';
  await page.addInitScript(`
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
    const vars = ${JSON.stringify(theme)};
    const applyTheme = () => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add(${JSON.stringify(themeClass)});
    };
    document.addEventListener('DOMContentLoaded', applyTheme);
  `);
  await page.goto(`${ORIGIN}/index.html`);
  const result: DiagramPage = {
    page,
    errors,
    send: (message) =>
      page.evaluate(
        (m) => (globalThis as unknown as BrowserGlobals).postMessage(m, '*'),
        message as unknown as Record<string, unknown>,
      ),
    posted: () =>
      page.evaluate(() => (globalThis as unknown as BrowserGlobals).__posted as WebviewToExtension[]),
    async waitForPosted(accept, since = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await result.posted();
        const found = all.slice(since).find(accept);
        if (found) return found as never;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for a posted message; got ${JSON.stringify(all.slice(since)).slice(0, 500)}`,
          );
        await page
          .waitForFunction((n) => (globalThis as unknown as BrowserGlobals).__posted.length > n, all.length, {
            timeout: Math.max(1, deadline - Date.now()),
          })
          .catch(() => undefined);
      }
    },
    close: () => context.close(),
  };
  return result;
}

export const isRendered = (m: WebviewToExtension): m is Extract<WebviewToExtension, { type: 'rendered' }> =>
  m.type === 'rendered';
export const isReveal = (m: WebviewToExtension): m is Extract<WebviewToExtension, { type: 'reveal' }> =>
  m.type === 'reveal';
