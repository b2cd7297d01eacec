// Overview: the server's status, backups counted by phase, and the health of clusters and locations.

import { getJSON, listAll, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { BACKUP_PHASES, POLL_MILLISECONDS, isActive, nameOf, phaseOf } from '../format.js';
import { href } from '../router.js';
import { details, errorCallout, loading, orDash, phaseBadge, section, timeText } from '../ui.js';

export function overviewView(root, context) {
  const serverPanel = h('div', {}, loading());
  const backupsPanel = h('div', {}, loading());
  const clustersPanel = h('div', {}, loading());
  const locationsPanel = h('div', {}, loading());
  replace(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Overview'),
      h('div', { class: 'actions' },
        h('a', { class: 'button button--primary', href: href(['new', 'backup']) }, 'Create backup'),
        h('a', { class: 'button button--secondary', href: href(['new', 'restore']) }, 'Create restore'))),
    h('div', { class: 'grid' },
      section('Server', serverPanel),
      section('Backups by phase', backupsPanel),
      section('Clusters', clustersPanel),
      section('Backup locations', locationsPanel)));

  const signal = context.signal;

  async function loadServer() {
    try {
      const status = await getJSON(paths.status(), { signal });
      replace(serverPanel, details([
        ['Ready', h('span', { class: ['badge', status.ready ? 'badge--ok' : 'badge--warn'] }, status.ready ? 'Ready' : 'Not ready')],
        ['Version', status.serverVersion],
        ['API', status.apiVersion],
        ['Started', timeText(status.startTime)],
        ['Workers', orDash(status.workers)],
        ['Signed in as', status.caller ? `${status.caller.name} (${status.caller.role})` : orDash()],
      ]));
    } catch (error) {
      if (error.name !== 'AbortError') replace(serverPanel, errorCallout(error));
    }
  }

  async function loadBackups() {
    try {
      const { items, complete } = await listAll(paths.backups(), {}, { signal });
      const counts = new Map();
      for (const backup of items) counts.set(phaseOf(backup), (counts.get(phaseOf(backup)) || 0) + 1);
      const phases = BACKUP_PHASES.filter((phase) => counts.has(phase))
        .concat([...counts.keys()].filter((phase) => !BACKUP_PHASES.includes(phase)));
      const running = items.filter((backup) => isActive(phaseOf(backup)));
      replace(backupsPanel,
        items.length === 0
          ? h('p', { class: 'empty' }, 'No backups yet. ', h('a', { href: href(['new', 'backup']) }, 'Create one'), '.')
          : h('ul', { class: 'counts' }, phases.map((phase) => h('li', {},
            h('a', { href: href(['backups'], { phase }) }, phaseBadge(phase), h('span', { class: 'count' }, String(counts.get(phase))))))),
        h('p', { class: 'muted' }, `${items.length}${complete ? '' : '+'} backups in total`,
          running.length ? `, ${running.length} running or queued` : '', '. ', h('a', { href: href(['backups']) }, 'All backups')));
      if (running.length) context.later(POLL_MILLISECONDS * 2, loadBackups);
    } catch (error) {
      if (error.name !== 'AbortError') replace(backupsPanel, errorCallout(error));
    }
  }

  async function loadHealth(panel, path, linkTarget, emptyText, describe) {
    try {
      const { items } = await listAll(path, {}, { signal, maxPages: 1 });
      replace(panel, items.length === 0
        ? h('p', { class: 'empty' }, emptyText)
        : h('ul', { class: 'health' }, items.map((item) => h('li', {},
          h('span', { class: 'health__name' }, nameOf(item)), phaseBadge(phaseOf(item, 'Unknown')),
          h('span', { class: 'muted small' }, describe(item))))),
      h('p', {}, h('a', { href: linkTarget }, 'Details')));
    } catch (error) {
      if (error.name !== 'AbortError') replace(panel, errorCallout(error));
    }
  }

  loadServer();
  loadBackups();
  loadHealth(clustersPanel, paths.clusters(), href(['clusters']), 'No clusters registered (lifeboat cluster add).',
    (cluster) => [cluster.status?.kubernetesVersion, cluster.status?.message].filter(Boolean).join(' · '));
  loadHealth(locationsPanel, paths.locations(), href(['locations']), 'No backup locations (lifeboat backup-location create).',
    (location) => [location.spec?.provider, location.spec?.default ? 'default' : '', location.spec?.accessMode === 'ReadOnly' ? 'read-only' : '',
      location.status?.message].filter(Boolean).join(' · '));
}
