// One backup: status, progress, spec, results, resource list and logs; download, restore, cancel and delete.

import { ApiError, deleteObject, downloadBackup, getJSON, paths, postJSON } from '../api.js';
import { h, replace } from '../dom.js';
import { POLL_MILLISECONDS, bytes, expiresIn, isActive, phaseOf, selectorText } from '../format.js';
import { href } from '../router.js';
import {
  actionButton, confirmDialog, details, errorCallout, loading, notify, orDash, phaseBadge, rawJSON, section, timeText,
} from '../ui.js';
import { logsPanel, progressBar, resourcesPanel, resultsPanel } from './artifacts.js';

/** Phases after which the job wrote logs, results and the tarball. */
const FINISHED = new Set(['Completed', 'PartiallyFailed', 'Failed']);

function list(values) {
  return values && values.length ? values.join(', ') : orDash();
}

function triState(value) {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return 'auto (Velero default)';
}

function statusDetails(backup) {
  const status = backup.status || {};
  return details([
    ['Phase', phaseBadge(phaseOf(backup))],
    ['Queue position', status.queuePosition ? String(status.queuePosition) : undefined],
    ['Errors', String(status.errors ?? 0)],
    ['Warnings', String(status.warnings ?? 0)],
    ['Created', timeText(backup.metadata?.creationTimestamp)],
    ['Started', timeText(status.startTimestamp)],
    ['Completed', timeText(status.completionTimestamp)],
    ['Expires', status.expiration ? [timeText(status.expiration), ` (in ${expiresIn(status.expiration)})`] : orDash()],
    ['Size', status.sizeBytes !== undefined ? bytes(status.sizeBytes) : undefined],
    ['Checksum', status.checksum ? h('code', { class: 'wrap' }, status.checksum) : undefined],
    ['Format version', status.formatVersion],
    ['Failure reason', status.failureReason ? h('span', { class: 'text-bad' }, status.failureReason) : undefined],
    ['Validation errors', status.validationErrors?.length
      ? h('ul', {}, status.validationErrors.map((message) => h('li', {}, message))) : undefined],
  ]);
}

function specDetails(backup) {
  const spec = backup.spec || {};
  const labels = backup.metadata?.labels || {};
  return [
    details([
      ['Cluster', orDash(spec.cluster)],
      ['Storage location', spec.storageLocation || h('span', { class: 'muted' }, 'server default')],
      ['Included namespaces', spec.includedNamespaces?.length ? list(spec.includedNamespaces) : '* (all)'],
      ['Excluded namespaces', list(spec.excludedNamespaces)],
      ['Included resources', spec.includedResources?.length ? list(spec.includedResources) : '* (all)'],
      ['Excluded resources', list(spec.excludedResources)],
      ['Include cluster resources', triState(spec.includeClusterResources)],
      ['Label selector', selectorText(spec.labelSelector)],
      ['Or label selectors', spec.orLabelSelectors?.length ? spec.orLabelSelectors.map(selectorText).join(' or ') : undefined],
      ['TTL', orDash(spec.ttl)],
      ['Snapshot volumes', spec.snapshotVolumes === undefined ? undefined : String(spec.snapshotVolumes)],
      ['File-system backup of volumes', spec.defaultVolumesToFsBackup === undefined ? undefined : String(spec.defaultVolumesToFsBackup)],
      ['Labels', Object.keys(labels).length ? Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(', ') : orDash()],
    ]),
    rawJSON(spec, 'Full spec (JSON)'),
  ];
}

