// Shared view pieces: badges, tables, paging, errors, notices and dialogs. Everything is built with `h`.

import { ApiError, listPage } from './api.js';
import { h, replace, uid } from './dom.js';
import { POLL_MILLISECONDS, isActive, phaseOf, phaseTone, veleroTime } from './format.js';

/** A phase badge; the tone is also in the text, so colour is never the only signal. */
export function phaseBadge(phase) {
  const text = phase || 'Unknown';
  return h('span', { class: ['badge', `badge--${phaseTone(text)}`] }, text);
}

/** A timestamp in Velero's format, with the browser's local time as a tooltip; an en dash when unset. */
export function timeText(value) {
  if (!value) return h('span', { class: 'muted', 'aria-label': 'not set' }, '–');
  const date = new Date(value);
  return h('time', { datetime: value, title: Number.isNaN(date.getTime()) ? null : date.toLocaleString() }, veleroTime(value));
}

/** Text, or a muted en dash when empty. */
export function orDash(value) {
  return value === undefined || value === null || value === '' ? h('span', { class: 'muted', 'aria-label': 'not set' }, '–') : String(value);
}

/** A heading plus content, as a labelled region. */
export function section(title, ...children) {
  const id = uid('section');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** `<dl>` from `[term, value]` pairs; pairs with an undefined value are left out. */
export function details(pairs) {
  return h('dl', { class: 'details' },
    pairs.filter(([, value]) => value !== undefined).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** Placeholder while data loads. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** One line describing an error for a person. */
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.forbidden) return `Your role cannot do this.${error.detail ? ` (${error.detail})` : ''}`;
    const head = error.status ? `${error.title} (${error.status})` : error.title;
    return error.detail ? `${head}: ${error.detail}` : head;
  }
  return error && error.message ? error.message : String(error);
}

/** An error callout with the problem's title, detail and field errors. */
export function errorCallout(error, { context } = {}) {
  const forbidden = error instanceof ApiError && error.forbidden;
  // A single field error is usually the detail itself (`field: reason`); list only what the detail does not say.
  const fields = (error instanceof ApiError ? error.errors : []).filter((item) => error.detail !== `${item.field}: ${item.reason}`);
  return h('div', { class: ['callout', forbidden ? 'callout--warn' : 'callout--error'], role: 'alert' },
    h('p', {}, context ? h('strong', {}, `${context}: `) : null, describeError(error)),
    fields.length ? h('ul', {}, fields.map((field) => h('li', {}, h('code', {}, field.field), ` ${field.reason}`))) : null,
    error instanceof ApiError && error.instance ? h('p', { class: 'muted small' }, `Request ${error.instance.replace('urn:lifeboat:request:', '')}`) : null);
}

/** Whether an error only says "this artifact is not there (yet)": 404 or 409 on an artifact read. */
export function isMissingArtifact(error) {
  return error instanceof ApiError && (error.status === 404 || error.status === 409);
}

/** Shows a transient notice at the top of the page. */
export function notify(message, { tone = 'info', link } = {}) {
  const region = document.getElementById('notices');
  if (!region) return;
  const notice = h('div', { class: ['notice', `notice--${tone}`] },
    h('span', {}, message),
    link ? h('a', { href: link.href }, link.text) : null,
    h('button', { type: 'button', class: 'notice__close', 'aria-label': 'Dismiss', onclick: () => notice.remove() }, '×'));
  region.append(notice);
  setTimeout(() => notice.remove(), tone === 'error' ? 15000 : 6000);
}

/** A button that runs `action` once at a time, disabled and marked busy meanwhile; errors become notices. */
export function actionButton(label, action, { tone = 'secondary', busyLabel, title } = {}) {
  const button = h('button', { type: 'button', class: ['button', `button--${tone}`], title });
  button.textContent = label;
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (busyLabel) button.textContent = busyLabel;
    try {
      await action();
    } catch (error) {
      if (error && error.name === 'AbortError') return;
      if (!(error instanceof ApiError && error.status === 401)) notify(describeError(error), { tone: 'error' });
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = label;
    }
  });
  return button;
}

/** Asks for confirmation in a modal dialog; answers true when confirmed. */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', tone = 'danger' }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const cancel = h('button', { type: 'button', class: 'button button--secondary', value: 'cancel' }, 'Cancel');
    const confirm = h('button', { type: 'button', class: ['button', `button--${tone}`], value: 'confirm' }, confirmLabel);
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, message),
      h('div', { class: 'actions' }, cancel, confirm));
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', () => { answer = true; dialog.close(); });
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * A table. `columns`: `{header, cell: (item) => node|string, numeric?}`.
 * Wrapped so it scrolls sideways on narrow screens instead of breaking the layout.
 */
export function table({ caption, columns, items, empty = 'Nothing here yet.' }) {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.numeric ? 'num' : null }, column.header)))),
      h('tbody', {}, items.map((item) => h('tr', {},
        columns.map((column, index) => {
          const content = column.cell(item);
          return index === 0 ? h('th', { scope: 'row' }, content) : h('td', { class: column.numeric ? 'num' : null }, content);
        }))))));
}

/**
 * A list view over one API list: a table of the current page, paging with the `continue` token, and polling
 * while any row's job is running.
 *
 * @param {object} options
 * @param {import('./app.js').ViewContext} options.context
 * @param {string} options.path The list path (from `paths`).
 * @param {object} options.query The filters (`cluster`, `phase`, `labelSelector`) and `limit`.
 * @param {string} options.caption Accessible table name.
 * @param {{header: string, cell: Function}[]} options.columns
 * @param {string} [options.empty]
 * @param {boolean} [options.poll] Poll while an item has an active phase.
 * @param {(error: Error) => boolean} [options.onError] Answers true when it displayed the error itself.
 */
