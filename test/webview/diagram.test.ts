// The diagram webview in real Chromium: the built bundle, the extension's
// page and CSP, a stub VS Code API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { encodeDiagramModel } from '../../server/src/analysis/diagram/wire';
import { toSvg } from '../../server/src/analysis/diagram/svg';
import { toMermaid } from '../../server/src/analysis/diagram/mermaid';
import type { BrowserGlobals } from './browserGlobals';
import { DEFAULT_VIEW } from '../../server/src/analysis/diagram/model';
import type { WebviewToExtension } from '../../server/src/analysis/diagram/messages';
import { checkMermaidSequence } from '../unit/diagram/mermaidGrammar';
import { repoRoot } from '../support/paths';
import { isRendered, isReveal, launchChromium, openDiagramPage, type DiagramPage } from './harness';
import {
  captureModel,
  findingsModel,
  handshakeTeardownModel,
  synFloodModel,
  twoConnectionsModel,
  URI,
  xssModel,
  XSS,
} from './models';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

describe('diagram webview in Chromium', () => {
  test('draws one arrow per segment and the states where they change', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel()) });
      await d.waitForPosted(isRendered);
      const labels = await d.page.locator('.arrow text').allTextContents();
      assert.deepEqual(labels, [
        'SYN seq 0 len 0',
        'SYN ACK seq 0 ack 1 len 0',
        'ACK seq 1 ack 1 len 0',
        'PSH ACK seq 1:101 ack 1 len 100',
        'PSH ACK seq 101:201 ack 1 len 100',
        'FIN ACK seq 201 ack 1 len 0',
        'FIN ACK seq 1 ack 202 len 0',
        'ACK seq 202 ack 2 len 0',
      ]);
      const states = await d.page.locator('text.state').allTextContents();
      assert.deepEqual(states, [
        'SYN_SENT',
        'SYN_RECV',
        'ESTABLISHED',
        'ESTABLISHED',
        'FIN_WAIT_1',
        'CLOSE_WAIT',
        'TIME_WAIT',
        'LAST_ACK',
        'CLOSED',
      ]);
      const first = await d.page.locator('#arrow-0').getAttribute('aria-label');
      assert.equal(first, 'Line 2, client to server: SYN, seq 0 len 0 (127.0.0.1:40000 → 127.0.0.1:8080)');
      assert.deepEqual(await d.page.locator('.lifeline-header span').allTextContents(), [
        '127.0.0.1:40000',
        '127.0.0.1:8080',
      ]);
      // Arrows slope down towards the receiver.
      const line = d.page.locator('#arrow-0 line').nth(1);
      const y1 = Number(await line.getAttribute('y1'));
      const y2 = Number(await line.getAttribute('y2'));
      assert.ok(y2 > y1);
      // Absolute numbers on toggle.
      await d.page.getByLabel('Absolute seq/ack').check();
      assert.equal(await d.page.locator('#arrow-1 text').textContent(), 'SYN ACK seq 5000 ack 1001 len 0');
      assert.deepEqual(d.errors, []);
    } finally {
      await d.close();
    }
  });

  test('a real capture (client closes first): its states on the lifelines', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(captureModel('close-client')) });
      await d.waitForPosted(isRendered);
      assert.equal(await d.page.locator('.arrow').count(), 11);
      assert.deepEqual(await d.page.locator('text.state').allTextContents(), [
        'SYN_SENT',
        'SYN_RECV',
        'ESTABLISHED',
        'ESTABLISHED',
        'FIN_WAIT_1',
        'CLOSE_WAIT',
        'FIN_WAIT_2',
        'TIME_WAIT',
        'LAST_ACK',
        'CLOSED',
      ]);
      assert.equal(await d.page.locator('#arrow-1 text').textContent(), 'SYN ACK seq 0 ack 1 len 0');
      assert.deepEqual(d.errors, []);
    } finally {
      await d.close();
    }
  });

  test('clicking an arrow posts reveal with its line', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel()) });
      await d.waitForPosted(isRendered);
      const before = (await d.posted()).length;
      await d.page.locator('#arrow-5 line.hit').click({ force: true });
      const reveal = await d.waitForPosted(isReveal, before);
      assert.deepEqual(reveal, { type: 'reveal', line: 6, endLine: 6 });
      assert.match((await d.page.locator('#arrow-5').getAttribute('class')) ?? '', /selected/);
    } finally {
      await d.close();
    }
  });

  test('a highlight message expands the band, selects the arrow and scrolls it into view', async () => {
    const d = await openDiagramPage(browser, { height: 500 });
    try {
      const model = findingsModel(3000);
      await d.send({ type: 'model', wire: encodeDiagramModel(model) });
      await d.waitForPosted(isRendered);
      assert.equal(await d.page.locator('.band').count(), 1);
      const target = model.arrows[2000]!;
      await d.send({ type: 'highlight', line: target.line });
      await d.page.waitForSelector('#arrow-2000.selected', { timeout: 10_000 });
      const scrollTop = await d.page.locator('.scroller').evaluate((e) => e.scrollTop);
      assert.ok(scrollTop > 10_000, `scrollTop ${scrollTop}`);
      const box = await d.page.locator('#arrow-2000').boundingBox();
      const viewport = d.page.viewportSize()!;
      assert.ok(box && box.y > 0 && box.y + box.height < viewport.height, JSON.stringify(box));
      const state = await d.page.evaluate(() => (globalThis as unknown as BrowserGlobals).__state!);
      assert.equal(state.selectedSegment, target.segment);
    } finally {
      await d.close();
    }
  });

  test('a band collapses a long data run and expands on click', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(findingsModel(1204)) });
      await d.waitForPosted(isRendered);
      const bands = d.page.locator('.band');
      assert.deepEqual(await bands.allTextContents(), [
        '▸ 1,204 data segments, 120.4 kB, 1 retransmission, 1 warning',
      ]);
      assert.equal(await d.page.locator('.arrow.warning').count(), 0);
      await bands.first().click();
      await d.page.waitForSelector('.band[aria-expanded="true"]');
      assert.ok((await d.page.locator('.arrow').count()) > 10);
      assert.equal(
        await d.page.locator('.band').textContent(),
        '▾ 1,204 data segments, 120.4 kB, 1 retransmission, 1 warning (collapse)',
      );
      await d.page.locator('.band[aria-expanded="true"]').click();
      await d.page.waitForSelector('.band[aria-expanded="false"]');
      assert.equal(await d.page.locator('.band').count(), 1);
    } finally {
      await d.close();
    }
  });

  test('keyboard: next segment, next finding, Enter reveals', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(findingsModel(20)) });
      await d.waitForPosted(isRendered);
      await d.page.locator('.scroller').focus();
      await d.page.keyboard.press('j');
      await d.page.keyboard.press('ArrowDown');
      assert.equal(await d.page.locator('.scroller').getAttribute('aria-activedescendant'), 'arrow-1');
      await d.page.keyboard.press('n');
      await d.page.waitForSelector('.arrow.warning.selected');
      await d.page.keyboard.press('n');
      await d.page.waitForSelector('.arrow.error.selected');
      const before = (await d.posted()).length;
      await d.page.keyboard.press('Enter');
      const reveal = await d.waitForPosted(isReveal, before);
      assert.equal(reveal.line, 24);
    } finally {
      await d.close();
    }
  });

  test('restores scroll position and selection from the saved state', async () => {
    const model = findingsModel(3000);
    const state = {
      uri: URI,
      view: { ...DEFAULT_VIEW, expanded: [3] },
      scrollTop: 20_000,
      selectedSegment: 700,
    };
    const d = await openDiagramPage(browser, { state });
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(model) });
      await d.waitForPosted(isRendered);
      assert.equal(await d.page.locator('.scroller').evaluate((e) => e.scrollTop), 20_000);
      // Only the expanded band makes the diagram that tall; its arrows are on screen.
      assert.ok((await d.page.locator('.arrow').count()) > 5);
      await d.send({ type: 'highlight', line: model.arrows[700]!.line });
      await d.page.waitForSelector('#arrow-700.selected');
    } finally {
      await d.close();
    }
  });

  test('drops a stale model (older version of the same document)', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel(2, 5)) });
      await d.waitForPosted(isRendered);
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel(0, 4)) });
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel(1, 6)) });
      await d.waitForPosted(
        (m): m is Extract<WebviewToExtension, { type: 'rendered' }> =>
          m.type === 'rendered' && m.version === 6,
      );
      const versions = (await d.posted()).filter(isRendered).map((m) => m.version);
      assert.deepEqual(versions, [5, 6]);
      assert.equal(await d.page.locator('.arrow').count(), 7);
    } finally {
      await d.close();
    }
  });

  test('trace text is inert: script, onerror and javascript: stay text', async () => {
    const d = await openDiagramPage(browser);
    try {
      const model = xssModel();
      await d.send({ type: 'model', wire: encodeDiagramModel(model) });
      await d.waitForPosted(isRendered);
      const header = await d.page.locator('.lifeline-header').textContent();
      assert.ok(header?.includes(XSS.script) && header.includes(XSS.img), header ?? '');
      const title = await d.page.locator('#arrow-3 title').textContent();
      assert.ok(title?.includes(XSS.js));
      assert.equal(await d.page.locator('img, script:not([src])').count(), 0);
      await d.page.locator('#arrow-3 line.hit').click({ force: true });
      const option = await d.page.locator('select.picker option').first().textContent();
      assert.ok(option?.includes('<script>'));
      const xss = await d.page.evaluate(() => (globalThis as unknown as BrowserGlobals).__xss);
      assert.equal(xss, undefined);
      assert.deepEqual(d.errors, []);
      // The exported SVG of the same model parses (in a page without our CSP, so
      // that its <style> element is not reported) and carries the text escaped.
      const svg = toSvg(model, DEFAULT_VIEW);
      const blank = await d.page.context().newPage();
      const parsed = await blank.evaluate((text) => {
        const doc = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(
          text,
          'image/svg+xml',
        );
        return {
          errors: doc.getElementsByTagName('parsererror').length,
          scripts: doc.getElementsByTagName('script').length,
          images: doc.getElementsByTagName('img').length,
          endpoints: [...doc.querySelectorAll('text.endpoint')].map((t) => t.textContent),
        };
      }, svg);
      assert.deepEqual(parsed, {
        errors: 0,
        scripts: 0,
        images: 0,
        endpoints: [`${XSS.script}:1`, `${XSS.img}:2`],
      });
      assert.equal(await blank.evaluate(() => (globalThis as unknown as BrowserGlobals).__xss), undefined);
    } finally {
      await d.close();
    }
  });

  test('exports: SVG parses in Chromium, Mermaid follows the grammar rules', async () => {
    const d = await openDiagramPage(browser);
    try {
      const model = findingsModel(1204);
      for (const view of [
        DEFAULT_VIEW,
        { ...DEFAULT_VIEW, expanded: [3], absoluteSeq: true, absoluteTime: true },
      ]) {
        const errors = await d.page.evaluate(
          (text) =>
            new (globalThis as unknown as BrowserGlobals).DOMParser()
              .parseFromString(text, 'image/svg+xml')
              .getElementsByTagName('parsererror').length,
          toSvg(model, view),
        );
        assert.equal(errors, 0);
      }
      const parts = toMermaid(model, model.connections[0]!.arrows);
      assert.equal(parts.length, 3);
      for (const part of parts) assert.deepEqual(checkMermaidSequence(part), []);
    } finally {
      await d.close();
    }
  });

  test('scrolling in small steps draws what a fresh page draws at the same place', async () => {
    const model = encodeDiagramModel(findingsModel(3_000));
    const nextFrame = (page: Page): Promise<unknown> =>
      page.evaluate(
        () =>
          new Promise((r) =>
            (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() =>
              (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() => r(undefined)),
            ),
          ),
      );
    const open = async (): Promise<DiagramPage> => {
      const d = await openDiagramPage(browser);
      await d.send({ type: 'model', wire: model });
      await d.waitForPosted(isRendered);
      await d.page.locator('.band').first().click();
      await d.page.waitForSelector('.band[aria-expanded="true"]');
      return d;
    };
    const scrollTo = async (d: DiagramPage, y: number): Promise<void> => {
      await d.page.locator('.scroller').evaluate((e, top) => {
        e.scrollTop = top;
      }, y);
      await nextFrame(d.page);
    };
    const rows = (d: DiagramPage): Promise<string> =>
      d.page.locator('svg.diagram g.rows').evaluate((e) => (e as unknown as { outerHTML: string }).outerHTML);
    const stepped = await open();
    const fresh = await open();
    try {
      // Down past several redraws (rows kept, rows added below), then back up (rows added above).
      let y = 2_000;
      for (let i = 0; i < 30; i++) await scrollTo(stepped, (y += 170));
      for (let i = 0; i < 12; i++) await scrollTo(stepped, (y -= 230));
      await scrollTo(fresh, y);
      assert.equal(await rows(stepped), await rows(fresh));
      const ids = (await stepped.page.locator('.arrow').evaluateAll((els) => els.map((e) => e.id))).map(
        (id) => Number(id.replace('arrow-', '')),
      );
      assert.ok(ids.length > 20, `${ids.length} arrows`);
      assert.ok(
        ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1),
        `arrows in row order, each once: ${ids.join(',')}`,
      );
    } finally {
      await stepped.close();
      await fresh.close();
    }
  });

  test('the canvas never makes the scroll area longer than the diagram', async () => {
    for (const model of [handshakeTeardownModel(), findingsModel(3_000)]) {
      const d = await openDiagramPage(browser);
      try {
        await d.send({ type: 'model', wire: encodeDiagramModel(model) });
        await d.waitForPosted(isRendered);
        const expand = d.page.locator('.band').first();
        if ((await expand.count()) > 0) {
          await expand.click();
          await d.page.waitForSelector('.band[aria-expanded="true"]');
        }
        const sizes = () =>
          d.page.locator('.scroller').evaluate((e) => {
            const sizer = e.querySelector('.sizer') as unknown as { offsetHeight: number };
            return {
              scrollHeight: e.scrollHeight,
              clientHeight: e.clientHeight,
              diagram: sizer.offsetHeight,
            };
          });
        // Scroll to the end a few times: each redraw must not push the end further.
        for (let i = 0; i < 4; i++) {
          await d.page.locator('.scroller').evaluate((e) => {
            e.scrollTop = e.scrollHeight;
          });
          await d.page.evaluate(
            () =>
              new Promise((r) =>
                (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() =>
                  (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() => r(undefined)),
                ),
              ),
          );
        }
        const { scrollHeight, clientHeight, diagram } = await sizes();
        assert.ok(scrollHeight <= Math.max(diagram, clientHeight), JSON.stringify({ scrollHeight, diagram }));
      } finally {
        await d.close();
      }
    }
  });

  test('the DOM stays small for 100,000 segments while scrolling', async () => {
    const d = await openDiagramPage(browser);
    try {
      const model = findingsModel(100_000);
      await d.send({ type: 'model', wire: encodeDiagramModel(model) });
      await d.waitForPosted(isRendered);
      const band = d.page.locator('.band').first();
      await band.click();
      await d.page.waitForSelector('.band[aria-expanded="true"]');
      const counts: number[] = [];
      for (const fraction of [0, 0.25, 0.5, 0.9, 1]) {
        await d.page.locator('.scroller').evaluate((e, f) => {
          e.scrollTop = (e.scrollHeight - e.clientHeight) * f;
        }, fraction);
        await d.page.evaluate(
          () =>
            new Promise((r) =>
              (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() =>
                (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() => r(undefined)),
              ),
            ),
        );
        counts.push(
          await d.page.evaluate(
            () => (globalThis as unknown as BrowserGlobals).document.getElementsByTagName('*').length,
          ),
        );
        assert.ok((await d.page.locator('.arrow').count()) > 5);
      }
      assert.ok(Math.max(...counts) <= 2000, counts.join(','));
    } finally {
      await d.close();
    }
  });
});

