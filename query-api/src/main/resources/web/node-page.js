/* A node's page (#/nodes/{id}): its facts, latest metrics, actions and recent transitions. */

import {actionButtons, showButtons} from './actions.js';
import {api, isAdmin} from './api.js';
import {
  $, STATE_LABEL, absolute, ago, celsius, count, dash, deadlineClock, duration, flagBadges, isStale, percent,
  serverNow, setText, stateBadge,
} from './format.js';
import {haveSnapshot, nodes} from './store.js';
import {COLOURS, HOUR_S, epochSeconds, lineChart} from './charts.js';

let detailId = null;
let detailLinkBroken = false; // the link's id is not valid percent-encoding (#/nodes/%E0%A4%A)
let detailShown = null; // the node object the detail view last showed
let detailFetchedFor = null; // state/approved of the node when its transitions were fetched
let historyTimer = null;
let charts = null; // made on first use: uPlot needs the page laid out
let marks = []; // the shown node's transitions: [{at (epoch s), state}]
const HISTORY_REFRESH_MS = 30000;

/** The id of the node whose page is open, or null. */
export function openNodeId() {
  return detailId;
}

/** Opens the page for the id in a #/nodes/{id} link (still percent-encoded), or closes it (null). */
export function openNodePage(encodedId) {
  detailLinkBroken = false;
  detailId = null;
  if (encodedId !== null) {
    try {
      detailId = decodeURIComponent(encodedId);
    } catch (e) {
      // A hand-made or truncated link: say so instead of throwing URIError and showing nothing.
      detailId = encodedId;
      detailLinkBroken = true;
    }
  }
  clearInterval(historyTimer);
  historyTimer = null;
  if (detailId !== null) {
    marks = [];
    $('chart-usage').dataset.points = '';
    $('chart-state').dataset.transitions = '';
    if (!detailLinkBroken) {
      historyTimer = setInterval(() => fetchHistory(detailId), HISTORY_REFRESH_MS);
      fetchHistory(detailId);
    }
    detailShown = null;
    detailFetchedFor = null;
    $('detail-message').hidden = true;
    $('detail-transitions').hidden = true;
    $('detail-no-transitions').hidden = true;
    const actions = $('detail-actions');
    actions.replaceChildren();
    actions.buttons = isAdmin() && !detailLinkBroken ? actionButtons(actions, detailId) : null;
  }
}

/** Redraws the clock-driven facts (called once a second). */
export function tickNodePage() {
  if (detailId && nodes.has(detailId)) {
    renderDetailFacts(nodes.get(detailId));
  }
}

function addFact(list, term, text, title) {
  const dt = list.appendChild(document.createElement('dt'));
  dt.textContent = term;
  const dd = list.appendChild(document.createElement('dd'));
  dd.textContent = text;
  if (title) {
    dd.title = title;
  }
  return dd;
}

export function renderNodePage() {
  if (detailId === null) {
    return;
  }
  const node = detailLinkBroken ? undefined : nodes.get(detailId);
  $('detail-body').hidden = !node;
  $('detail-missing').hidden = Boolean(node);
  if (detailLinkBroken) {
    setText($('detail-missing'), 'Node not found: this link does not name a node.');
    return;
  }
  if (!node) {
    setText($('detail-missing'), haveSnapshot() ? `Node ${detailId} is not known (it may have been deleted).` : 'Loading…');
    return;
  }
  if (node === detailShown) {
    return;
  }
  detailShown = node;
  setText($('detail-id'), node.id);
  stateBadge($('detail-state'), node.state);
  flagBadges($('detail-flags'), node);
  setText($('detail-machine'), node.machine_name || '');
  showButtons($('detail-actions').buttons, node);
  renderDetailFacts(node);
  const metrics = $('detail-metrics');
  metrics.replaceChildren();
  // Offline: the figures are the last heartbeat's, however old; say so before them.
  metrics.classList.toggle('stale', isStale(node));
  if (isStale(node) && node.last_seen) {
    addFact(metrics, 'Stale', `from the last heartbeat, ${ago(node.lastSeenMs)}`, absolute(node.last_seen));
  }
  const gpu = node.gpu_metrics || {};
  const system = node.system_metrics || {};
  addFact(metrics, 'GPU usage', percent(gpu.usage));
  addFact(metrics, 'VRAM usage', percent(gpu.vram_usage));
  addFact(metrics, 'GPU temperature', celsius(gpu.temperature));
  addFact(metrics, 'CPU usage', percent(system.cpu_usage));
  addFact(metrics, 'Memory usage', percent(system.memory_usage));
  addFact(metrics, 'Active requests', count(node.active_requests));
  const list = addFact(metrics, 'Loaded models', node.loaded_models && node.loaded_models.length ? '' : dash);
  if (node.loaded_models && node.loaded_models.length) {
    const ul = list.appendChild(document.createElement('ul'));
    ul.className = 'models-list';
    node.loaded_models.forEach((model) => {
      ul.appendChild(document.createElement('li')).textContent = model;
    });
  }
  // A transition changes the state; fetch the detail again for its reason.
  const fetchedFor = `${node.state}/${node.approved}`;
  if (fetchedFor !== detailFetchedFor) {
    detailFetchedFor = fetchedFor;
    fetchTransitions(node.id);
  }
}

