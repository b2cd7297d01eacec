// Backup storage locations, with the columns of `lifeboat backup-location get`.

import { paths } from '../api.js';
import { h, replace } from '../dom.js';
import { nameOf, phaseOf } from '../format.js';
import { orDash, pagedList, phaseBadge, timeText } from '../ui.js';

export function locationsView(root, context) {
  replace(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Backup locations')),
    pagedList({
      context, path: paths.locations(), query: { limit: 100 }, caption: 'Backup locations', empty: 'No backup locations.',
      columns: [
        { header: 'Name', cell: nameOf },
        { header: 'Provider', cell: (location) => location.spec?.provider || '' },
        {
          header: 'Bucket/prefix',
          cell: (location) => [location.spec?.objectStorage?.bucket, location.spec?.objectStorage?.prefix].filter(Boolean).join('/'),
        },
        { header: 'Phase', cell: (location) => phaseBadge(phaseOf(location, 'Unknown')) },
        { header: 'Last validated', cell: (location) => timeText(location.status?.lastValidationTime) },
        { header: 'Last synced', cell: (location) => timeText(location.status?.lastSyncedTime) },
        { header: 'Access mode', cell: (location) => location.spec?.accessMode || 'ReadWrite' },
        { header: 'Default', cell: (location) => (location.spec?.default ? 'yes' : '') },
        { header: 'Message', cell: (location) => orDash(location.status?.message) },
      ],
    }));
}
