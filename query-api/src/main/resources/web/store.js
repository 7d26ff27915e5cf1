/* The nodes as the server last sent them: one Map, fed by the live stream or by polling. */

import {setServerTime} from './format.js';

/** id -> node as sent by the API, plus parsed times. */
export const nodes = new Map();

let snapshotReceived = false; // whether nodes holds the server's list yet
let onChange = () => {};

/** Whether the server's list has arrived (until then "not found" means "not loaded yet"). */
export function haveSnapshot() {
  return snapshotReceived;
}

/** Who to tell when a node changes (main schedules a render). */
export function whenNodesChange(handler) {
  onChange = handler;
}

export function setNode(node) {
  node.lastSeenMs = node.last_seen ? Date.parse(node.last_seen) : null;
  node.onlineSinceMs = node.state === 'online' && node.online_since ? Date.parse(node.online_since) : null;
  node.deadlineMs = node.state === 'online' && node.deadline ? Date.parse(node.deadline) : null;
  node.offlineSinceMs = node.state === 'offline' && node.state_since ? Date.parse(node.state_since) : null;
  nodes.set(node.id, node);
  onChange();
}

export function removeNode(id) {
  nodes.delete(id);
  onChange();
}

export function replaceAll(list, serverTime) {
  if (serverTime) {
    setServerTime(serverTime);
  }
  snapshotReceived = true;
  const seen = new Set(list.map((node) => node.id));
  [...nodes.keys()].filter((id) => !seen.has(id)).forEach(removeNode);
  list.forEach(setNode);
}

export function forgetNodes() {
  snapshotReceived = false;
  nodes.clear();
}
