/*
 * llmlb health dashboard: plain JavaScript, no build step, no third-party code.
 *
 * Session: the JWT from POST /v0/auth/login is kept in sessionStorage. It survives a reload of
 * the tab (an operator's F5 must not log them out) but not the closing of the tab, is not shared
 * with other tabs (unlike localStorage), and is dropped when it expires or on a 401.
 * What protects it from script injection is that no script but this file can run: every value a
 * node sends is written with textContent (never innerHTML), and the server's
 * Content-Security-Policy allows scripts from this origin only, no inline code.
 *
 * Live updates: GET /v0/events is read with fetch() and a ReadableStream, not EventSource,
 * because EventSource cannot send an Authorization header and a token in the query string would
 * end up in access logs and browser history. The stream starts with a snapshot of every node,
 * then sends each change; when it breaks, we reconnect with backoff and poll GET /v0/nodes every
 * 5 s until the stream is back.
 *
 * Rendering: one <tr> per node, kept in a Map and updated cell by cell (only cells whose text
 * changed are written); changes are applied at most once per animation frame; one click listener
 * on the table body serves every row; rows off screen are skipped by the browser's layout (see
 * app.css) and by the once-a-second clock (see screenWatcher).
 */

const SESSION_KEY = 'llmlb.session';
const POLL_EVERY_MS = 5000;
const STREAM_SILENCE_MS = 45000; // the server sends a keep-alive every 15 s
const STATE_LABEL = {online: 'Online', offline: 'Offline', pending: 'Pending'};
const STATE_RANK = {offline: 0, pending: 1, online: 2};

const $ = (id) => document.getElementById(id);

let session = loadSession();
let clockOffsetMs = 0; // server time minus browser time
const nodes = new Map(); // id -> node as sent by the API, plus parsed times
const rows = new Map(); // id -> {tr, cells, buttons}
const sort = {key: 'id', descending: false};
let haveSnapshot = false; // whether nodes holds the server's list yet
let renderScheduled = false;
let detailId = null;
let detailLinkBroken = false; // the link's id is not valid percent-encoding (#/nodes/%E0%A4%A)
let detailShown = null; // the node object the detail view last showed
let detailFetchedFor = null; // state/approved of the node when its transitions were fetched
let expiryTimer = null;

// ---------------------------------------------------------------- session and API

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    return saved && saved.expiresAt > Date.now() ? saved : null;
  } catch (e) {
    return null;
  }
}

function isAdmin() {
  return session !== null && session.user.role === 'admin';
}

async function login(username, password) {
  const response = await fetch('/v0/auth/login', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username, password}),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || `login failed (HTTP ${response.status})`);
  }
  session = {token: body.token, user: body.user, expiresAt: Date.now() + body.expires_in * 1000};
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

function logout(reason) {
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
  clearTimeout(expiryTimer);
  live.stop();
  haveSnapshot = false;
  nodes.clear();
  rows.forEach((row, id) => dropRow(id, row));
  $('login-error').textContent = reason || '';
  route();
}

async function api(method, path) {
  const response = await fetch(path, {method, headers: {Authorization: `Bearer ${session.token}`}});
  if (response.status === 401) {
    logout('Your session has ended. Please log in again.');
    throw new Error('not logged in');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && body.error) || `HTTP ${response.status}`);
  }
  return {body, date: response.headers.get('Date')};
}

// ---------------------------------------------------------------- node data

function setNode(node) {
  node.lastSeenMs = node.last_seen ? Date.parse(node.last_seen) : null;
  node.onlineSinceMs = node.state === 'online' && node.online_since ? Date.parse(node.online_since) : null;
  nodes.set(node.id, node);
  scheduleRender();
}

function removeNode(id) {
  nodes.delete(id);
  scheduleRender();
}

function replaceAll(list, serverTime) {
  if (serverTime) {
    clockOffsetMs = Date.parse(serverTime) - Date.now();
  }
  haveSnapshot = true;
  const seen = new Set(list.map((node) => node.id));
  [...nodes.keys()].filter((id) => !seen.has(id)).forEach(removeNode);
  list.forEach(setNode);
}

function serverNow() {
  return Date.now() + clockOffsetMs;
}

// ---------------------------------------------------------------- live stream, polling as fallback

