// The dashboard's entry point: sign-in, the header, hash routing and the lifetime of each view.

import { checkToken, getJSON, paths } from './api.js';
import { h, replace } from './dom.js';
import { match, parseHash } from './router.js';
import { clearToken, getToken, setToken } from './session.js';
import { describeError, errorCallout, loading } from './ui.js';
import { backupDetailView } from './views/backup-detail.js';
import { backupsView } from './views/backups.js';
import { clustersView } from './views/clusters.js';
import { createBackupView } from './views/create-backup.js';
import { createRestoreView } from './views/create-restore.js';
import { locationsView } from './views/locations.js';
import { overviewView } from './views/overview.js';
import { restoreDetailView } from './views/restore-detail.js';
import { restoresView } from './views/restores.js';
import { schedulesView } from './views/schedules.js';
import { signInView } from './views/sign-in.js';

/**
 * What a view gets. Views render into their own `root`; when the user navigates away the context is disposed:
 * `signal` aborts pending requests and timers from `later` stop.
 *
 * @typedef {object} ViewContext
 * @property {Record<string, string>} params Route captures (`name`).
 * @property {URLSearchParams} query The hash's query (filters).
 * @property {AbortSignal} signal
 * @property {(ms: number, fn: Function) => number} later Runs `fn` after `ms` unless disposed; waits while the tab is hidden.
 * @property {(hash: string) => void} navigate Goes to a route (renders again when it is the current one).
 */

const routes = [
  { pattern: [], nav: 'overview', title: 'Overview', view: overviewView },
  { pattern: ['clusters'], nav: 'clusters', title: 'Clusters', view: clustersView },
  { pattern: ['locations'], nav: 'locations', title: 'Backup locations', view: locationsView },
  { pattern: ['backups'], nav: 'backups', title: 'Backups', view: backupsView },
  { pattern: ['backups', ':name'], nav: 'backups', title: 'Backup', view: backupDetailView },
  { pattern: ['new', 'backup'], nav: 'backups', title: 'Create backup', view: createBackupView },
  { pattern: ['restores'], nav: 'restores', title: 'Restores', view: restoresView },
  { pattern: ['restores', ':name'], nav: 'restores', title: 'Restore', view: restoreDetailView },
  { pattern: ['new', 'restore'], nav: 'restores', title: 'Create restore', view: createRestoreView },
  { pattern: ['schedules'], nav: 'schedules', title: 'Schedules', view: schedulesView },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const sessionBox = document.getElementById('session');
const caller = document.getElementById('caller');

let status = null;
let disposeCurrent = () => {};
let lastHash = null;

function makeContext(params, query) {
  const controller = new AbortController();
  const timers = new Set();
  const context = {
    params,
    query,
    signal: controller.signal,
    navigate(hash) {
      if (location.hash === hash) render(); else location.hash = hash;
    },
    later(ms, fn) {
      const run = () => {
        timers.delete(timer);
        if (controller.signal.aborted) return;
        if (document.hidden) {
          // Polling a hidden tab wastes the server's time; resume when it is visible again.
          document.addEventListener('visibilitychange', () => context.later(0, fn), { once: true });
          return;
        }
        fn();
      };
      const timer = setTimeout(run, ms);
      timers.add(timer);
      return timer;
    },
  };
  const dispose = () => {
    controller.abort();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  return { context, dispose };
}

function showSignedIn(signedIn) {
  nav.hidden = !signedIn;
  sessionBox.hidden = !signedIn;
  if (signedIn && status && status.caller) {
    replace(caller, h('span', { class: 'visually-hidden' }, 'Signed in as '), status.caller.name, ' ',
      h('span', { class: 'role' }, status.caller.role));
  } else {
    replace(caller);
  }
}

function highlightNav(key) {
  for (const link of nav.querySelectorAll('a[data-nav]')) {
    if (link.dataset.nav === key) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

function mountView(title, build, params = {}) {
  disposeCurrent();
  const root = h('div', { class: 'view' });
  replace(main, root);
  document.title = `${title} · Lifeboat`;
  const { context, dispose } = makeContext(params, parseHash(location.hash).query);
  disposeCurrent = dispose;
  build(root, context);
}

function showSignIn(message) {
  status = null;
  replace(document.getElementById('notices'));
  showSignedIn(false);
  highlightNav(null);
  mountView('Sign in', (root) => signInView(root, {
    message,
    async onToken(token) {
      const answer = await checkToken(token);
      setToken(token);
      status = answer;
      showSignedIn(true);
      render();
    },
  }));
}

async function render() {
  if (!getToken()) {
    showSignIn();
    return;
  }
  if (!status) {
    // A reload keeps the token (sessionStorage); fetch the caller again.
    replace(main, loading('Connecting…'));
    try {
      status = await getJSON(paths.status());
    } catch (error) {
      if (error.status === 401) return; // the unauthorized handler shows the sign-in form
      replace(main, errorCallout(error, { context: 'Cannot reach the Lifeboat API' }),
        h('button', { type: 'button', class: 'button button--primary', onclick: () => render() }, 'Try again'));
      return;
    }
  }
  showSignedIn(true);
  const { segments } = parseHash(location.hash);
  const found = match(routes, segments);
  if (!found) {
    highlightNav(null);
    mountView('Not found', (root) => replace(root, h('h1', {}, 'Page not found'),
      h('p', {}, 'There is no dashboard page at this address. ', h('a', { href: '#/' }, 'Go to the overview'), '.')));
    return;
  }
  highlightNav(found.route.nav);
  const title = found.params.name ? `${found.route.title} ${found.params.name}` : found.route.title;
  mountView(title, (root, context) => {
    try {
      found.route.view(root, context);
    } catch (error) {
      replace(root, errorCallout(error, { context: 'This page failed' }));
    }
  }, found.params);
  // Move focus to the new page for keyboard and screen-reader users (not on the first load).
  if (lastHash !== null) main.focus();
  lastHash = location.hash;
}

window.addEventListener('hashchange', () => render());

window.addEventListener('lifeboat:unauthorized', (event) => {
  const detail = event.detail && event.detail.message;
  showSignIn(`Your session ended: the server no longer accepts this token${detail ? ` (${detail})` : ''}. Sign in again.`);
});

document.getElementById('sign-out').addEventListener('click', () => {
  clearToken();
  showSignIn('You are signed out. The token was removed from this tab.');
});

window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  if (reason && (reason.name === 'AbortError' || reason.status === 401)) {
    event.preventDefault();
    return;
  }
  // Never print request details (they could carry a token); a one-line message is enough.
  console.warn('Lifeboat dashboard:', describeError(reason));
});

render();
