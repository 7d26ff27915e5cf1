/* Formatting of values and times, and the small DOM writers every view uses. */

export const STATE_LABEL = {online: 'Online', offline: 'Offline', pending: 'Pending'};
export const dash = '—';

export const $ = (id) => document.getElementById(id);

let clockOffsetMs = 0; // server time minus browser time

/** Takes the server's clock from a snapshot or a Date header (ISO text). */
export function setServerTime(iso) {
  clockOffsetMs = Date.parse(iso) - Date.now();
}

export function serverNow() {
  return Date.now() + clockOffsetMs;
}

export const percent = (value) => (value == null ? dash : `${value.toFixed(1)} %`);
export const celsius = (value) => (value == null ? dash : `${value.toFixed(0)} °C`);
export const count = (value) => (value == null ? dash : String(value));

export function ago(ms) {
  if (ms == null) {
    return 'never';
  }
  const seconds = Math.max(0, Math.floor((serverNow() - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function duration(sinceMs) {
  return sinceMs == null ? dash : span((serverNow() - sinceMs) / 1000);
}

export function absolute(iso) {
  return iso ? `${new Date(iso).toLocaleString()} (${iso})` : '';
}

export function models(node) {
  return (node.loaded_models || []).join(', ');
}

export function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function setTitle(element, title) {
  if (element.title !== title) {
    element.title = title;
  }
}

export function stateBadge(element, state) {
  setText(element, STATE_LABEL[state] || state);
  const className = `badge state-${state}`;
  if (element.className !== className) {
    element.className = className;
  }
}

// How a node is watched beyond its state: the badges beside the state, in this order.
const FLAGS = [
  ['maintenance', 'Maintenance', 'An admin put the node in maintenance: no timeout verdict, no offline alert'],
  ['flapping', 'Flapping', 'The node flips between online and offline too often (LLMLB_FLAP_THRESHOLD in LLMLB_FLAP_WINDOW)'],
  ['interval_exceeds_timeout', 'Slow beat', 'Its declared heartbeat interval is more than half its timeout'],
];

/** The flag badges (maintenance, flapping, slow beat) of {@code node} in {@code element}, rebuilt only when they change. */
export function flagBadges(element, node) {
  const set = FLAGS.filter(([field]) => node[field] === true);
  const key = set.map(([field]) => field).join(',');
  if (element.dataset.flags === key) {
    return;
  }
  element.dataset.flags = key;
  element.replaceChildren(...set.map(([field, label, title]) => {
    const badge = document.createElement('span');
    badge.className = `flag flag-${field}`;
    badge.textContent = label;
    badge.title = title;
    return badge;
  }));
}

/** Whole seconds as "45s", "5m 02s", "3h 07m", "2d 4h". */
export function span(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const pad = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
}

/**
 * The deadline clock of a node: time left (online), overdue (online past its deadline: the
 * detector holds its verdicts or is about to judge), or time offline.
 */
export function deadlineClock(node) {
  const now = serverNow();
  if (node.deadlineMs != null) {
    const left = (node.deadlineMs - now) / 1000;
    return left >= 0 ? {text: `in ${span(left)}`, overdue: false} : {text: `${span(-left)} over`, overdue: true};
  }
  if (node.offlineSinceMs != null) {
    return {text: `offline ${span((now - node.offlineSinceMs) / 1000)}`, overdue: false};
  }
  return {text: dash, overdue: false};
}

/** Whether the node's figures are older than its last heartbeat deadline (offline, or online past it). */
export function isStale(node) {
  return node.state === 'offline' || (node.deadlineMs != null && serverNow() > node.deadlineMs);
}
