/*
 * llmlb health dashboard: plain JavaScript ES modules, no build step; the one third-party library,
 * uPlot (charts), is served from the query-api jar.
 * This module only wires: routing between the views, login/logout, the render loop and the
 * once-a-second clock. The parts:
 *   api.js        session (sessionStorage) and authenticated fetch
 *   store.js      the nodes as last sent by the server
 *   live.js       the /v0/events stream, with polling as the fallback
 *   table.js      the nodes table
 *   node-page.js  a node's page
 *   actions.js    admin actions and the one-time token dialog
 *   banner.js     the detector-hold banner and the Grafana link (GET /v0/overview)
 *   charts.js     uPlot charts and the fleet's last hour
 *   format.js     value and time formatting, small DOM writers
 * Changes are applied at most once per animation frame (scheduleRender).
 */

import {bindTokenDialog, runAction} from './actions.js';
import {forgetSession, isAdmin, login, session, whenSessionEnds} from './api.js';
import {startOverview, stopOverview} from './banner.js';
import {startFleetCharts, stopFleetCharts} from './charts.js';
import {$} from './format.js';
import {live} from './live.js';
import {closeNodePage, openNodeId, openNodePage, renderNodePage, tickNodePage} from './node-page.js';
import {forgetNodes, whenNodesChange} from './store.js';
import {chooseServerPaging, clearTable, markSortedColumn, renderTable, setSort, tickTable} from './table.js';

let renderScheduled = false;
let expiryTimer = null;

function scheduleRender() {
  if (!renderScheduled) {
    renderScheduled = true;
    requestAnimationFrame(render);
  }
}

function render() {
  renderScheduled = false;
  renderTable();
  renderNodePage();
}

function tick() {
  tickTable();
  tickNodePage();
}

function logout(reason) {
  forgetSession();
  clearTimeout(expiryTimer);
  live.stop();
  stopOverview();
  stopFleetCharts();
  closeNodePage();
  forgetNodes();
  clearTable();
  $('login-error').textContent = reason || '';
  route();
}

function route() {
  const hash = location.hash || '#/nodes';
  const loggedIn = session() !== null;
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
  $('who').textContent = `${session().user.username} (${session().user.role})`;
  openNodePage(detailMatch ? detailMatch[1] : null);
  if (detailMatch) {
    stopFleetCharts();
  } else {
    startFleetCharts();
  }
  scheduleRender();
}

function afterLogin() {
  const maxTimeout = 2 ** 31 - 1; // setTimeout fires at once beyond ~24.8 days
  expiryTimer = setTimeout(() => logout('Your session has expired. Please log in again.'),
    Math.min(maxTimeout, session().expiresAt - Date.now()));
  markSortedColumn();
  route();
  // A big fleet is paged on the server and the stream watches only the page (table.js).
  chooseServerPaging().then((paged) => paged || live.start()).catch(() => live.start());
  startOverview();
}

function start() {
  whenSessionEnds(logout);
  whenNodesChange(scheduleRender);
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
      scheduleRender();
    }
  });
  const onAction = (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) {
      runAction(button.dataset.action, button.dataset.id, openNodeId() === null ? 'nodes-message' : 'detail-message');
    }
  };
  $('nodes-body').addEventListener('click', onAction);
  $('detail-actions').addEventListener('click', onAction);
  bindTokenDialog();
  window.addEventListener('hashchange', route);
  setInterval(tick, 1000);
  if (session()) {
    afterLogin();
  } else {
    route();
  }
}

start();