describe('diagram views and themes', () => {
  test('"all connections" draws one lane pair per connection; the picker switches', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(twoConnectionsModel()) });
      await d.waitForPosted(isRendered);
      assert.deepEqual(await d.page.locator('.lifeline-header span').allTextContents(), [
        '127.0.0.1:40000',
        '127.0.0.1:8080',
      ]);
      await d.page.locator('select.picker').selectOption('all');
      assert.deepEqual(await d.page.locator('.lifeline-header span').allTextContents(), [
        '127.0.0.1:40000',
        '127.0.0.1:8080',
        '10.0.0.2:5555',
        '127.0.0.1:8080',
      ]);
      assert.equal(await d.page.locator('.arrow').count(), 14);
      assert.equal(await d.page.locator('line.lifeline').count(), 4);
      // The cursor on a packet of the second connection in single view switches the picker to it.
      await d.page.locator('select.picker').selectOption('0');
      await d.send({ type: 'highlight', line: 9 });
      await d.page.waitForSelector('#arrow-8.selected');
      assert.equal(await d.page.locator('select.picker').inputValue(), '1');
    } finally {
      await d.close();
    }
  });

  test('"all connections" of a 1,500-connection SYN flood: lanes are virtualised too', async () => {
    const d = await openDiagramPage(browser, { width: 1000, height: 600 });
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(synFloodModel(1500)) });
      await d.waitForPosted(isRendered);
      await d.page.locator('select.picker').selectOption('all');
      const counts: number[] = [];
      for (const fraction of [0, 0.5, 1]) {
        await d.page.locator('.scroller').evaluate((e, f) => {
          e.scrollLeft = (e.scrollWidth - e.clientWidth) * f;
          e.scrollTop = (e.scrollHeight - e.clientHeight) * f;
        }, fraction);
        await d.page.evaluate(
          () =>
            new Promise((r) =>
              (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() =>
                (globalThis as unknown as BrowserGlobals).requestAnimationFrame(() => r(undefined)),
              ),
            ),
        );
        counts.push(
          await d.page.evaluate(
            () => (globalThis as unknown as BrowserGlobals).document.getElementsByTagName('*').length,
          ),
        );
        assert.ok((await d.page.locator('.arrow').count()) >= 1, `arrows at ${fraction}`);
      }
      assert.ok(Math.max(...counts) <= 2000, counts.join(','));
      // At the far right and bottom: the last connection's lane and arrow.
      assert.ok((await d.page.locator('.lifeline-header span').allTextContents()).includes('10.9.0.1:11499'));
      assert.equal(await d.page.locator('#arrow-1499').count(), 1);
    } finally {
      await d.close();
    }
  });

  test('findings: coloured arrow, marker, and the message in the tooltip', async () => {
    const d = await openDiagramPage(browser);
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(findingsModel(4)) });
      await d.waitForPosted(isRendered);
      const error = d.page.locator('.arrow.error');
      assert.equal(await error.count(), 1);
      assert.match(
        (await error.locator('title').textContent()) ?? '',
        /error: FIN acknowledges data never sent/,
      );
      assert.equal(await error.locator('circle.marker.error').count(), 1);
      const stroke = await error
        .locator('line:not(.hit)')
        .evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).stroke);
      assert.equal(stroke, 'rgb(229, 20, 0)');
    } finally {
      await d.close();
    }
  });

  test('high contrast: theme colours, selection outlined instead of filled', async () => {
    const d = await openDiagramPage(browser, { theme: 'high-contrast' });
    try {
      await d.send({ type: 'model', wire: encodeDiagramModel(handshakeTeardownModel()) });
      await d.waitForPosted(isRendered);
      await d.page.locator('#arrow-1 line.hit').click({ force: true });
      const styles = await d.page.evaluate(() => {
        const g = globalThis as unknown as BrowserGlobals & {
          document: { querySelector(s: string): object };
        };
        return {
          background: g.getComputedStyle(g.document.body).backgroundColor,
          arrow: g.getComputedStyle(g.document.querySelector('#arrow-0 line:not(.hit)')).stroke,
          bar: g.getComputedStyle(g.document.querySelector('.selection-bar')).fill,
        };
      });
      assert.deepEqual(styles, {
        background: 'rgb(0, 0, 0)',
        arrow: 'rgb(255, 255, 255)',
        bar: 'rgba(0, 0, 0, 0)',
      });
    } finally {
      await d.close();
    }
  });
});

