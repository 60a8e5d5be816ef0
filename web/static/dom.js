// Small DOM helpers. Every piece of text goes in through textContent or setAttribute, so data
// from the visitor or the server is always shown as text and never parsed as HTML.

// Creates <tag> with options {className, text, attrs: {name: value}} and appended children
// (nodes or strings; null/undefined/false are skipped).
export function El(tag, options = {}, ...children) {
  const el = document.createElement(tag);
  if (options.className) el.className = options.className;
  if (options.text !== undefined && options.text !== null) el.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Shows exactly one of the elements in `all` (by the hidden attribute).
export function ShowOnly(shown, all) {
  for (const el of all) el.hidden = el !== shown;
}

// A link is only made for http(s) URLs; anything else (javascript:, data:) stays plain text.
export function SafeHttpUrl(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
