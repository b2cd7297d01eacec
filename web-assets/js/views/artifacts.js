// Panels for stored artifacts shared by backup and restore details: logs, results and resource lists.

import { getJSON, getText } from '../api.js';
import { h, replace } from '../dom.js';
import { actionButton, errorCallout, isMissingArtifact, loading } from '../ui.js';

/** Logs larger than this are cut in the page; the whole text can still be saved. */
const MAX_LOG_CHARACTERS = 1_000_000;
const MAX_ENTRIES_PER_KIND = 1000;

function missing(error, what) {
  if (isMissingArtifact(error)) return h('p', { class: 'muted' }, `No ${what}: ${error.detail || error.title}`);
  return errorCallout(error, { context: `Could not load the ${what}` });
}

function saveText(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The job log, as text in a scrollable `<pre>`. */
export function logsPanel({ path, fileName, signal }) {
  const panel = h('div', {}, loading('Loading logs…'));
  async function load() {
    replace(panel, loading('Loading logs…'));
    try {
      const text = await getText(path, { signal });
      const shown = text.length > MAX_LOG_CHARACTERS ? text.slice(0, MAX_LOG_CHARACTERS) : text;
      replace(panel,
        h('div', { class: 'actions' },
          actionButton('Reload', load),
          actionButton('Save log', async () => saveText(fileName, text))),
        text.length > MAX_LOG_CHARACTERS
          ? h('p', { class: 'muted' }, `The log is long; the first ${MAX_LOG_CHARACTERS.toLocaleString()} characters are shown. Save it to read everything.`)
          : null,
        text ? h('pre', { class: 'code log', tabindex: '0', 'aria-label': 'Log' }, shown) : h('p', { class: 'muted' }, 'The log is empty.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(panel, missing(error, 'logs'), h('div', { class: 'actions' }, actionButton('Reload', load)));
    }
  }
  load();
  return panel;
}

function entryList(entries) {
  const groups = [];
  if (entries?.velero?.length) groups.push(['Lifeboat', entries.velero]);
  if (entries?.cluster?.length) groups.push(['Cluster-scoped', entries.cluster]);
  for (const [namespace, messages] of Object.entries(entries?.namespaces || {})) {
    if (messages?.length) groups.push([`Namespace ${namespace}`, messages]);
  }
  if (!groups.length) return h('p', { class: 'muted' }, 'None.');
  return groups.map(([title, messages]) => h('div', { class: 'result-group' },
    h('h4', {}, title),
    h('ul', { class: 'messages' }, messages.map((message) => h('li', {}, message)))));
}

/** Errors and warnings of a finished job (Velero's results file). */
export function resultsPanel({ path, signal }) {
  const panel = h('div', {}, loading('Loading results…'));
  getJSON(path, { signal }).then((results) => {
    replace(panel,
      h('h3', {}, 'Errors'), entryList(results?.errors),
      h('h3', {}, 'Warnings'), entryList(results?.warnings));
  }).catch((error) => {
    if (error.name !== 'AbortError') replace(panel, missing(error, 'results'));
  });
  return panel;
}

/** The backup's resource list: `"<apiVersion>/<Kind>"` → entries, one collapsible group per kind. */
export function resourcesPanel({ path, signal }) {
  const panel = h('div', {}, loading('Loading resource list…'));
  getJSON(path, { signal }).then((list) => {
    const kinds = Object.keys(list || {}).sort();
    const total = kinds.reduce((sum, kind) => sum + (list[kind]?.length || 0), 0);
    if (!kinds.length) {
      replace(panel, h('p', { class: 'muted' }, 'The backup contains no resources.'));
      return;
    }
    replace(panel,
      h('p', {}, `${total} items of ${kinds.length} kinds.`),
      kinds.map((kind) => {
        const entries = list[kind] || [];
        return h('details', { class: 'resource-kind' },
          h('summary', {}, h('code', {}, kind), ` (${entries.length})`),
          h('ul', { class: 'resource-list' }, entries.slice(0, MAX_ENTRIES_PER_KIND).map((entry) => h('li', {}, entry))),
          entries.length > MAX_ENTRIES_PER_KIND ? h('p', { class: 'muted' }, `${entries.length - MAX_ENTRIES_PER_KIND} more not shown.`) : null);
      }));
  }).catch((error) => {
    if (error.name !== 'AbortError') replace(panel, missing(error, 'resource list'));
  });
  return panel;
}

/** A `<progress>` with a text equivalent. */
export function progressBar(done, total, noun) {
  if (!total) return h('p', { class: 'muted' }, done ? `${done} ${noun} so far.` : 'No progress reported yet.');
  return h('div', { class: 'progress' },
    h('progress', { value: String(done || 0), max: String(total), 'aria-label': `${noun} progress` }),
    h('span', {}, `${done || 0} of ${total} ${noun} (${Math.min(100, Math.floor(((done || 0) / total) * 100))}%)`));
}