describe('diagram screenshots', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`${theme} theme`, async () => {
      const d = await openDiagramPage(browser, { theme, width: 900, height: 620 });
      try {
        // A real capture with reordering: out-of-order and lost-segment warnings on its arrows.
        await d.send({ type: 'model', wire: encodeDiagramModel(captureModel('reordering')) });
        await d.waitForPosted(isRendered);
        const background = await d.page.evaluate(
          () =>
            (globalThis as unknown as BrowserGlobals).getComputedStyle(
              (globalThis as unknown as BrowserGlobals).document.body,
            ).backgroundColor,
        );
        assert.equal(background, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(31, 31, 31)');
        // Open the data band so the reordering warnings show on their arrows.
        assert.match((await d.page.locator('.band.warning').textContent()) ?? '', /2 warnings$/);
        await d.page.locator('.band').click();
        await d.page.waitForSelector('.arrow.warning');
        await d.page.locator('#arrow-1 line.hit').click({ force: true });
        const png = await d.page.screenshot();
        assert.ok(png.length > 10_000);
        if (process.env.UPDATE_SCREENSHOTS === '1')
          fs.writeFileSync(path.join(repoRoot, 'docs', `diagram-${theme}.png`), png);
      } finally {
        await d.close();
      }
    });
  }
});
