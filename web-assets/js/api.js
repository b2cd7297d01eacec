// The one module that knows the Lifeboat API: every `/v1/...` path the dashboard calls is in `paths` below, and
// each one is checked against openapi/lifeboat.yaml by Tests/LifeboatServerTests/DashboardTests.swift.
// Errors are `application/problem+json` (RFC 9457) and surface as `ApiError`.

import { clearToken, getToken } from './session.js';

const segment = encodeURIComponent;

/** API paths, exactly as in openapi/lifeboat.yaml. */
export const paths = Object.freeze({
  status: () => `/v1/status`,

  clusters: () => `/v1/clusters`,
  cluster: (name) => `/v1/clusters/${segment(name)}`,

  locations: () => `/v1/backup-locations`,
  location: (name) => `/v1/backup-locations/${segment(name)}`,

  backups: () => `/v1/backups`,
  backup: (name) => `/v1/backups/${segment(name)}`,
  backupLogs: (name) => `/v1/backups/${segment(name)}/logs`,
  backupResources: (name) => `/v1/backups/${segment(name)}/resources`,
  backupResults: (name) => `/v1/backups/${segment(name)}/results`,
  backupDownload: (name) => `/v1/backups/${segment(name)}/download`,
  backupCancel: (name) => `/v1/backups/${segment(name)}/cancel`,

  restores: () => `/v1/restores`,
  restore: (name) => `/v1/restores/${segment(name)}`,
  restoreLogs: (name) => `/v1/restores/${segment(name)}/logs`,
  restoreResults: (name) => `/v1/restores/${segment(name)}/results`,
  restoreItems: (name) => `/v1/restores/${segment(name)}/items`,
  restoreCancel: (name) => `/v1/restores/${segment(name)}/cancel`,

  schedules: () => `/v1/schedules`,
  schedule: (name) => `/v1/schedules/${segment(name)}`,
  schedulePause: (name) => `/v1/schedules/${segment(name)}/pause`,
  scheduleUnpause: (name) => `/v1/schedules/${segment(name)}/unpause`,
  scheduleTrigger: (name) => `/v1/schedules/${segment(name)}/trigger`,
});

/** The list query parameters of the contract; anything else is not sent. */
const LIST_PARAMETERS = ['limit', 'continue', 'cluster', 'phase', 'labelSelector'];

/** The largest page the server allows (`limit` maximum). */
export const MAX_LIMIT = 1000;

/** A failed API call, carrying the problem document the server answered with. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server could not be reached.
   * @param {{title?: string, detail?: string, type?: string, instance?: string, errors?: {field: string, reason: string}[]}} problem
   */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title || (status ? `HTTP ${status}` : 'Network error');
    this.detail = problem.detail || '';
    this.type = problem.type || '';
    this.instance = problem.instance || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && typeof e.field === 'string') : [];
  }

  /** 403: a known token whose role is too small. */
  get forbidden() {
    return this.status === 403;
  }
}

/** Builds `?a=b&...` from the list parameters that are set. */
export function listQuery(query = {}) {
  const search = new URLSearchParams();
  for (const key of LIST_PARAMETERS) {
    const value = query[key];
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function readProblem(response) {
  const type = response.headers.get('Content-Type') || '';
  try {
    if (type.includes('json')) {
      const body = await response.json();
      if (body && typeof body === 'object') return body;
    }
    const text = (await response.text()).trim();
    return { title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 500) };
  } catch {
    return { title: response.statusText || `HTTP ${response.status}` };
  }
}

function signalUnauthorized(error) {
  clearToken();
  window.dispatchEvent(new CustomEvent('lifeboat:unauthorized', { detail: { message: error.detail || error.title } }));
}

/**
 * Sends one request with the tab's bearer token and answers the `Response` when it is 2xx.
 * A 401 signs the tab out (the app then shows the sign-in form); every non-2xx answer throws `ApiError`.
 */
async function request(method, path, { body, accept = 'application/json', signal, token = getToken(), signOutOn401 = true } = {}) {
  if (!token) {
    const error = new ApiError(401, { title: 'Unauthorized', detail: 'sign in with an API token first' });
    signalUnauthorized(error);
    throw error;
  }
  const headers = { Authorization: `Bearer ${token}`, Accept: `${accept}, application/problem+json` };
  const init = { method, headers, signal, cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (cause && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { title: 'Network error', detail: 'the Lifeboat server could not be reached' });
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await readProblem(response));
    if (response.status === 401 && signOutOn401) signalUnauthorized(error);
    throw error;
  }
  return response;
}

async function json(method, path, options) {
  const response = await request(method, path, options);
  if (response.status === 204) return null;
  return response.json();
}

/** GET `path` and decode JSON. */
export function getJSON(path, options) {
  return json('GET', path, options);
}

/** GET `path` as text (logs). */
export async function getText(path, options) {
  const response = await request('GET', path, { ...options, accept: 'text/plain' });
  return response.text();
}

/** POST `body` (or nothing) to `path` and decode the JSON answer. */
export function postJSON(path, body, options) {
  return json('POST', path, { ...options, body });
}

/** DELETE `path`; answers the decoded body when there is one (a backup in phase Deleting). */
export function deleteObject(path, options) {
  return json('DELETE', path, options);
}

/** One page of a list: `{items, continue}`. */
export function listPage(path, query, options) {
  return getJSON(path + listQuery(query), options);
}

/**
 * Every item of a list, following `continue` tokens, up to `maxPages` pages of `MAX_LIMIT`.
 * Answers `{items, complete}`; `complete` is false when it stopped at `maxPages`.
 */
export async function listAll(path, query = {}, { maxPages = 10, signal } = {}) {
  const items = [];
  let token;
  for (let page = 0; page < maxPages; page += 1) {
    const list = await listPage(path, { ...query, limit: MAX_LIMIT, continue: token }, { signal });
    items.push(...(list.items || []));
    token = list.continue;
    if (!token) return { items, complete: true };
  }
  return { items, complete: false };
}

/** `GET /v1/status` with a pasted token that is not stored yet: how sign-in checks it. A 401 here signs nobody out. */
export function checkToken(token, options) {
  return json('GET', paths.status(), { ...options, token, signOutOn401: false });
}

/**
 * Downloads a backup's tarball with the token and hands it to the browser as a file.
 * The server aborts the response when the tarball does not match its recorded checksum; that surfaces as an error
 * here, and nothing is saved.
 */
export async function downloadBackup(name, { signal } = {}) {
  const response = await request('GET', paths.backupDownload(name), { accept: 'application/gzip', signal });
  let blob;
  try {
    blob = await response.blob();
  } catch (cause) {
    if (cause && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {
      title: 'Download aborted',
      detail: 'the transfer stopped before the end (the tarball may not match its recorded checksum); nothing was saved',
    });
  }
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `${name}.tar.gz`;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Give the browser a moment to start saving before the blob is released.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return blob.size;
}
