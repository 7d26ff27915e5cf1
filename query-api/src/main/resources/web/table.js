/*
 * The nodes table: one <tr> per node, kept in a Map and updated cell by cell (only cells whose
 * text changed are written); one click listener on the table body serves every row; rows off
 * screen are skipped by the browser's layout (see app.css) and by the once-a-second clock (see
 * screenWatcher).
 */

import {actionButtons, showButtons} from './actions.js';
import {isAdmin} from './api.js';
import {
  $, absolute, ago, celsius, count, dash, deadlineClock, duration, isStale, models, percent, setText, setTitle,
  stateBadge,
} from './format.js';
import {haveSnapshot, nodes} from './store.js';

const STATE_RANK = {offline: 0, pending: 1, online: 2};

const rows = new Map(); // id -> {tr, cells, buttons, node}
const sort = {key: 'id', descending: false};

const SORT_VALUE = {
  id: (n) => n.id,
  state: (n) => STATE_RANK[n.state],
  lastSeen: (n) => n.lastSeenMs,
  uptime: (n) => (n.onlineSinceMs == null ? null : -n.onlineSinceMs),
  deadline: (n) => (n.deadlineMs != null ? n.deadlineMs : n.offlineSinceMs != null ? 1e15 - n.offlineSinceMs : null),
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
  const cells = {machine, state, lastSeen: cell('lastSeen'), uptime: cell('uptime'), deadline: cell('deadline')};
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

const METRIC_COLUMNS = ['gpu', 'vram', 'temperature', 'cpu', 'memory', 'active'];

// The columns that move with the clock, and the stale mark, which comes with the deadline.
function tickRow(row, node) {
  setText(row.cells.lastSeen, ago(node.lastSeenMs));
  setText(row.cells.uptime, duration(node.onlineSinceMs));
  const clock = deadlineClock(node);
  setText(row.cells.deadline, clock.text);
  row.cells.deadline.classList.toggle('overdue', clock.overdue);
  setTitle(row.cells.deadline, node.deadlineMs != null ? `deadline ${absolute(node.deadline)}`
    : node.offlineSinceMs != null ? `offline since ${absolute(node.state_since)}` : '');
  const stale = isStale(node) && node.lastSeenMs != null;
  if (row.stale !== stale) {
    row.stale = stale;
    const title = stale ? `stale: from the last heartbeat, ${absolute(node.last_seen)}` : '';
    for (const column of METRIC_COLUMNS) {
      row.cells[column].classList.toggle('stale', stale);
      setTitle(row.cells[column], title);
    }
  }
}

/** Brings the table and the counts up to date with the nodes held. */
export function renderTable() {
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
  $('nodes-empty').hidden = !haveSnapshot() || visible.length > 0;
}

/** Redraws the clock columns of the rows on screen (called once a second). */
export function tickTable() {
  for (const tr of onScreen) {
    const row = rows.get(tr.dataset.id);
    if (row && row.node && tr.isConnected) {
      tickRow(row, row.node);
    }
  }
}

/** Removes every row (on logout: the next user may not be an admin). */
export function clearTable() {
  rows.forEach((row, id) => dropRow(id, row));
}

/** Sorts by a column; a second click on the same column reverses the order. */
export function setSort(key) {
  sort.descending = sort.key === key ? !sort.descending : false;
  sort.key = key;
  markSortedColumn();
}

export function markSortedColumn() {
  for (const th of document.querySelectorAll('#nodes-table th[data-sort]')) {
    if (th.dataset.sort === sort.key) {
      th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
    } else {
      th.removeAttribute('aria-sort');
    }
  }
}
