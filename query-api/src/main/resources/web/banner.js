/*
 * What the dashboard shows above every view, from GET /v0/overview: a banner while the detector
 * holds its offline verdicts (nodes past their deadline then still show Online), and the optional
 * Grafana link. Polled: a hold lasts minutes, and the overview is one small answer.
 */

import {api} from './api.js';
import {$, setText} from './format.js';

const REFRESH_MS = 5000;
const CAUSE = {
  'mass-silence': 'so many nodes fell silent at once that the monitor suspects its own failure',
  'input-path-out': 'the monitor\'s own input path (ingest or Kafka) is out',
};

let timer = null;

const clock = (iso) => new Date(iso).toLocaleTimeString();

async function refresh() {
  let overview;
  try {
    overview = (await api('GET', '/v0/overview')).body;
  } catch (e) {
    return; // the live badge already says when the server is unreachable
  }
  showHold(overview.detector);
  const link = $('grafana-link');
  link.hidden = !overview.grafana_url;
  if (overview.grafana_url && link.href !== overview.grafana_url) {
    link.href = overview.grafana_url;
  }
}

function showHold(detector) {
  const banner = $('hold-banner');
  banner.hidden = !detector || !detector.holding;
  if (banner.hidden) {
    return;
  }
  const nodes = detector.held_nodes === 1 ? '1 node' : `${detector.held_nodes} nodes`;
  const until = detector.until_at_most
    ? `until ${clock(detector.until_at_most)} at most`
    : 'until the input path is back (no upper bound)';
  setText($('hold-text'), `Offline verdicts are held: ${nodes} past their deadline still show their last state,`
    + ` since ${clock(detector.since)}, ${until}.`);
  setText($('hold-cause'), detector.causes.map((cause) => CAUSE[cause] || cause).join('; '));
  $('hold-text').title = `since ${detector.since}` + (detector.until_at_most ? `, until ${detector.until_at_most}` : '');
}

/** Starts polling (after login). */
export function startOverview() {
  if (timer === null) {
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }
}

/** Stops polling and hides what it showed (on logout). */
export function stopOverview() {
  clearInterval(timer);
  timer = null;
  $('hold-banner').hidden = true;
  $('grafana-link').hidden = true;
}