const live = {
  generation: 0,
  controller: null,
  pollTimer: null,

  start() {
    this.stop();
    const generation = ++this.generation;
    this.run(generation);
  },

  stop() {
    this.generation++;
    if (this.controller) {
      this.controller.abort();
    }
    this.stopPolling();
    setLiveStatus(null);
  },

  async run(generation) {
    let failures = 0;
    while (session && generation === this.generation) {
      try {
        const gotSnapshot = await this.readStream(generation);
        failures = gotSnapshot ? 0 : failures + 1;
      } catch (e) {
        failures++;
      }
      if (!session || generation !== this.generation) {
        return;
      }
      setLiveStatus('reconnecting');
      this.startPolling();
      await new Promise((resolve) => setTimeout(resolve, Math.min(15000, 500 * 2 ** Math.min(failures, 5))));
    }
  },

  // Reads one connection to the end; true when it delivered a snapshot.
  async readStream(generation) {
    const controller = new AbortController();
    this.controller = controller;
    let silence = setTimeout(() => controller.abort(), STREAM_SILENCE_MS);
    let gotSnapshot = false;
    try {
      const response = await fetch('/v0/events', {
        headers: {Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream'},
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401) {
        logout('Your session has ended. Please log in again.');
        return false;
      }
      if (!response.ok || !response.body) {
        return false;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done || generation !== this.generation) {
          return gotSnapshot;
        }
        clearTimeout(silence);
        silence = setTimeout(() => controller.abort(), STREAM_SILENCE_MS);
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event && this.handle(event)) {
            gotSnapshot = true;
          }
        }
      }
    } finally {
      clearTimeout(silence);
      controller.abort();
    }
  },

  // Applies one event; true for the snapshot.
  handle(event) {
    const data = JSON.parse(event.data);
    if (event.name === 'snapshot') {
      replaceAll(data.nodes, data.server_time);
      this.stopPolling();
      setLiveStatus('live');
      return true;
    }
    if (event.name === 'node') {
      setNode(data);
    } else if (event.name === 'removed') {
      removeNode(data.id);
    }
    return false;
  },

  startPolling() {
    if (this.pollTimer === null) {
      this.pollTimer = setInterval(() => this.pollOnce(), POLL_EVERY_MS);
      this.pollOnce();
    }
  },

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  },

  isPolling() {
    return this.pollTimer !== null;
  },

  async pollOnce() {
    try {
      const {body, date} = await api('GET', '/v0/nodes');
      if (this.isPolling()) { // not if the stream came back meanwhile: its snapshot is newer
        replaceAll(body.nodes, date ? new Date(date).toISOString() : null);
        setLiveStatus('polling');
      }
    } catch (e) {
      if (this.isPolling()) {
        setLiveStatus('reconnecting');
      }
    }
  },
};

// One "event: x / data: y" block of the stream, or null for a comment-only block (keep-alive).
function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) {
      continue;
    }
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      name = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  return data.length ? {name, data: data.join('\n')} : null;
}

function setLiveStatus(status) {
  if (session === null) {
    status = null;
  }
  const badge = $('live');
  badge.hidden = status === null;
  badge.className = `live live-${status}`;
  badge.textContent = {live: 'Live', reconnecting: 'Reconnecting…', polling: 'Polling every 5 s'}[status] || '';
}

// ---------------------------------------------------------------- formatting

const dash = '—';
const percent = (value) => (value == null ? dash : `${value.toFixed(1)} %`);
const celsius = (value) => (value == null ? dash : `${value.toFixed(0)} °C`);
const count = (value) => (value == null ? dash : String(value));

