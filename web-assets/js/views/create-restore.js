// Create a restore from a backup: target cluster, namespaces and mappings, existing-resource policy and preview,
// as `lifeboat restore create --from-backup` takes them. POST /v1/restores.

import { listAll, paths, postJSON } from '../api.js';
import { h, replace } from '../dom.js';
import { commaList, defaultRestoreName, namespaceMappings, nameOf } from '../format.js';
import { href } from '../router.js';
import { field, notify, select } from '../ui.js';
import { FieldProblem, checkbox, radioGroup, textInput, wireForm } from './forms.js';

export function createRestoreView(root, context) {
  const signal = context.signal;
  const wanted = context.query.get('backup') || '';
  const backups = new Map(); // name → backup, for the cluster hint
  const backup = select({ class: 'input', required: true, 'data-field': 'spec.backupName', options: [{ value: wanted, label: wanted || 'Loading backups…' }] });
  const name = textInput('metadata.name', { required: true, value: wanted ? defaultRestoreName(wanted) : '' });
  let nameEdited = false;
  name.addEventListener('input', () => { nameEdited = true; });
  const cluster = select({ class: 'input', 'data-field': 'spec.cluster', options: [{ value: '', label: "The backup's cluster" }] });
  const includedNamespaces = textInput('spec.includedNamespaces', { placeholder: '* (all)' });
  const excludedNamespaces = textInput('spec.excludedNamespaces', { placeholder: 'none' });
  const mappings = textInput('spec.namespaceMapping', { placeholder: 'shop:shop-restored,db:db-copy' });
  const policy = radioGroup({
    legend: 'When a resource already exists', path: 'spec.existingResourcePolicy', value: 'none',
    options: [
      { value: 'none', label: 'Keep it (none)' },
      { value: 'update', label: 'Update it (update)' },
    ],
    hint: 'Velero never overwrites by default; update patches existing objects to match the backup.',
  });
  const preview = checkbox({
    label: 'Preview only', path: 'spec.preview',
    hint: 'Plan the restore and report, per item, what would be created, updated or skipped; nothing in the cluster changes.',
  });
  const summary = h('div', { tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Create restore');
  const body = h('pre', { class: 'code' });

  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Create restore' },
    summary,
    h('div', { class: 'form-grid' },
      field({ label: 'Backup', control: backup, hint: 'Completed and partially failed backups can be restored.' }),
      field({ label: 'Name', control: name, hint: 'Default: <backup>-<YYYYMMDDhhmmss> (UTC), as Velero names restores.' }),
      field({ label: 'Target cluster', control: cluster, hint: "Another cluster than the backup's makes this a migration." })),
    h('fieldset', { class: 'group' },
      h('legend', {}, 'What to restore'),
      h('div', { class: 'form-grid' },
        field({ label: 'Included namespaces', control: includedNamespaces, hint: 'Comma-separated; globs allowed. Empty: all in the backup.' }),
        field({ label: 'Excluded namespaces', control: excludedNamespaces, hint: 'Comma-separated.' }),
        field({ label: 'Namespace mappings', control: mappings, hint: 'source:target pairs, comma-separated.' }))),
    policy.element,
    preview.element,
    h('details', { class: 'raw' }, h('summary', {}, 'Request body'), body),
    h('div', { class: 'actions' }, submit, h('a', { class: 'button button--secondary', href: href(['restores']) }, 'Cancel')));

  function build() {
    const spec = { backupName: backup.value };
    if (cluster.value) spec.cluster = cluster.value;
    const included = commaList(includedNamespaces.value);
    if (included.length) spec.includedNamespaces = included;
    const excluded = commaList(excludedNamespaces.value);
    if (excluded.length) spec.excludedNamespaces = excluded;
    try {
      const mapping = namespaceMappings(mappings.value);
      if (Object.keys(mapping).length) spec.namespaceMapping = mapping;
    } catch (error) {
      throw new FieldProblem(mappings, error.message);
    }
    spec.existingResourcePolicy = policy.value();
    if (preview.input.checked) spec.preview = true;
    return { metadata: { name: name.value.trim() }, spec };
  }

  function backupChanged() {
    if (!nameEdited && backup.value) name.value = defaultRestoreName(backup.value);
    const source = backups.get(backup.value);
    const sourceCluster = source?.spec?.cluster;
    const first = cluster.options[0];
    if (first) first.textContent = sourceCluster ? `The backup's cluster (${sourceCluster})` : "The backup's cluster";
  }
  backup.addEventListener('change', backupChanged);

  wireForm({
    form, summary, submit, preview: body, previewBody: build,
    build: () => {
      const request = build();
      if (!request.spec.backupName) throw new FieldProblem(backup, 'Choose the backup to restore.');
      if (!request.metadata.name) throw new FieldProblem(name, 'A name is required.');
      return request;
    },
    send: async (request) => {
      const restore = await postJSON(paths.restores(), request, { signal });
      notify(`Restore ${nameOf(restore)} queued${request.spec.preview ? ' (preview)' : ''}.`, { tone: 'success' });
      context.navigate(href(['restores', nameOf(restore)]));
    },
  });

  replace(root,
    h('p', { class: 'breadcrumbs' }, h('a', { href: href(['restores']) }, 'Restores'), ' / new'),
    h('h1', {}, 'Create restore'),
    form);
  (wanted ? name : backup).focus();

  Promise.all([
    listAll(paths.backups(), { phase: 'Completed' }, { signal }),
    listAll(paths.backups(), { phase: 'PartiallyFailed' }, { signal }),
  ]).then(([completed, partial]) => {
    const items = [...completed.items, ...partial.items]
      .sort((a, b) => String(b.metadata?.creationTimestamp || '').localeCompare(String(a.metadata?.creationTimestamp || '')));
    for (const item of items) backups.set(nameOf(item), item);
    const options = items.map((item) => h('option', { value: nameOf(item), selected: nameOf(item) === wanted },
      `${nameOf(item)}${item.spec?.cluster ? ` · ${item.spec.cluster}` : ''}${item.status?.phase === 'PartiallyFailed' ? ' (partially failed)' : ''}`));
    if (wanted && !backups.has(wanted)) options.unshift(h('option', { value: wanted, selected: true }, `${wanted} (not restorable yet?)`));
    replace(backup, h('option', { value: '', selected: !wanted }, items.length ? 'Choose a backup' : 'No completed backups'), options);
    backupChanged();
    form.dispatchEvent(new Event('change'));
  }).catch(() => {
    if (!wanted) replace(backup, h('option', { value: '' }, 'Could not load backups'));
  });

  listAll(paths.clusters(), {}, { signal }).then(({ items }) => {
    const first = cluster.options[0]?.textContent || "The backup's cluster";
    replace(cluster, h('option', { value: '' }, first), items.map((item) => h('option', { value: nameOf(item) }, nameOf(item))));
  }).catch(() => {});
}
