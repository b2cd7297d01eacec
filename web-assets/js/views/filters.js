// The filter bar of the backup and restore lists: cluster, phase and label selector, as the API's query
// parameters. Filters live in the hash (`#/backups?phase=Failed`), so a filtered list can be bookmarked.

import { listAll, paths } from '../api.js';
import { h, uid } from '../dom.js';
import { nameOf } from '../format.js';
import { href } from '../router.js';
import { field, select } from '../ui.js';

export const PAGE_SIZES = ['25', '50', '100', '250'];

/** The list query from the hash. */
export function filtersFromQuery(query) {
  return {
    cluster: query.get('cluster') || '',
    phase: query.get('phase') || '',
    labelSelector: query.get('labelSelector') || '',
    limit: PAGE_SIZES.includes(query.get('limit')) ? query.get('limit') : '50',
  };
}

/** The filter form; submitting it navigates to `route` with the new query. */
export function filterForm({ context, route, filters, phases }) {
  const listId = uid('clusters');
  const cluster = h('input', { class: 'input', value: filters.cluster, list: listId, 'data-field': 'cluster', autocomplete: 'off', placeholder: 'any' });
  const clusterNames = h('datalist', { id: listId });
  const phase = select({ options: [{ value: '', label: 'any' }, ...phases], value: filters.phase, class: 'input', 'data-field': 'phase' });
  const selector = h('input', {
    class: 'input', value: filters.labelSelector, 'data-field': 'labelSelector', placeholder: 'velero.io/schedule-name=nightly',
    autocomplete: 'off', spellcheck: 'false',
  });
  const limit = select({ options: PAGE_SIZES, value: filters.limit, class: 'input' });
  const summary = h('div', { tabindex: '-1' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter' },
    field({ label: 'Cluster', control: cluster }),
    clusterNames,
    field({ label: 'Phase', control: phase }),
    field({ label: 'Labels', control: selector, hint: "A label selector on the objects' own labels." }),
    field({ label: 'Page size', control: limit }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--primary' }, 'Apply'),
      h('a', { class: 'button button--secondary', href: href([route]) }, 'Clear')),
    summary);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.navigate(href([route], {
      cluster: cluster.value.trim(), phase: phase.value, labelSelector: selector.value.trim(),
      limit: limit.value === '50' ? '' : limit.value,
    }));
  });
  // Suggestions only: a failure here leaves a free-text field.
  listAll(paths.clusters(), {}, { signal: context.signal, maxPages: 1 })
    .then(({ items }) => clusterNames.append(...items.map((item) => h('option', { value: nameOf(item) }))))
    .catch(() => {});
  return { form, summary };
}
