// Pure formatting helpers (no DOM), shared by the views: Velero's column formats, phases and small parsers.

/** Backup and restore phases in which the job has not finished yet; views poll while one is shown. */
export const ACTIVE_PHASES = new Set([
  'New', 'Queued', 'ReadyToStart', 'InProgress',
  'WaitingForPluginOperations', 'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing', 'FinalizingPartiallyFailed', 'Deleting',
]);

/** BackupPhase of the contract, in lifecycle order. */
export const BACKUP_PHASES = [
  'New', 'Queued', 'ReadyToStart', 'FailedValidation', 'InProgress', 'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed', 'Finalizing', 'FinalizingPartiallyFailed', 'Completed',
  'PartiallyFailed', 'Failed', 'Deleting',
];

/** RestorePhase of the contract. */
export const RESTORE_PHASES = [
  'New', 'FailedValidation', 'InProgress', 'WaitingForPluginOperations', 'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing', 'FinalizingPartiallyFailed', 'Completed', 'PartiallyFailed', 'Failed',
];

/** How often a view polls while a job runs. */
export const POLL_MILLISECONDS = 3000;

/** The phase of an object; the server omits it only before the first status write, which is New. */
export function phaseOf(object, fallback = 'New') {
  return (object && object.status && object.status.phase) || fallback;
}

/** Whether `phase` is a job that is still running (or queued). */
export function isActive(phase) {
  return ACTIVE_PHASES.has(phase);
}

/** A tone for a phase badge: ok, warn, bad, active or neutral. */
export function phaseTone(phase) {
  if (isActive(phase)) return phase === 'Deleting' ? 'warn' : 'active';
  if (['Completed', 'Available', 'Ready', 'Enabled'].includes(phase)) return 'ok';
  if (['PartiallyFailed', 'Pending'].includes(phase)) return 'warn';
  if (['Failed', 'FailedValidation', 'Unavailable', 'Unreachable'].includes(phase)) return 'bad';
  return 'neutral';
}

function pad(number, width = 2) {
  return String(number).padStart(width, '0');
}

/** Velero's timestamp format, `2026-01-02 03:04:05 +0000 UTC`; '' when unset. */
export function veleroTime(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000 UTC`;
}

/** Time until `value` as Velero's EXPIRES column shows it (`29d`, `5h`, `12m`, `40s`); '' when unset. */
export function expiresIn(value, now = Date.now()) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const seconds = Math.floor((date.getTime() - now) / 1000);
  if (seconds <= 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** A label selector object as text (`app=web,tier notin (db)`), `<none>` when empty, as Velero's SELECTOR column. */
export function selectorText(selector) {
  if (!selector) return '<none>';
  const labels = selector.matchLabels || {};
  const parts = Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`);
  for (const requirement of selector.matchExpressions || []) {
    const values = (requirement.values || []).join(',');
    switch (requirement.operator) {
      case 'In': parts.push(`${requirement.key} in (${values})`); break;
      case 'NotIn': parts.push(`${requirement.key} notin (${values})`); break;
      case 'Exists': parts.push(requirement.key); break;
      case 'DoesNotExist': parts.push(`!${requirement.key}`); break;
      default: parts.push(`${requirement.key} ${requirement.operator} (${values})`);
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Bytes in binary units, `1.5 MiB`. */
export function bytes(value) {
  if (value === undefined || value === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = Number(value);
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(size < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `a, b ,c` → `['a', 'b', 'c']` (Velero's comma lists); empty entries are dropped. */
export function commaList(text) {
  return String(text || '').split(',').map((part) => part.trim()).filter(Boolean);
}

/** `src1:dst1,src2:dst2` → `{src1: 'dst1', src2: 'dst2'}`, as `--namespace-mappings`; throws on a malformed pair. */
export function namespaceMappings(text) {
  const mapping = {};
  for (const pair of commaList(text)) {
    const parts = pair.split(':');
    if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) throw new Error(`expected source:target, got '${pair}'`);
    mapping[parts[0].trim()] = parts[1].trim();
  }
  return mapping;
}

/** `k=v,k2=v2` → `{k: 'v', k2: 'v2'}` (labels); throws on an entry without `=`. */
export function labelMap(text) {
  const labels = {};
  for (const pair of commaList(text)) {
    const index = pair.indexOf('=');
    if (index <= 0) throw new Error(`expected key=value, got '${pair}'`);
    labels[pair.slice(0, index).trim()] = pair.slice(index + 1).trim();
  }
  return labels;
}

/** Velero's default restore name `<backup>-<YYYYMMDDhhmmss>` (UTC). */
export function defaultRestoreName(backup, now = new Date()) {
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
    + `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${backup}-${stamp}`;
}

/** A Kubernetes object's name, or '' when it has none. */
export function nameOf(object) {
  return (object && object.metadata && object.metadata.name) || '';
}
