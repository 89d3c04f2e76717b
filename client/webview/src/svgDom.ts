// Small helpers that create SVG/HTML nodes. Trace strings go in only through
// textContent; attributes set here are numbers, class names and ids we make.
const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  parent?.appendChild(el);
  return el;
}

export function svgText(
  text: string,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGTextElement {
  const el = svg('text', attributes, parent);
  el.textContent = text;
  return el;
}

export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent?: Element,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  parent?.appendChild(el);
  return el;
}
