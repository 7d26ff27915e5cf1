/*
 * Charts over the last hour, drawn with uPlot (org.webjars.npm:uplot, served from the query-api
 * jar under /vendor/uplot/, never from a CDN). Every chart spans the same hour and reserves the
 * same width for its y axis, so charts stacked on a page share one time axis.
 */

import uPlot from '/vendor/uplot/uPlot.esm.js';
import {api} from './api.js';
import {$, serverNow} from './format.js';

export const HOUR_S = 3600;
const AXIS_WIDTH = 56;
const FLEET_REFRESH_MS = 10000;

export const COLOURS = {
  online: '#137a3a', offline: '#b42318', pending: '#8a5a00',
  gpu: '#2f5bd3', vram: '#7a3fc2', cpu: '#0f8b8d', memory: '#c2410c', temperature: '#b42318', active: '#475467',
};

/** Seconds since the epoch for each RFC 3339 time. */
export const epochSeconds = (times) => times.map((at) => Date.parse(at) / 1000);

/**
 * A line chart in `container` (an element of the page) over the hour up to now.
 * series: [{label, colour, scale ('y' or a second scale name), stepped}]; axes: {y: label, y2: label}.
 * setData(x, ys) draws; the container's data-points says how many x values were drawn (for tests).
 */
export function lineChart(container, series, axes, {height = 150, marks = null} = {}) {
  let plot = null;
  let lastData = null;
  const scales = {x: {time: true, range: () => hourRange()}};
  const axisList = [{}, {label: axes.y, size: AXIS_WIDTH}];
  if (axes.y2) {
    scales.y2 = {};
    axisList.push({label: axes.y2, scale: 'y2', side: 1, size: AXIS_WIDTH, grid: {show: false}});
  }
  const options = () => ({
    width: Math.max(300, container.clientWidth),
    height,
    scales,
    axes: axisList,
    legend: {live: false},
    cursor: {drag: {x: false, y: false}},
    series: [{}, ...series.map((s) => ({
      label: s.label,
      stroke: s.colour,
      width: 1.5,
      scale: s.scale || 'y',
      spanGaps: false,
      paths: s.stepped ? uPlot.paths.stepped({align: 1}) : undefined,
      points: {show: false},
    }))],
    hooks: marks ? {draw: [(u) => drawMarks(u, marks())]} : {},
  });
  const draw = (data) => {
    lastData = data;
    if (!container.isConnected || container.closest('[hidden]')) {
      return; // drawn when shown: uPlot measures its container
    }
    if (plot === null) {
      container.replaceChildren();
      plot = new uPlot(options(), data, container);
    } else {
      plot.setData(data);
    }
    container.dataset.points = String(data[0].length);
  };
  window.addEventListener('resize', () => {
    if (plot !== null && container.clientWidth > 0) {
      plot.setSize({width: Math.max(300, container.clientWidth), height});
    }
  });
  return {
    setData(x, ys) {
      draw([x, ...ys]);
    },
    redraw() {
      if (lastData) {
        draw(lastData);
      }
    },
  };
}

function hourRange() {
  const now = serverNow() / 1000;
  return [now - HOUR_S, now];
}

// Vertical lines at given times (transitions), in their state's colour.
function drawMarks(u, marks) {
  const ctx = u.ctx;
  ctx.save();
  for (const mark of marks) {
    const x = Math.round(u.valToPos(mark.at, 'x', true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
      continue;
    }
    ctx.strokeStyle = COLOURS[mark.state] || '#667085';
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

// ---------------------------------------------------------------- fleet charts on the nodes view

let fleetCharts = null;
let fleetTimer = null;

function makeFleetCharts() {
  return {
    states: lineChart($('chart-states'), [
      {label: 'Online', colour: COLOURS.online, stepped: true},
      {label: 'Offline', colour: COLOURS.offline, stepped: true},
      {label: 'Pending', colour: COLOURS.pending, stepped: true},
    ], {y: 'nodes'}),
    heartbeats: lineChart($('chart-heartbeats'), [
      {label: 'Heartbeats/s', colour: COLOURS.gpu},
    ], {y: 'per second'}),
    timeouts: lineChart($('chart-timeouts'), [
      {label: 'Timeouts per 10 s', colour: COLOURS.offline, stepped: true},
    ], {y: 'timeouts'}),
  };
}

async function refreshFleet() {
  let history;
  try {
    history = (await api('GET', '/v0/history/fleet')).body;
  } catch (e) {
    $('fleet-message').hidden = false;
    $('fleet-message').textContent = `Fleet history unavailable: ${e.message}`;
    return;
  }
  $('fleet-message').hidden = true;
  fleetCharts = fleetCharts || makeFleetCharts();
  const x = epochSeconds(history.at);
  fleetCharts.states.setData(x, [history.online, history.offline, history.pending]);
  fleetCharts.heartbeats.setData(x, [history.heartbeats_per_second]);
  fleetCharts.timeouts.setData(x, [history.timeouts]);
}

/** Shows the fleet charts and keeps them current while the nodes view is open. */
export function startFleetCharts() {
  if (fleetTimer === null) {
    refreshFleet();
    fleetTimer = setInterval(refreshFleet, FLEET_REFRESH_MS);
  }
}

export function stopFleetCharts() {
  clearInterval(fleetTimer);
  fleetTimer = null;
}
