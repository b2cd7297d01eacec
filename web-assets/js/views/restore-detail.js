// One restore: status, progress, spec, per-item outcomes, results and logs; cancel and delete.

import { ApiError, deleteObject, getJSON, paths, postJSON } from '../api.js';
import { h, replace } from '../dom.js';
import { POLL_MILLISECONDS, isActive, phaseOf, selectorText } from '../format.js';
import { href } from '../router.js';
import {
  actionButton, confirmDialog, details, errorCallout, field, isMissingArtifact, loading, notify, orDash, phaseBadge, rawJSON,
  section, select, table, timeText,
} from '../ui.js';
import { logsPanel, progressBar, resultsPanel } from './artifacts.js';

const FINISHED = new Set(['Completed', 'PartiallyFailed', 'Failed']);
const ITEMS_PER_PAGE = 100;

/** Outcome tones: what changed is ok, what was kept is neutral, failures and conflicts stand out. */
function outcomeBadge(outcome) {
  const tone = { created: 'ok', updated: 'ok', wouldCreate: 'ok', wouldUpdate: 'active', failed: 'bad', conflict: 'bad', skipped: 'neutral',
    unchanged: 'neutral', wouldSkip: 'neutral' }[outcome] || 'neutral';
  return h('span', { class: ['badge', `badge--${tone}`] }, outcome || 'unknown');
}

function list(values, all) {
  if (values && values.length) return values.join(', ');
  return all ? '* (all)' : orDash();
}

function statusDetails(restore) {
  const status = restore.status || {};
  return details([
    ['Phase', [phaseBadge(phaseOf(restore)), restore.spec?.preview ? [' ', h('span', { class: 'badge badge--neutral' }, 'preview')] : null]],
    ['Errors', String(status.errors ?? 0)],
    ['Warnings', String(status.warnings ?? 0)],
    ['Created', timeText(restore.metadata?.creationTimestamp)],
    ['Started', timeText(status.startTimestamp)],
    ['Completed', timeText(status.completionTimestamp)],
    ['Failure reason', status.failureReason ? h('span', { class: 'text-bad' }, status.failureReason) : undefined],
    ['Validation errors', status.validationErrors?.length
      ? h('ul', {}, status.validationErrors.map((message) => h('li', {}, message))) : undefined],
  ]);
}

function specDetails(restore) {
  const spec = restore.spec || {};
  const mapping = Object.entries(spec.namespaceMapping || {});
  return [
    details([
      ['Backup', spec.backupName ? h('a', { href: href(['backups', spec.backupName]) }, spec.backupName) : orDash()],
      ['Schedule', spec.scheduleName],
      ['Target cluster', spec.cluster || h('span', { class: 'muted' }, "the backup's cluster")],
      ['Preview only', spec.preview ? 'yes: nothing is changed in the cluster' : 'no'],
      ['Included namespaces', list(spec.includedNamespaces, true)],
      ['Excluded namespaces', list(spec.excludedNamespaces)],
      ['Included resources', list(spec.includedResources, true)],
      ['Excluded resources', list(spec.excludedResources)],
      ['Namespace mapping', mapping.length ? mapping.map(([from, to]) => `${from} → ${to}`).join(', ') : orDash()],
      ['Existing resource policy', spec.existingResourcePolicy || 'none'],
      ['Label selector', selectorText(spec.labelSelector)],
      ['Include cluster resources', spec.includeClusterResources === undefined ? 'auto' : String(spec.includeClusterResources)],
      ['Preserve node ports', spec.preserveNodePorts === undefined ? undefined : String(spec.preserveNodePorts)],
    ]),
    rawJSON(spec, 'Full spec (JSON)'),
  ];
}

/** The per-item outcomes (`/items`), with an outcome filter, a name search and client-side pages. */
function itemsPanel({ name, signal }) {
  const panel = h('div', {}, loading('Loading item results…'));
  getJSON(paths.restoreItems(name), { signal }).then((result) => {
    const items = result?.items || [];
    const counts = new Map();
    for (const item of items) counts.set(item.outcome, (counts.get(item.outcome) || 0) + 1);
    const outcome = select({
      class: 'input',
      options: [{ value: '', label: `all (${items.length})` }, ...[...counts.keys()].sort().map((key) => ({ value: key, label: `${key} (${counts.get(key)})` }))],
    });
    const search = h('input', { class: 'input', type: 'search', placeholder: 'name or namespace', autocomplete: 'off' });
    const body = h('div', { 'aria-live': 'polite' });
    let page = 0;

    function draw() {
      const text = search.value.trim().toLowerCase();
      const shown = items.filter((item) => (!outcome.value || item.outcome === outcome.value)
        && (!text || [item.name, item.namespace, item.targetNamespace, item.resource].some((value) => value && value.toLowerCase().includes(text))));
      const pages = Math.max(1, Math.ceil(shown.length / ITEMS_PER_PAGE));
      page = Math.min(page, pages - 1);
      replace(body,
        table({
          caption: 'Restore items',
          items: shown.slice(page * ITEMS_PER_PAGE, (page + 1) * ITEMS_PER_PAGE),
          empty: items.length ? 'No items match.' : 'The restore recorded no items.',
          columns: [
            { header: 'Resource', cell: (item) => item.resource },
            { header: 'Namespace', cell: (item) => orDash(item.namespace) },
            { header: 'Target namespace', cell: (item) => orDash(item.targetNamespace) },
            { header: 'Name', cell: (item) => item.name },
            { header: 'Outcome', cell: (item) => outcomeBadge(item.outcome) },
            { header: 'Reason', cell: (item) => orDash(item.reason) },
          ],
        }),
        pages > 1
          ? h('nav', { class: 'pager', 'aria-label': 'Item pages' },
            h('button', { type: 'button', class: 'button button--secondary', disabled: page === 0, onclick: () => { page -= 1; draw(); } }, 'Previous'),
            h('span', { class: 'pager__position' }, `Page ${page + 1} of ${pages} · ${shown.length} items`),
            h('button', { type: 'button', class: 'button button--secondary', disabled: page >= pages - 1, onclick: () => { page += 1; draw(); } }, 'Next'))
          : null);
    }
    outcome.addEventListener('change', () => { page = 0; draw(); });
    search.addEventListener('input', () => { page = 0; draw(); });
    replace(panel,
      result?.preview
        ? h('p', { class: 'callout callout--info' }, 'This was a preview: the outcomes are predictions and nothing was changed in the cluster.')
        : null,
      h('ul', { class: 'counts' }, [...counts.keys()].sort().map((key) => h('li', {}, outcomeBadge(key), h('span', { class: 'count' }, String(counts.get(key)))))),
      h('div', { class: 'filters filters--inline' },
        field({ label: 'Outcome', control: outcome }),
        field({ label: 'Search', control: search })),
      body);
    draw();
  }).catch((error) => {
    if (error.name === 'AbortError') return;
    replace(panel, isMissingArtifact(error)
      ? h('p', { class: 'muted' }, `No item results: ${error.detail || error.title}`)
      : errorCallout(error, { context: 'Could not load the item results' }));
  });
  return panel;
}

