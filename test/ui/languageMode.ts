// The status bar names the language of the open trace, as a person sees it
// (the manifest's alias "TCP Trace"), for both file extensions.
import { openFile, type UiCheck } from './workbench';

export const languageModeCheck: UiCheck = {
  name: 'the status bar shows the TCP Trace language for .tcptrace and .tcpdump files',
  async run({ page }) {
    for (const file of ['ping-pong.tcpdump', 'ping-pong.tcptrace']) {
      await openFile(page, file);
      const mode = page.locator('#status\\.editor\\.mode');
      await mode.filter({ hasText: /^TCP Trace$/ }).waitFor({ timeout: 15_000 });
    }
  },
};