function ago(ms) {
  if (ms == null) {
    return 'never';
  }
  const seconds = Math.max(0, Math.floor((serverNow() - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

function duration(sinceMs) {
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

function absolute(iso) {
  return iso ? `${new Date(iso).toLocaleString()} (${iso})` : '';
}

function models(node) {
  return (node.loaded_models || []).join(', ');
}

function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

function setTitle(element, title) {
  if (element.title !== title) {
    element.title = title;
  }
}

function stateBadge(element, state) {
  setText(element, STATE_LABEL[state] || state);
  const className = `badge state-${state}`;
  if (element.className !== className) {
    element.className = className;
  }
}

// ---------------------------------------------------------------- nodes table

const SORT_VALUE = {
  id: (n) => n.id,
  state: (n) => STATE_RANK[n.state],
  lastSeen: (n) => n.lastSeenMs,
  uptime: (n) => (n.onlineSinceMs == null ? null : -n.onlineSinceMs),
  heartbeats: (n) => n.heartbeats,
  gpu: (n) => n.gpu_metrics && n.gpu_metrics.usage,
  vram: (n) => n.gpu_metrics && n.gpu_metrics.vram_usage,
  temperature: (n) => n.gpu_metrics && n.gpu_metrics.temperature,
  cpu: (n) => n.system_metrics && n.system_metrics.cpu_usage,
  memory: (n) => n.system_metrics && n.system_metrics.memory_usage,
  active: (n) => n.active_requests,
  models: (n) => models(n) || null,
};

// Plain < rather than localeCompare: ids are ASCII, and this runs ~10,000 times per sort of 1000 rows.
const compareText = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

function compareNodes(a, b) {
  const value = SORT_VALUE[sort.key];
  const x = value(a);
  const y = value(b);
  if (x == null || y == null) {
    return x == null && y == null ? compareText(a.id, b.id) : x == null ? 1 : -1; // absent values last
  }
  const order = typeof x === 'string' ? compareText(x, y) : x - y;
  return (sort.descending ? -order : order) || compareText(a.id, b.id);
}

function filterFromControls() {
  const state = $('state-filter').value;
  const search = $('search').value.trim().toLowerCase();
  return (node) => (!state || node.state === state)
    && (!search || node.id.toLowerCase().includes(search)
      || (node.machine_name || '').toLowerCase().includes(search));
}

function newRow(id) {
  const tr = document.createElement('tr');
  tr.dataset.id = id;
  tr.setAttribute('role', 'row');
  const cell = (column, className) => {
    const td = tr.appendChild(document.createElement('td'));
    td.setAttribute('role', 'cell');
    td.dataset.col = column;
    if (className) td.className = className;
    return td;
  };
  const nodeCell = cell('node');
  const link = nodeCell.appendChild(document.createElement('a'));
  link.href = `#/nodes/${encodeURIComponent(id)}`;
  link.className = 'node-id';
  link.textContent = id;
  const machine = nodeCell.appendChild(document.createElement('div'));
  machine.className = 'machine muted';
  const state = cell('state').appendChild(document.createElement('span'));
  const cells = {machine, state, lastSeen: cell('lastSeen'), uptime: cell('uptime')};
  for (const column of ['heartbeats', 'gpu', 'vram', 'temperature', 'cpu', 'memory', 'active']) {
    cells[column] = cell(column, 'num');
  }
  cells.models = cell('models');
  const row = {tr, cells, buttons: null};
  if (isAdmin()) {
    row.buttons = actionButtons(cell('actions', 'row-actions'), id);
  }
  rows.set(id, row);
  screenWatcher.observe(tr);
  return row;
}

// The clock columns change every second for every node, but only rows on screen need redrawing:
// one observer keeps the set of those, and a row is brought up to date as it scrolls into view.
const onScreen = new Set();
const screenWatcher = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) {
      onScreen.add(entry.target);
      const row = rows.get(entry.target.dataset.id);
      if (row && row.node) {
        tickRow(row, row.node);
      }
    } else {
      onScreen.delete(entry.target);
    }
  }
}, {rootMargin: '100px 0px'});

function dropRow(id, row) {
  screenWatcher.unobserve(row.tr);
  onScreen.delete(row.tr);
  row.tr.remove();
  rows.delete(id);
}

// Buttons carry data-action and data-id; one delegated listener per container handles them.
function actionButtons(container, id) {
  const make = (action, label, className) => {
    const button = container.appendChild(document.createElement('button'));
    button.type = 'button';
    button.dataset.action = action;
    button.dataset.id = id;
    button.className = className || '';
    button.textContent = label;
    return button;
  };
  return {
    approve: make('approve', 'Approve', 'primary'),
    disconnect: make('disconnect', 'Disconnect'),
    token: make('token', 'Rotate token'),
    remove: make('delete', 'Delete', 'danger'),
  };
}

function showButtons(buttons, node) {
  if (buttons) {
    buttons.approve.hidden = node.approved || node.state !== 'pending';
    buttons.disconnect.hidden = node.state !== 'online';
  }
}

function fillRow(row, node) {
  const c = row.cells;
  setText(c.machine, node.machine_name || '');
  stateBadge(c.state, node.state);
  tickRow(row, node);
  setTitle(c.lastSeen, absolute(node.last_seen));
  setTitle(c.uptime, node.onlineSinceMs == null ? '' : `online since ${absolute(node.online_since)}`);
  setText(c.heartbeats, count(node.heartbeats));
  const gpu = node.gpu_metrics || {};
  const system = node.system_metrics || {};
  setText(c.gpu, percent(gpu.usage));
  setText(c.vram, percent(gpu.vram_usage));
  setText(c.temperature, celsius(gpu.temperature));
  setText(c.cpu, percent(system.cpu_usage));
  setText(c.memory, percent(system.memory_usage));
  setText(c.active, count(node.active_requests));
  setText(c.models, models(node) || dash);
  setTitle(c.models, models(node));
  showButtons(row.buttons, node);
}

// The two columns that move with the clock.
function tickRow(row, node) {
  setText(row.cells.lastSeen, ago(node.lastSeenMs));
  setText(row.cells.uptime, duration(node.onlineSinceMs));
}

function scheduleRender() {
  if (!renderScheduled) {
    renderScheduled = true;
    requestAnimationFrame(render);
  }
}

function render() {
  renderScheduled = false;
  const counts = {online: 0, offline: 0, pending: 0};
  const visible = [];
  const matches = filterFromControls();
  for (const node of nodes.values()) {
    counts[node.state] = (counts[node.state] || 0) + 1;
    if (matches(node)) {
      visible.push(node);
    }
  }
  for (const [id, row] of rows) {
    if (!nodes.has(id)) {
      dropRow(id, row);
    }
  }
  visible.sort(compareNodes);
  const body = $('nodes-body');
  let cursor = body.firstElementChild;
  for (const node of visible) {
    const row = rows.get(node.id) || newRow(node.id);
    if (row.node !== node) {
      row.node = node;
      fillRow(row, node);
    }
    if (row.tr === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      body.insertBefore(row.tr, cursor); // moves only the rows that are out of place
    }
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
  setText($('count-online'), String(counts.online));
  setText($('count-offline'), String(counts.offline));
  setText($('count-pending'), String(counts.pending));
  setText($('count-total'), String(nodes.size));
  setText($('shown'), visible.length === nodes.size ? '' : `showing ${visible.length} of ${nodes.size}`);
  $('nodes-empty').hidden = !haveSnapshot || visible.length > 0;
  renderDetail();
}

function tick() {
  for (const tr of onScreen) {
    const row = rows.get(tr.dataset.id);
    if (row && row.node && tr.isConnected) {
      tickRow(row, row.node);
    }
  }
  if (detailId && nodes.has(detailId)) {
    renderDetailFacts(nodes.get(detailId));
  }
}

function setSort(key) {
  sort.descending = sort.key === key ? !sort.descending : false;
  sort.key = key;
  markSortedColumn();
  scheduleRender();
}

function markSortedColumn() {
  for (const th of document.querySelectorAll('#nodes-table th[data-sort]')) {
    if (th.dataset.sort === sort.key) {
      th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
    } else {
      th.removeAttribute('aria-sort');
    }
  }
}

// ---------------------------------------------------------------- detail view

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

function renderDetail() {
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
    setText($('detail-missing'), haveSnapshot ? `Node ${detailId} is not known (it may have been deleted).` : 'Loading…');
    return;
  }
  if (node === detailShown) {
    return;
  }
  detailShown = node;
  setText($('detail-id'), node.id);
  stateBadge($('detail-state'), node.state);
  setText($('detail-machine'), node.machine_name || '');
  showButtons($('detail-actions').buttons, node);
  renderDetailFacts(node);
  const metrics = $('detail-metrics');
  metrics.replaceChildren();
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

// ---------------------------------------------------------------- admin actions

async function runAction(action, id) {
  const messageId = detailId === null ? 'nodes-message' : 'detail-message';
  const path = `/v0/nodes/${encodeURIComponent(id)}`;
  try {
    if (action === 'approve') {
      await api('POST', `${path}/approve`);
      showMessage(messageId, `Approved ${id}.`);
    } else if (action === 'disconnect') {
      await api('POST', `${path}/disconnect`);
      showMessage(messageId, `Disconnected ${id}.`);
    } else if (action === 'delete') {
      if (!confirm(`Delete node ${id}? Its token stops working and its state is removed.`)) {
        return;
      }
      await api('DELETE', path);
      showMessage(messageId, `Deleted ${id}.`);
    } else if (action === 'token') {
      if (!confirm(`Issue a new token for ${id}? The current token stops working at once.`)) {
        return;
      }
      const {body} = await api('POST', `${path}/token`);
      showToken(id, body.node_token);
    }
    if (live.isPolling()) {
      live.pollOnce();
    }
  } catch (e) {
    showMessage(messageId, `${action} ${id} failed: ${e.message}`, true);
  }
}

function showToken(id, token) {
  $('token-node').textContent = id;
  $('token-value').textContent = token;
  $('token-dialog').showModal();
}

function showMessage(id, text, isError) {
  const element = $(id);
  element.hidden = !text;
  element.textContent = text || '';
  element.classList.toggle('error', Boolean(isError));
}

// ---------------------------------------------------------------- views

function route() {
  const hash = location.hash || '#/nodes';
  const loggedIn = session !== null;
  const detailMatch = /^#\/nodes\/(.+)$/.exec(hash);
  $('login-view').hidden = loggedIn;
  $('menu').hidden = !loggedIn;
  $('logout').hidden = !loggedIn;
  $('who').hidden = !loggedIn;
  $('nodes-view').hidden = !loggedIn || detailMatch !== null;
  $('detail-view').hidden = !loggedIn || detailMatch === null;
  $('menu-nodes').classList.toggle('active', loggedIn);
  document.body.classList.toggle('admin', isAdmin());
  if (!loggedIn) {
    $('username').focus();
    return;
  }
  $('who').textContent = `${session.user.username} (${session.user.role})`;
  detailLinkBroken = false;
  detailId = null;
  if (detailMatch) {
    try {
      detailId = decodeURIComponent(detailMatch[1]);
    } catch (e) {
      // A hand-made or truncated link: say so instead of throwing URIError and showing nothing.
      detailId = detailMatch[1];
      detailLinkBroken = true;
    }
  }
  if (detailId !== null) {
    detailShown = null;
    detailFetchedFor = null;
    $('detail-message').hidden = true;
    $('detail-transitions').hidden = true;
    $('detail-no-transitions').hidden = true;
    const actions = $('detail-actions');
    actions.replaceChildren();
    actions.buttons = isAdmin() && !detailLinkBroken ? actionButtons(actions, detailId) : null;
  }
  scheduleRender();
}

function start() {
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-submit').disabled = true;
    try {
      await login($('username').value, $('password').value);
      $('password').value = '';
      $('login-error').textContent = '';
      afterLogin();
    } catch (e) {
      $('login-error').textContent = e.message;
    } finally {
      $('login-submit').disabled = false;
    }
  });
  $('logout').addEventListener('click', () => logout());
  $('state-filter').addEventListener('change', scheduleRender);
  $('search').addEventListener('input', scheduleRender);
  document.querySelector('.summary').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-filter]');
    if (button) {
      $('state-filter').value = button.dataset.filter;
      scheduleRender();
    }
  });
  document.querySelector('#nodes-table thead').addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (th) {
      setSort(th.dataset.sort);
    }
  });
  const onAction = (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) {
      runAction(button.dataset.action, button.dataset.id);
    }
  };
  $('nodes-body').addEventListener('click', onAction);
  $('detail-actions').addEventListener('click', onAction);
  $('token-close').addEventListener('click', () => $('token-dialog').close());
  $('token-dialog').addEventListener('close', () => {
    $('token-value').textContent = ''; // shown once: gone when the dialog closes
  });
  $('token-copy').addEventListener('click', () => {
    const text = $('token-value').textContent;
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).catch(() => selectToken());
    } else {
      selectToken();
    }
  });
  window.addEventListener('hashchange', route);
  setInterval(tick, 1000);
  if (session) {
    afterLogin();
  } else {
    route();
  }
}

function selectToken() {
  getSelection().selectAllChildren($('token-value'));
}

function afterLogin() {
  const maxTimeout = 2 ** 31 - 1; // setTimeout fires at once beyond ~24.8 days
  expiryTimer = setTimeout(() => logout('Your session has expired. Please log in again.'),
    Math.min(maxTimeout, session.expiresAt - Date.now()));
  markSortedColumn();
  route();
  live.start();
}

start();
