// Renders media/icon.svg to media/icon.png (256x256, transparent corners) in
// Debian's Chromium, which draws the SVG's gradient and arrow markers
// faithfully. Run after editing the SVG: node media/render-icon.mjs
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
  await page.goto(pathToFileURL(path.join(here, 'icon.svg')).href);
  await page.screenshot({ path: path.join(here, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
