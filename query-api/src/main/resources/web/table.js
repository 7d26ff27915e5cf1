/*
 * The nodes table: one <tr> per node, kept in a Map and updated cell by cell (only cells whose
 * text changed are written); one click listener on the table body serves every row; rows off
 * screen are skipped by the browser's layout (see app.css) and by the once-a-second clock (see
 * screenWatcher).
 *
 * A big fleet (more than BIG_FLEET nodes, from GET /v0/nodes/summary at login) is paged on the
 * server: the table asks GET /v0/nodes for one page of PAGE_SIZE rows with the state filter, the
 * search (an id or machine-name prefix) and the id order, follows the page's `next` cursor, and
 * the live stream watches only the rows of that page plus the counts. The browser then never
 * holds more than a page, however large the fleet. Other columns sort the page on screen.
 */

import {actionButtons, showButtons} from './actions.js';
import {api, isAdmin} from './api.js';
import {
  $, absolute, ago, celsius, count, dash, deadlineClock, duration, flagBadges, isStale, models, percent, setText,
  setTitle, stateBadge,
} from './format.js';
import {live} from './live.js';
import {haveSnapshot, nodes, replaceAll} from './store.js';

/** Above this many nodes the table pages on the server. */
export const BIG_FLEET = 2000;
const PAGE_SIZE = 100;
const SEARCH_DELAY_MS = 300;

// Server-side paging: the cursors of the pages before this one (null: the first), and the counts.
const paging = {server: false, cursors: [null], next: null, counts: null, bound: false, searchTimer: null};

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
  if (paging.server) {
    return () => true; // the server filtered the page
  }
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
  const stateCell = cell('state');
  const state = stateCell.appendChild(document.createElement('span'));
  const flags = stateCell.appendChild(document.createElement('span'));
  flags.className = 'flags';
  const cells = {machine, state, flags, lastSeen: cell('lastSeen'), uptime: cell('uptime'), deadline: cell('deadline')};
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
  flagBadges(c.flags, node);
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
  if (paging.server) {
    showServerCounts(visible.length);
  } else {
    setText($('count-online'), String(counts.online));
    setText($('count-offline'), String(counts.offline));
    setText($('count-pending'), String(counts.pending));
    setText($('count-total'), String(nodes.size));
    setText($('shown'), visible.length === nodes.size ? '' : `showing ${visible.length} of ${nodes.size}`);
  }
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
  paging.server = false;
  paging.cursors = [null];
  paging.next = null;
  paging.counts = null;
  live.unwatch();
  const pager = $('pager');
  if (pager) {
    pager.hidden = true;
  }
}

/**
 * Asks the server how big the fleet is and, above BIG_FLEET nodes, switches the table to
 * server-side pages and starts the stream for the first page; true when it did (otherwise the
 * caller starts the whole-fleet stream as before).
 */
export async function chooseServerPaging() {
  const {body} = await api('GET', '/v0/nodes/summary');
  if (body.total <= BIG_FLEET) {
    return false;
  }
  paging.server = true;
  paging.counts = body;
  live.onCounts = (counts) => {
    paging.counts = counts;
    renderTable();
  };
  live.pollPage = () => loadPage(false);
  bindServerControls();
  await loadPage(true);
  return true;
}

/** Whether the table pages on the server (a big fleet). */
export function serverPaged() {
  return paging.server;
}

function pagePath() {
  const query = new URLSearchParams({limit: String(PAGE_SIZE)});
  const state = $('state-filter').value;
  const search = $('search').value.trim();
  if (state) {
    query.set('state', state);
  }
  if (search) {
    query.set('q', search);
  }
  if (sort.key === 'id' && sort.descending) {
    query.set('sort', '-id');
  }
  const after = paging.cursors[paging.cursors.length - 1];
  if (after) {
    query.set('after', after);
  }
  return `/v0/nodes?${query}`;
}

// Loads the current page; with `watch` the live stream is pointed at its rows.
async function loadPage(watch) {
  const [{body, date}, summary] = await Promise.all([api('GET', pagePath()), api('GET', '/v0/nodes/summary')]);
  paging.next = body.next;
  paging.counts = summary.body;
  replaceAll(body.nodes, date ? new Date(date).toISOString() : null);
  if (watch) {
    if (body.nodes.length > 0) {
      live.watch(body.nodes.map((node) => node.id));
    } else {
      live.stop(); // nothing on screen to watch; the counts come with the next page load
    }
  }
}

// From the first page again, after a filter, the search or the id order changed.
function reload() {
  paging.cursors = [null];
  loadPage(true).catch(() => {});
}

function bindServerControls() {
  if (paging.bound) {
    return;
  }
  paging.bound = true;
  const pager = document.createElement('span');
  pager.id = 'pager';
  pager.className = 'pager';
  const previous = pager.appendChild(document.createElement('button'));
  previous.type = 'button';
  previous.id = 'page-previous';
  previous.textContent = '‹ Previous';
  const next = pager.appendChild(document.createElement('button'));
  next.type = 'button';
  next.id = 'page-next';
  next.textContent = 'Next ›';
  $('shown').after(pager);
  previous.addEventListener('click', () => {
    if (paging.cursors.length > 1) {
      paging.cursors.pop();
      loadPage(true).catch(() => {});
    }
  });
  next.addEventListener('click', () => {
    if (paging.next) {
      paging.cursors.push(paging.next);
      loadPage(true).catch(() => {});
    }
  });
  $('state-filter').addEventListener('change', () => paging.server && reload());
  $('search').addEventListener('input', () => {
    if (paging.server) {
      clearTimeout(paging.searchTimer);
      paging.searchTimer = setTimeout(reload, SEARCH_DELAY_MS);
    }
  });
  document.querySelector('#nodes-table thead').addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (paging.server && th && th.dataset.sort === 'id') {
      reload(); // app.js has flipped the order already
    }
  });
  document.querySelector('.summary').addEventListener('click', (event) => {
    if (paging.server && event.target.closest('button[data-filter]')) {
      reload();
    }
  });
}

function showServerCounts(onPage) {
  const counts = paging.counts || {total: 0, states: {}};
  const states = counts.states || {};
  setText($('count-online'), String(states.online || 0));
  setText($('count-offline'), String(states.offline || 0));
  setText($('count-pending'), String(states.pending || 0));
  setText($('count-total'), String(counts.total));
  const first = (paging.cursors.length - 1) * PAGE_SIZE + 1;
  setText($('shown'), onPage === 0 ? 'no node on this page'
    : `page ${paging.cursors.length}: nodes ${first}–${first + onPage - 1} of ${counts.total}`);
  const pager = $('pager');
  pager.hidden = false;
  $('page-previous').disabled = paging.cursors.length <= 1;
  $('page-next').disabled = !paging.next;
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
