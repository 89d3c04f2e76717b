// The grammar reaches the editor: a packet line is rendered in several token
// colours (one colour would mean no grammar is applied).
import { editorLine, openFile, type UiCheck } from './workbench';

export const highlightingCheck: UiCheck = {
  name: 'a .tcptrace file is syntax highlighted in the editor',
  async run({ page }) {
    const editor = await openFile(page, 'ping-pong.tcptrace');
    const line = editorLine(editor, '127.0.0.1.54498: Flags [S.], seq 2941440719');
    await line.waitFor({ timeout: 15_000 });
    // Tokenisation is asynchronous: wait until the line carries several token
    // colours (mtkN classes; bracket-pair colours are separate classes).
    const handle = await line.elementHandle();
    await page.waitForFunction(
      (el: { querySelectorAll(selector: string): ArrayLike<{ className: string }> }) => {
        const colours = new Set<string>();
        for (const span of Array.from(el.querySelectorAll('span[class*="mtk"]')))
          for (const m of span.className.matchAll(/\bmtk(\d+)\b/g)) colours.add(m[1]);
        return colours.size >= 3;
      },
      handle,
      { timeout: 15_000 },
    );
  },
};
