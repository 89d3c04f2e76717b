// The few browser globals the tests touch inside page.evaluate callbacks. The
// test project compiles without the DOM library (it is node code), so the
// callbacks reach them through this minimal, typed view of globalThis.
interface ParsedDocument {
  getElementsByTagName(name: string): { readonly length: number };
  querySelectorAll(selector: string): Iterable<{ readonly textContent: string | null }>;
}

export interface BrowserGlobals {
  __xss?: string;
  __state?: { selectedSegment: number | null; scrollTop: number };
  __posted: unknown[];
  document: { getElementsByTagName(name: string): { readonly length: number }; readonly body: object };
  DOMParser: new () => { parseFromString(text: string, type: string): ParsedDocument };
  requestAnimationFrame(callback: () => void): number;
  getComputedStyle(element: object): {
    readonly backgroundColor: string;
    readonly stroke: string;
    readonly fill: string;
  };
  postMessage(message: unknown, targetOrigin: string): void;
}
