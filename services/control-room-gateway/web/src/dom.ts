/// <reference lib="dom" />
/** Minimal element builder (no framework); text is always set as text, never as HTML. */
export function h(tag: string, attrs: Record<string, string | boolean | undefined> = {}, ...children: (Node | string | undefined)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

export function table(head: string[], rows: HTMLElement[]): HTMLElement {
  return h('table', {}, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows));
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes are set as given, text children as text. */
export function s(tag: string, attrs: Record<string, string | number | undefined> = {}, ...children: (Node | string | undefined)[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}
