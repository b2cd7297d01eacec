// Create a backup: the main BackupSpec fields, as `lifeboat backup create` takes them. POST /v1/backups.

import { listAll, paths, postJSON } from '../api.js';
import { h, replace } from '../dom.js';
import { commaList, labelMap, nameOf } from '../format.js';
import { href } from '../router.js';
import { parseSelector } from '../selector.js';
import { field, notify, select } from '../ui.js';
import { FieldProblem, radioGroup, textInput, wireForm } from './forms.js';

export function createBackupView(root, context) {
  const signal = context.signal;
  const name = textInput('metadata.name', { required: true, placeholder: 'nightly-shop' });
  const cluster = select({ class: 'input', required: true, 'data-field': 'spec.cluster', options: [{ value: '', label: 'Loading clusters…' }] });
  const location = select({ class: 'input', 'data-field': 'spec.storageLocation', options: [{ value: '', label: 'Server default' }] });
  const includedNamespaces = textInput('spec.includedNamespaces', { placeholder: '* (all)' });
  const excludedNamespaces = textInput('spec.excludedNamespaces', { placeholder: 'none' });
  const includedResources = textInput('spec.includedResources', { placeholder: '* (all)' });
  const excludedResources = textInput('spec.excludedResources', { placeholder: 'none' });
  const clusterResources = radioGroup({
    legend: 'Include cluster-scoped resources', path: 'spec.includeClusterResources', value: '',
    options: [
      { value: '', label: 'Auto' },
      { value: 'true', label: 'Yes' },
      { value: 'false', label: 'No' },
    ],
    hint: 'Auto: cluster-scoped resources are included when the backup takes all namespaces, and those its namespaced items need otherwise (Velero).',
  });
  const selector = textInput('spec.labelSelector', { placeholder: 'app=web,tier notin (db)' });
  const ttl = textInput('spec.ttl', { placeholder: '720h0m0s' });
  const labels = textInput('metadata.labels', { placeholder: 'team=shop,env=prod' });
  const summary = h('div', { tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Create backup');
  const preview = h('pre', { class: 'code' });

  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Create backup' },
    summary,
    h('div', { class: 'form-grid' },
      field({ label: 'Name', control: name, hint: 'A DNS-1123 label: lower-case letters, digits and dashes.' }),
      field({ label: 'Cluster', control: cluster }),
      field({ label: 'Storage location', control: location }),
      field({ label: 'TTL', control: ttl, hint: 'Go duration; empty keeps the server default (720h).' })),
    h('fieldset', { class: 'group' },
      h('legend', {}, 'What to back up'),
      h('div', { class: 'form-grid' },
        field({ label: 'Included namespaces', control: includedNamespaces, hint: 'Comma-separated; globs allowed. Empty: all.' }),
        field({ label: 'Excluded namespaces', control: excludedNamespaces, hint: 'Comma-separated.' }),
        field({ label: 'Included resources', control: includedResources, hint: 'Comma-separated, e.g. deployments.apps,configmaps. Empty: all.' }),
        field({ label: 'Excluded resources', control: excludedResources, hint: 'Comma-separated.' }),
        field({ label: 'Label selector', control: selector, hint: 'Only items with matching labels: k=v, k!=v, k in (a,b), k notin (a), k, !k.' })),
      clusterResources.element),
    field({ label: 'Labels of the backup', control: labels, hint: 'Optional, key=value pairs, comma-separated.' }),
    h('details', { class: 'raw' }, h('summary', {}, 'Request body'), preview),
    h('div', { class: 'actions' }, submit, h('a', { class: 'button button--secondary', href: href(['backups']) }, 'Cancel')));

  function build() {
    const spec = { cluster: cluster.value };
    if (location.value) spec.storageLocation = location.value;
    const lists = [
      ['includedNamespaces', includedNamespaces], ['excludedNamespaces', excludedNamespaces],
      ['includedResources', includedResources], ['excludedResources', excludedResources],
    ];
    for (const [key, input] of lists) {
      const values = commaList(input.value);
      if (values.length) spec[key] = values;
    }
    const include = clusterResources.value();
    if (include) spec.includeClusterResources = include === 'true';
    try {
      const parsed = parseSelector(selector.value);
      if (parsed) spec.labelSelector = parsed;
    } catch (error) {
      throw new FieldProblem(selector, error.message);
    }
    if (ttl.value.trim()) spec.ttl = ttl.value.trim();
    const metadata = { name: name.value.trim() };
    try {
      const map = labelMap(labels.value);
      if (Object.keys(map).length) metadata.labels = map;
    } catch (error) {
      throw new FieldProblem(labels, error.message);
    }
    return { metadata, spec };
  }

  wireForm({
    form, summary, submit, preview, previewBody: build,
    build: () => {
      const body = build();
      if (!body.metadata.name) throw new FieldProblem(name, 'A name is required.');
      if (!body.spec.cluster) throw new FieldProblem(cluster, 'Choose the cluster to back up.');
      return body;
    },
    send: async (body) => {
      const backup = await postJSON(paths.backups(), body, { signal });
      notify(`Backup ${nameOf(backup)} queued.`, { tone: 'success' });
      context.navigate(href(['backups', nameOf(backup)]));
    },
  });

  replace(root,
    h('p', { class: 'breadcrumbs' }, h('a', { href: href(['backups']) }, 'Backups'), ' / new'),
    h('h1', {}, 'Create backup'),
    form);
  name.focus();

  listAll(paths.clusters(), {}, { signal }).then(({ items }) => {
    const wanted = context.query.get('cluster') || '';
    replace(cluster,
      h('option', { value: '' }, items.length ? 'Choose a cluster' : 'No clusters registered'),
      items.map((item) => h('option', { value: nameOf(item), selected: nameOf(item) === wanted },
        `${nameOf(item)}${item.status?.phase && item.status.phase !== 'Ready' ? ` (${item.status.phase})` : ''}`)));
    form.dispatchEvent(new Event('change'));
  }).catch(() => replace(cluster, h('option', { value: '' }, 'Could not load clusters')));

  listAll(paths.locations(), {}, { signal }).then(({ items }) => {
    replace(location,
      h('option', { value: '' }, 'Server default'),
      items.map((item) => {
        const readOnly = item.spec?.accessMode === 'ReadOnly';
        const notes = [item.spec?.default ? 'default' : '', readOnly ? 'read-only' : '', item.status?.phase === 'Unavailable' ? 'unavailable' : '']
          .filter(Boolean).join(', ');
        return h('option', { value: nameOf(item), disabled: readOnly }, notes ? `${nameOf(item)} (${notes})` : nameOf(item));
      }));
  }).catch(() => {});
}
