// Schedules: the columns of `lifeboat schedule get`, with pause/unpause and "run now" (trigger).

import { paths, postJSON } from '../api.js';
import { h, replace } from '../dom.js';
import { nameOf, phaseOf, selectorText } from '../format.js';
import { href } from '../router.js';
import { actionButton, notify, pagedList, phaseBadge, timeText } from '../ui.js';

export function schedulesView(root, context) {
  const signal = context.signal;
  let listing;

  function actions(schedule) {
    const name = nameOf(schedule);
    const paused = schedule.spec?.paused === true;
    return h('div', { class: 'actions actions--tight' },
      paused
        ? actionButton('Unpause', async () => {
          await postJSON(paths.scheduleUnpause(name), undefined, { signal });
          notify(`Schedule ${name} unpaused.`, { tone: 'success' });
          listing.reload();
        }, { busyLabel: 'Unpausing…', title: `Unpause schedule ${name}` })
        : actionButton('Pause', async () => {
          await postJSON(paths.schedulePause(name), undefined, { signal });
          notify(`Schedule ${name} paused.`, { tone: 'success' });
          listing.reload();
        }, { busyLabel: 'Pausing…', title: `Pause schedule ${name}` }),
      actionButton('Run now', async () => {
        const backup = await postJSON(paths.scheduleTrigger(name), undefined, { signal });
        const backupName = nameOf(backup);
        notify(`Backup ${backupName} queued from schedule ${name}.`, { tone: 'success', link: { href: href(['backups', backupName]), text: 'Open' } });
        listing.reload();
      }, { tone: 'primary', busyLabel: 'Queuing…', title: `Back up now from schedule ${name}` }));
  }

  listing = pagedList({
    context, path: paths.schedules(), query: { limit: 100 }, caption: 'Schedules', empty: 'No schedules (lifeboat schedule create).',
    columns: [
      { header: 'Name', cell: nameOf },
      { header: 'Status', cell: (schedule) => phaseBadge(phaseOf(schedule)) },
      { header: 'Created', cell: (schedule) => timeText(schedule.metadata?.creationTimestamp) },
      { header: 'Schedule', cell: (schedule) => h('code', {}, schedule.spec?.schedule || '') },
      { header: 'Backup TTL', cell: (schedule) => schedule.spec?.template?.ttl || '0s' },
      { header: 'Last backup', cell: (schedule) => (schedule.status?.lastBackup ? timeText(schedule.status.lastBackup) : 'n/a') },
      { header: 'Next run', cell: (schedule) => (schedule.spec?.paused ? h('span', { class: 'muted' }, 'paused') : timeText(schedule.status?.nextRun)) },
      { header: 'Cluster', cell: (schedule) => schedule.spec?.template?.cluster || '' },
      { header: 'Selector', cell: (schedule) => selectorText(schedule.spec?.template?.labelSelector) },
      { header: 'Paused', cell: (schedule) => String(schedule.spec?.paused === true) },
      { header: 'Actions', cell: actions },
    ],
  });

  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Schedules')), listing);
}