export function backupDetailView(root, context) {
  const name = context.params.name;
  const signal = context.signal;
  replace(root, loading());

  const statusPanel = h('div', {});
  const progressPanel = h('div', {});
  const actions = h('div', { class: 'actions' });
  const heading = h('h1', {});
  let lastPhase;
  let pollTimer;
  let polling = false;

  function schedule(ms = POLL_MILLISECONDS) {
    clearTimeout(pollTimer);
    pollTimer = context.later(ms, poll);
  }

  function renderActions(backup) {
    const phase = phaseOf(backup);
    const finished = FINISHED.has(phase);
    replace(actions,
      finished && phase !== 'Failed'
        ? actionButton('Download', async () => {
          const size = await downloadBackup(name, { signal });
          notify(`Saved ${name}.tar.gz (${bytes(size)}).`, { tone: 'success' });
        }, { tone: 'primary', busyLabel: 'Downloading…', title: 'Download the tarball, verified against its checksum' })
        : null,
      phase === 'Completed' || phase === 'PartiallyFailed'
        ? h('a', { class: 'button button--secondary', href: href(['new', 'restore'], { backup: name }) }, 'Restore…')
        : null,
      isActive(phase) && phase !== 'Deleting'
        ? actionButton('Cancel', async () => {
          await postJSON(paths.backupCancel(name), undefined, { signal });
          notify(`Cancellation of backup ${name} requested.`);
          poll();
        }, { busyLabel: 'Cancelling…' })
        : null,
      phase !== 'Deleting'
        ? actionButton('Delete', async () => {
          const confirmed = await confirmDialog({
            title: `Delete backup ${name}?`,
            message: 'This deletes the backup from its storage location, with the restores made from it, and then from the catalog. It cannot be undone.',
            confirmLabel: 'Delete backup',
          });
          if (!confirmed) return;
          await deleteObject(paths.backup(name), { signal });
          notify(`Backup ${name} is being deleted.`);
          poll();
        }, { tone: 'danger', busyLabel: 'Deleting…' })
        : null);
  }

  function renderLive(backup) {
    const phase = phaseOf(backup);
    replace(heading, 'Backup ', h('span', { class: 'object-name' }, name), ' ', phaseBadge(phase));
    replace(statusPanel, statusDetails(backup));
    const progress = backup.status?.progress || {};
    replace(progressPanel, progressBar(progress.itemsBackedUp, progress.totalItems, 'items'));
    renderActions(backup);
  }

  function renderAll(backup) {
    lastPhase = phaseOf(backup);
    renderLive(backup);
    const finished = FINISHED.has(lastPhase) || (lastPhase === 'FailedValidation' && backup.status?.startTimestamp);
    replace(root,
      h('p', { class: 'breadcrumbs' }, h('a', { href: href(['backups']) }, 'Backups'), ' / ', name),
      h('div', { class: 'page-head' }, heading, actions),
      h('div', { class: 'grid grid--two' },
        section('Status', statusPanel),
        section('Progress', progressPanel)),
      section('Spec', specDetails(backup)),
      finished ? section('Results', resultsPanel({ path: paths.backupResults(name), signal })) : null,
      finished ? section('Resources', resourcesPanel({ path: paths.backupResources(name), signal })) : null,
      finished
        ? section('Logs', logsPanel({ path: paths.backupLogs(name), fileName: `${name}-logs.txt`, signal }))
        : section('Logs', h('p', { class: 'muted' }, 'Logs, results and the resource list appear once the backup has run.')),
      rawJSON(backup, 'Full backup object (JSON)'));
    if (isActive(lastPhase)) schedule();
  }

  function gone() {
    replace(root,
      h('p', { class: 'breadcrumbs' }, h('a', { href: href(['backups']) }, 'Backups'), ' / ', name),
      h('h1', {}, 'Backup ', h('span', { class: 'object-name' }, name)),
      h('div', { class: 'callout callout--info', role: 'status' },
        h('p', {}, 'This backup does not exist (any more). ', h('a', { href: href(['backups']) }, 'Back to the backups'), '.')));
  }

  async function poll() {
    clearTimeout(pollTimer);
    if (polling) return;
    polling = true;
    try {
      const backup = await getJSON(paths.backup(name), { signal });
      const phase = phaseOf(backup);
      // A phase change past the running ones loads the artifacts: draw the whole page again.
      if (isActive(lastPhase) && !isActive(phase)) {
        renderAll(backup);
        return;
      }
      lastPhase = phase;
      renderLive(backup);
      if (isActive(phase)) schedule();
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 404) gone();
      else if (error.status !== 401) schedule(POLL_MILLISECONDS * 2); // transient; keep trying quietly
    } finally {
      polling = false;
    }
  }

  getJSON(paths.backup(name), { signal }).then(renderAll).catch((error) => {
    if (error.name === 'AbortError') return;
    if (error instanceof ApiError && error.status === 404) gone();
    else replace(root, errorCallout(error, { context: `Could not load backup ${name}` }));
  });
}
