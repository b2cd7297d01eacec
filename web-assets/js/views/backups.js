// Backups: Velero's columns as `lifeboat backup get` prints them, filtered with the API's query parameters.

import { ApiError, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { BACKUP_PHASES, expiresIn, nameOf, phaseOf, selectorText } from '../format.js';
import { href } from '../router.js';
import { pagedList, phaseBadge, showFormProblem, timeText } from '../ui.js';
import { filterForm, filtersFromQuery } from './filters.js';

/** Velero's backup columns (`lifeboat backup get`). */
const backupColumns = [
  { header: 'Name', cell: (backup) => h('a', { href: href(['backups', nameOf(backup)]) }, nameOf(backup)) },
  { header: 'Cluster', cell: (backup) => backup.spec?.cluster || '' },
  { header: 'Status', cell: (backup) => phaseBadge(phaseOf(backup)) },
  { header: 'Errors', numeric: true, cell: (backup) => String(backup.status?.errors ?? 0) },
  { header: 'Warnings', numeric: true, cell: (backup) => String(backup.status?.warnings ?? 0) },
  { header: 'Created', cell: (backup) => timeText(backup.metadata?.creationTimestamp) },
  {
    header: 'Expires',
    cell: (backup) => {
      const value = backup.status?.expiration;
      return value ? h('time', { datetime: value, title: new Date(value).toLocaleString() }, expiresIn(value)) : h('span', { class: 'muted' }, '–');
    },
  },
  { header: 'Storage location', cell: (backup) => backup.spec?.storageLocation || '' },
  { header: 'Selector', cell: (backup) => selectorText(backup.spec?.labelSelector) },
];

export function backupsView(root, context) {
  const filters = filtersFromQuery(context.query);
  const { form, summary } = filterForm({ context, route: 'backups', filters, phases: BACKUP_PHASES });
  replace(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Backups'),
      h('div', { class: 'actions' }, h('a', { class: 'button button--primary', href: href(['new', 'backup']) }, 'Create backup'))),
    form,
    pagedList({
      context, path: paths.backups(), query: filters, caption: 'Backups', poll: true,
      empty: filters.cluster || filters.phase || filters.labelSelector ? 'No backups match these filters.' : 'No backups yet.',
      columns: backupColumns,
      onError: (error) => {
        if (error instanceof ApiError && error.status === 422) {
          showFormProblem(form, summary, error);
          return true;
        }
        return false;
      },
    }));
}
