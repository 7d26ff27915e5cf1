/*
 * What the dashboard shows above every view, from GET /v0/overview: a banner while the detector
 * holds its offline verdicts (nodes past their deadline then still show Online), and the optional
 * Grafana link. Polled: a hold lasts minutes, and the overview is one small answer.
 */

import {api} from './api.js';
import {$, serverNow, setText} from './format.js';
import {nodes} from './store.js';

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
  document.body.dataset.overview = 'loaded'; // for tests: the link's absence is an answer, not a wait
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
  const until = detector.until_at_most
    ? `until ${clock(detector.until_at_most)} at most`
    : 'until the input path is back (no upper bound)';
  const since = `since ${clock(detector.since)}, ${until}`;
  // The detector counted the nodes past their deadline when it began to hold; more pass theirs
  // while it holds, and the page sees them: say the larger.
  const held = Math.max(detector.held_nodes, overdueNodes());
  const count = held === 1 ? '1 node' : `${held} nodes`;
  setText($('hold-text'), held > 0
    ? `Offline verdicts are held: ${count} past their deadline still show their last state, ${since}.`
    : `Offline verdicts are held ${since}; no node is past its deadline yet.`);
  setText($('hold-cause'), detector.causes.map((cause) => CAUSE[cause] || cause).join('; '));
  $('hold-text').title = `since ${detector.since}` + (detector.until_at_most ? `, until ${detector.until_at_most}` : '');
}

function overdueNodes() {
  const now = serverNow();
  let overdue = 0;
  for (const node of nodes.values()) {
    if (node.deadlineMs != null && node.deadlineMs < now) {
      overdue++;
    }
  }
  return overdue;
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
