// Restores: the columns of `lifeboat restore get`, filtered with the API's query parameters.

import { ApiError, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { RESTORE_PHASES, nameOf, phaseOf, selectorText } from '../format.js';
import { href } from '../router.js';
import { pagedList, phaseBadge, showFormProblem, timeText } from '../ui.js';
import { filterForm, filtersFromQuery } from './filters.js';

export function restoresView(root, context) {
  const filters = filtersFromQuery(context.query);
  const { form, summary } = filterForm({ context, route: 'restores', filters, phases: RESTORE_PHASES });
  replace(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Restores'),
      h('div', { class: 'actions' }, h('a', { class: 'button button--primary', href: href(['new', 'restore']) }, 'Create restore'))),
    form,
    pagedList({
      context, path: paths.restores(), query: filters, caption: 'Restores', poll: true,
      empty: filters.cluster || filters.phase || filters.labelSelector ? 'No restores match these filters.' : 'No restores yet.',
      columns: [
        { header: 'Name', cell: (restore) => h('a', { href: href(['restores', nameOf(restore)]) }, nameOf(restore)) },
        {
          header: 'Backup',
          cell: (restore) => (restore.spec?.backupName
            ? h('a', { href: href(['backups', restore.spec.backupName]) }, restore.spec.backupName) : ''),
        },
        { header: 'Cluster', cell: (restore) => restore.spec?.cluster || '' },
        {
          header: 'Status',
          cell: (restore) => [phaseBadge(phaseOf(restore)), restore.spec?.preview ? h('span', { class: 'badge badge--neutral' }, 'preview') : null],
        },
        { header: 'Started', cell: (restore) => timeText(restore.status?.startTimestamp) },
        { header: 'Completed', cell: (restore) => timeText(restore.status?.completionTimestamp) },
        { header: 'Errors', numeric: true, cell: (restore) => String(restore.status?.errors ?? 0) },
        { header: 'Warnings', numeric: true, cell: (restore) => String(restore.status?.warnings ?? 0) },
        { header: 'Created', cell: (restore) => timeText(restore.metadata?.creationTimestamp) },
        { header: 'Selector', cell: (restore) => selectorText(restore.spec?.labelSelector) },
      ],
      onError: (error) => {
        if (error instanceof ApiError && error.status === 422) {
          showFormProblem(form, summary, error);
          return true;
        }
        return false;
      },
    }));
}
