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
  if (sinceMs == null) {
    return dash;
  }
  const s = Math.max(0, Math.floor((serverNow() - sinceMs) / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
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
