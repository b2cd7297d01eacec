// Building DOM without HTML strings: every value from the API goes into text nodes or attributes, so nothing the
// server (or a backup's content) holds can become markup. There is no innerHTML anywhere in the dashboard.

/** Properties set on the element rather than as attributes. */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'open', 'required', 'multiple', 'indeterminate']);

/** Links may only go to the dashboard's own routes, its origin or a blob it made. */
function safeURL(value) {
  const text = String(value);
  return text.startsWith('#') || text.startsWith('/') || text.startsWith('blob:') ? text : '#';
}

/**
 * Creates an element.
 *
 *     h('a', { href: '#/backups', class: 'link' }, 'Backups')
 *
 * `attrs`: `class`, `dataset`, `on<event>` listeners, element properties (`value`, `checked`, ...) and attributes;
 * `null`, `undefined` and `false` are skipped. Children: nodes, strings and numbers (as text), arrays, and
 * `null`/`undefined`/`false` (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    } else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) element.dataset[name] = String(data);
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (PROPERTIES.has(key)) {
      element[key] = value;
    } else if (key === 'href' || key === 'src') {
      element.setAttribute(key, safeURL(value));
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children as `h` takes them. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces the children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let uniqueCounter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}