export function pagedList({ context, path, query, caption, columns, empty, poll = false, onError }) {
  const root = h('div', { class: 'paged-list' });
  const body = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const pager = h('nav', { class: 'pager', 'aria-label': `${caption} pages` });
  root.append(body, pager);
  const tokens = [undefined]; // tokens[i] is the `continue` token that loads page i
  let page = 0;
  let next;
  let timer;

  async function load({ quiet = false } = {}) {
    clearTimeout(timer);
    if (!quiet) body.setAttribute('aria-busy', 'true');
    try {
      const list = await listPage(path, { ...query, continue: tokens[page] }, { signal: context.signal });
      if (context.signal.aborted) return;
      const items = list.items || [];
      next = list.continue || undefined;
      replace(body, table({ caption, columns, items, empty }));
      renderPager(items.length);
      if (poll && items.some((item) => isActive(phaseOf(item)))) {
        timer = context.later(POLL_MILLISECONDS, () => load({ quiet: true }));
      }
    } catch (error) {
      if (error.name === 'AbortError' || (error instanceof ApiError && error.status === 401)) return;
      if (onError && onError(error)) {
        replace(body);
      } else {
        replace(body, errorCallout(error, { context: `Could not load ${caption.toLowerCase()}` }));
      }
      replace(pager);
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function go(index) {
    page = index;
    load().then(() => root.scrollIntoView({ block: 'nearest' }));
  }

  function renderPager(count) {
    if (page === 0 && !next) {
      replace(pager);
      return;
    }
    replace(pager,
      h('button', { type: 'button', class: 'button button--secondary', disabled: page === 0, onclick: () => go(0) }, 'First'),
      h('button', { type: 'button', class: 'button button--secondary', disabled: page === 0, onclick: () => go(page - 1) }, 'Previous'),
      h('span', { class: 'pager__position' }, `Page ${page + 1} · ${count} shown`),
      h('button', {
        type: 'button', class: 'button button--secondary', disabled: !next,
        onclick: () => { tokens[page + 1] = next; go(page + 1); },
      }, 'Next'));
  }

  load();
  /** Loads the current page again (after an action changed a row). */
  root.reload = () => load({ quiet: true });
  return root;
}

/**
 * Puts a problem's field errors next to the form controls that carry `data-field` (`spec.includedNamespaces`
 * matches `spec.includedNamespaces[1]`), and the problem itself at the top of the form.
 */
export function showFormProblem(form, summary, error) {
  clearFormProblem(form);
  replace(summary, errorCallout(error));
  const fields = error instanceof ApiError ? error.errors : [];
  let first;
  for (const fieldError of fields) {
    const control = findField(form, fieldError.field);
    if (!control) continue;
    markInvalid(control, fieldError.reason);
    first = first || control;
  }
  (first || summary).focus?.();
  summary.scrollIntoView({ block: 'nearest' });
}

/** Marks one control invalid with a message (client-side checks use it too). */
export function markInvalid(control, message) {
  control.setAttribute('aria-invalid', 'true');
  const id = uid('error');
  const note = h('p', { id, class: 'field-error' }, message);
  const wrapper = control.closest('.field');
  if (wrapper) wrapper.append(note); else control.after(note);
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  control.dataset.errorId = id;
}

export function clearFormProblem(form) {
  for (const control of form.querySelectorAll('[aria-invalid="true"]')) {
    control.removeAttribute('aria-invalid');
    const id = control.dataset.errorId;
    if (id) {
      document.getElementById(id)?.remove();
      const rest = (control.getAttribute('aria-describedby') || '').split(' ').filter((part) => part && part !== id);
      if (rest.length) control.setAttribute('aria-describedby', rest.join(' ')); else control.removeAttribute('aria-describedby');
      delete control.dataset.errorId;
    }
  }
}

function findField(form, field) {
  const path = field.replace(/\[\d+\]/g, '');
  let candidate = path;
  while (candidate) {
    const control = [...form.querySelectorAll('[data-field]')].find((element) => element.dataset.field === candidate);
    if (control) return control;
    candidate = candidate.includes('.') ? candidate.slice(0, candidate.lastIndexOf('.')) : '';
  }
  return null;
}

/** A labelled form control in a `.field` wrapper. */
export function field({ label, control, hint }) {
  const id = control.id || uid('field');
  control.id = id;
  let hintNode = null;
  if (hint) {
    const hintId = uid('hint');
    hintNode = h('p', { id: hintId, class: 'hint' }, hint);
    control.setAttribute('aria-describedby', hintId);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
}

/** A `<select>`; `options` are strings or `{value, label}`. */
export function select({ options, value, ...attrs }) {
  return h('select', attrs, options.map((option) => {
    const item = typeof option === 'string' ? { value: option, label: option } : option;
    return h('option', { value: item.value, selected: item.value === value }, item.label);
  }));
}

/** Pretty JSON of an object, in a collapsed `<details>`. */
export function rawJSON(object, summary = 'Raw JSON') {
  return h('details', { class: 'raw' }, h('summary', {}, summary), h('pre', { class: 'code' }, JSON.stringify(object, null, 2)));
}
