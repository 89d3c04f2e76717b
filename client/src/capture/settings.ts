// The capture settings of one file, as the renderer takes them. An unknown time
// zone falls back to local time with a warning rather than failing the editor.
import * as vscode from 'vscode';
import type { CaptureRenderSettings } from '../../../server/src/protocol';

export const CAPTURE_SECTION = 'tcptrace.capture';

const warned = new Set<string>();

export function captureSettings(file: vscode.Uri): CaptureRenderSettings {
  const config = vscode.workspace.getConfiguration(CAPTURE_SECTION, file);
  const zone = config.get<string>('timeZone', 'local').trim();
  const withDate = config.get<boolean>('showDate', false) === true;
  if (zone === '' || zone.toLowerCase() === 'local') return { withDate };
  const canonical = canonicalTimeZone(zone);
  if (!canonical) {
    if (!warned.has(zone)) {
      warned.add(zone);
      void vscode.window.showWarningMessage(
        `tcptrace.capture.timeZone: '${zone}' is not a time zone (use local, UTC or an IANA name such as Europe/Berlin); captures are shown in local time.`,
      );
    }
    return { withDate };
  }
  return { timeZone: canonical, withDate };
}

/** `utc` → `UTC`, `europe/berlin` → `Europe/Berlin`; undefined when not a zone. */
function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
