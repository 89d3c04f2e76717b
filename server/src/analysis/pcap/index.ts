// The capture decoder: pcap/pcapng bytes → tcpdump -n text and analysis input.
// Pure: works on a Uint8Array, never throws on any input.
import { isCaptureBytes } from './decode';
import { renderCapture as render } from './render';
import type { IsCapture, RenderCapture } from './types';

export type * from './types';
export type { InterfaceNamer } from './link';
export type { RenderCaptureOptions } from './render';
export {
  effectiveTimeZone,
  renderCaptureBytes,
  renderCapturePieces,
  renderCapturePiecesSteps,
} from './render';

export const isCapture: IsCapture = isCaptureBytes;
export const renderCapture: RenderCapture & typeof render = render;
export {
  parseCapture,
  parseCaptureWithText,
  problemFinding,
  type CaptureParse,
  type CaptureParseOptions,
} from './parse';
export { parseCaptureDirect, parseCaptureDirectSteps, type DirectCounts } from './segments';
export { ByteWindow, type ReadBytes } from './window';