function renderDetailFacts(node) {
  const facts = $('detail-facts');
  facts.replaceChildren();
  addFact(facts, 'State', STATE_LABEL[node.state] || node.state);
  addFact(facts, 'Approved', node.approved ? 'yes' : 'no');
  addFact(facts, 'Last seen', ago(node.lastSeenMs), absolute(node.last_seen));
  addFact(facts, 'Uptime', duration(node.onlineSinceMs), absolute(node.online_since));
  addFact(facts, 'Deadline', deadlineClock(node).text, node.deadline || node.state_since || '');
  addFact(facts, 'Heartbeats', count(node.heartbeats));
  addFact(facts, 'Timeouts', count(node.timeouts));
  addFact(facts, 'Registered', node.registered_at ? new Date(node.registered_at).toLocaleString() : dash,
    node.registered_at);
  const labels = Object.entries(node.labels || {}).map(([key, value]) => `${key}=${value}`).join(', ');
  addFact(facts, 'Labels', labels || dash);
}

// Transitions come from another topic than the state and may trail it by a moment: when the
// newest one does not lead to the state shown, ask again shortly, a few times.
async function fetchTransitions(id, attempt = 0) {
  let detail;
  try {
    detail = (await api('GET', `/v0/nodes/${encodeURIComponent(id)}`)).body;
  } catch (e) {
    return;
  }
  if (id !== detailId) {
    return;
  }
  const transitions = Array.isArray(detail.transitions) ? detail.transitions : null;
  renderTransitions(transitions);
  const newest = transitions && transitions[transitions.length - 1];
  const node = nodes.get(id);
  if (transitions && node && (!newest || newest.to !== node.state) && attempt < 5) {
    setTimeout(() => id === detailId && fetchTransitions(id, attempt + 1), 1000);
  }
}

// Newest first; the API lists them oldest first.
function renderTransitions(transitions) {
  const table = $('detail-transitions');
  table.hidden = !transitions || transitions.length === 0;
  $('detail-no-transitions').hidden = !table.hidden;
  $('detail-no-transitions').textContent = transitions
    ? 'No transitions recorded yet.' : 'This server does not report transition history.';
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const change of [...(transitions || [])].reverse()) {
    const tr = body.appendChild(document.createElement('tr'));
    const at = tr.appendChild(document.createElement('td'));
    at.textContent = change.at ? new Date(change.at).toLocaleString() : dash;
    at.title = change.at || '';
    tr.appendChild(document.createElement('td')).textContent = STATE_LABEL[change.from] || change.from || dash;
    tr.appendChild(document.createElement('td')).textContent = STATE_LABEL[change.to] || change.to || dash;
    tr.appendChild(document.createElement('td')).textContent = change.reason || dash;
  }
}


// ---------------------------------------------------------------- the node's last hour

function makeCharts() {
  const marked = () => marks;
  return {
    usage: lineChart($('chart-usage'), [
      {label: 'GPU', colour: COLOURS.gpu},
      {label: 'VRAM', colour: COLOURS.vram},
      {label: 'CPU', colour: COLOURS.cpu},
      {label: 'Memory', colour: COLOURS.memory},
    ], {y: '%'}, {marks: marked, yMax: 100}),
    load: lineChart($('chart-load'), [
      {label: 'Temperature', colour: COLOURS.temperature},
      {label: 'Active requests', colour: COLOURS.active, scale: 'y2', stepped: true},
    ], {y: '°C', y2: 'requests'}, {marks: marked}),
    state: lineChart($('chart-state'), [
      {label: 'State (2 online, 1 pending, 0 offline)', colour: COLOURS.online, stepped: true},
    ], {y: 'state'}, {height: 90, marks: marked, yMax: 2.2}),
  };
}

const STATE_LEVEL = {online: 2, pending: 1, offline: 0};

async function fetchHistory(id) {
  let history;
  try {
    history = (await api('GET', `/v0/nodes/${encodeURIComponent(id)}/history`)).body;
  } catch (e) {
    if (id === detailId) {
      $('history-message').hidden = false;
      $('history-message').textContent = `History unavailable: ${e.message}`;
    }
    return;
  }
  if (id !== detailId) {
    return;
  }
  charts = charts || makeCharts();
  const x = epochSeconds(history.at);
  $('history-message').hidden = x.length > 0;
  $('history-message').textContent = 'No metrics recorded in the last hour.';
  marks = history.transitions
    .map((change) => ({at: Date.parse(change.at) / 1000, state: change.to}))
    .filter((mark) => mark.state);
  charts.usage.setData(x, [history.gpu, history.vram, history.cpu, history.memory]);
  charts.load.setData(x, [history.temperature, history.active_requests]);
  const state = stateSteps(history.transitions, nodes.get(id));
  charts.state.setData(state.x, [state.level]);
  $('chart-state').dataset.transitions = String(marks.filter((mark) => mark.at >= serverNow() / 1000 - HOUR_S).length);
}

// The state as a step line over the hour: the level before the first transition, each
// transition, and the current state up to now.
function stateSteps(transitions, node) {
  const now = serverNow() / 1000;
  const from = now - HOUR_S;
  const x = [];
  const level = [];
  const inHour = transitions.filter((change) => Date.parse(change.at) / 1000 >= from && change.to);
  const first = inHour[0];
  const before = first ? first.from : node && node.state;
  if (before) {
    x.push(from);
    level.push(STATE_LEVEL[before]);
  }
  for (const change of inHour) {
    x.push(Date.parse(change.at) / 1000);
    level.push(STATE_LEVEL[change.to]);
  }
  if (level.length) {
    x.push(now);
    level.push(level[level.length - 1]);
  }
  return {x, level};
}

/** Stops refreshing the node's history (logout). */
export function closeNodePage() {
  clearInterval(historyTimer);
  historyTimer = null;
  detailId = null;
}
