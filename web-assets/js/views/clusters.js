// Clusters: what Lifeboat can reach, with the columns of `lifeboat cluster get`.

import { paths } from '../api.js';
import { h, replace } from '../dom.js';
import { nameOf, phaseOf } from '../format.js';
import { href } from '../router.js';
import { orDash, pagedList, phaseBadge, timeText } from '../ui.js';

export function clustersView(root, context) {
  replace(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Clusters')),
    h('p', { class: 'muted' }, 'Clusters are registered with ', h('code', {}, 'lifeboat cluster add'),
      '; their credentials are write-only and never shown.'),
    pagedList({
      context, path: paths.clusters(), query: { limit: 100 }, caption: 'Clusters', empty: 'No clusters registered.',
      columns: [
        { header: 'Name', cell: nameOf },
        { header: 'Server', cell: (cluster) => orDash(cluster.spec?.server) },
        { header: 'Phase', cell: (cluster) => phaseBadge(phaseOf(cluster, 'Pending')) },
        { header: 'Version', cell: (cluster) => orDash(cluster.status?.kubernetesVersion) },
        { header: 'Last checked', cell: (cluster) => timeText(cluster.status?.lastCheckTime) },
        { header: 'Message', cell: (cluster) => orDash(cluster.status?.message) },
        { header: 'Backups', cell: (cluster) => h('a', { href: href(['backups'], { cluster: nameOf(cluster) }) }, 'Backups') },
      ],
    }));
}