export function restoreDetailView(root, context) {
  const name = context.params.name;
  const signal = context.signal;
  replace(root, loading());

  const heading = h('h1', {});
  const actions = h('div', { class: 'actions' });
  const statusPanel = h('div', {});
  const progressPanel = h('div', {});
  let lastPhase;
  let pollTimer;
  let polling = false;

  function schedule(ms = POLL_MILLISECONDS) {
    clearTimeout(pollTimer);
    pollTimer = context.later(ms, poll);
  }

  function renderLive(restore) {
    const phase = phaseOf(restore);
    replace(heading, 'Restore ', h('span', { class: 'object-name' }, name), ' ', phaseBadge(phase));
    replace(statusPanel, statusDetails(restore));
    const progress = restore.status?.progress || {};
    replace(progressPanel, progressBar(progress.itemsRestored, progress.totalItems, 'items'));
    replace(actions,
      isActive(phase)
        ? actionButton('Cancel', async () => {
          await postJSON(paths.restoreCancel(name), undefined, { signal });
          notify(`Cancellation of restore ${name} requested.`);
          poll();
        }, { busyLabel: 'Cancelling…' })
        : null,
      actionButton('Delete', async () => {
        const confirmed = await confirmDialog({
          title: `Delete restore ${name}?`,
          message: 'This removes the restore from the catalog. What it restored stays in the cluster.',
          confirmLabel: 'Delete restore',
        });
        if (!confirmed) return;
        await deleteObject(paths.restore(name), { signal });
        notify(`Restore ${name} deleted.`, { tone: 'success' });
        context.navigate(href(['restores']));
      }, { tone: 'danger', busyLabel: 'Deleting…' }));
  }

  function renderAll(restore) {
    lastPhase = phaseOf(restore);
    renderLive(restore);
    const finished = FINISHED.has(lastPhase) || (lastPhase === 'FailedValidation' && restore.status?.startTimestamp);
    replace(root,
      h('p', { class: 'breadcrumbs' }, h('a', { href: href(['restores']) }, 'Restores'), ' / ', name),
      h('div', { class: 'page-head' }, heading, actions),
      h('div', { class: 'grid grid--two' }, section('Status', statusPanel), section('Progress', progressPanel)),
      section('Spec', specDetails(restore)),
      finished ? section('Items', itemsPanel({ name, signal })) : null,
      finished ? section('Results', resultsPanel({ path: paths.restoreResults(name), signal })) : null,
      finished
        ? section('Logs', logsPanel({ path: paths.restoreLogs(name), fileName: `restore-${name}-logs.txt`, signal }))
        : section('Logs', h('p', { class: 'muted' }, 'Item results, results and logs appear once the restore has run.')),
      rawJSON(restore, 'Full restore object (JSON)'));
    if (isActive(lastPhase)) schedule();
  }

  function gone() {
    replace(root,
      h('p', { class: 'breadcrumbs' }, h('a', { href: href(['restores']) }, 'Restores'), ' / ', name),
      h('h1', {}, 'Restore ', h('span', { class: 'object-name' }, name)),
      h('div', { class: 'callout callout--info', role: 'status' },
        h('p', {}, 'This restore does not exist (any more). ', h('a', { href: href(['restores']) }, 'Back to the restores'), '.')));
  }

  async function poll() {
    clearTimeout(pollTimer);
    if (polling) return;
    polling = true;
    try {
      const restore = await getJSON(paths.restore(name), { signal });
      const phase = phaseOf(restore);
      if (isActive(lastPhase) && !isActive(phase)) {
        renderAll(restore);
        return;
      }
      lastPhase = phase;
      renderLive(restore);
      if (isActive(phase)) schedule();
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 404) gone();
      else if (error.status !== 401) schedule(POLL_MILLISECONDS * 2);
    } finally {
      polling = false;
    }
  }

  getJSON(paths.restore(name), { signal }).then(renderAll).catch((error) => {
    if (error.name === 'AbortError') return;
    if (error instanceof ApiError && error.status === 404) gone();
    else replace(root, errorCallout(error, { context: `Could not load restore ${name}` }));
  });
}
