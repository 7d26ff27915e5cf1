/*
 * Live updates: GET /v0/events is read with fetch() and a ReadableStream, not EventSource,
 * because EventSource cannot send an Authorization header and a token in the query string would
 * end up in access logs and browser history. The stream starts with a snapshot of every node,
 * then sends each change; when it breaks, we reconnect with backoff and poll GET /v0/nodes every
 * 5 s until the stream is back. For a big fleet the table pages on the server (table.js) and
 * watches only its page: the stream is then /v0/events?ids=… (those nodes, plus counts events),
 * and polling asks for the page, not the fleet.
 */

import {api, session, sessionEnded} from './api.js';
import {$} from './format.js';
import {removeNode, replaceAll, setNode} from './store.js';

const POLL_EVERY_MS = 5000;
const STREAM_SILENCE_MS = 45000; // the server sends a keep-alive every 15 s

export const live = {
  generation: 0,
  controller: null,
  pollTimer: null,
  watched: null, // node ids of the table's page (big fleets), or null: every node
  onCounts: () => {}, // counts events of a narrowed stream
  pollPage: null, // how to poll when the table pages on the server

  /** Narrows the stream to {@code ids} (the page on screen) and restarts it if they changed. */
  watch(ids) {
    const key = ids.join(',');
    if (this.watched !== null && this.watched.join(',') === key && this.controller) {
      return;
    }
    this.watched = ids;
    this.start();
  },

  /** Back to the whole fleet (logout). */
  unwatch() {
    this.watched = null;
    this.pollPage = null;
  },

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
    while (session() && generation === this.generation) {
      try {
        const gotSnapshot = await this.readStream(generation);
        failures = gotSnapshot ? 0 : failures + 1;
      } catch (e) {
        failures++;
      }
      if (!session() || generation !== this.generation) {
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
      const path = this.watched === null ? '/v0/events'
        : `/v0/events?ids=${encodeURIComponent(this.watched.join(','))}`;
      const response = await fetch(path, {
        headers: {Authorization: `Bearer ${session().token}`, Accept: 'text/event-stream'},
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401) {
        sessionEnded('Your session has ended. Please log in again.');
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
    if (event.name === 'counts') {
      this.onCounts(data);
    } else if (event.name === 'node') {
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
    if (this.pollPage) {
      await this.pollPage().catch(() => setLiveStatus('reconnecting'));
      if (this.isPolling()) {
        setLiveStatus('polling');
      }
      return;
    }
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
  if (session() === null) {
    status = null;
  }
  const badge = $('live');
  badge.hidden = status === null;
  badge.className = `live live-${status}`;
  badge.textContent = {live: 'Live', reconnecting: 'Reconnecting…', polling: 'Polling every 5 s'}[status] || '';
}

