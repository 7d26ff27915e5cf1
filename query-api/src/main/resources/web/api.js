/*
 * Session and API calls.
 *
 * The JWT from POST /v0/auth/login is kept in sessionStorage. It survives a reload of the tab (an
 * operator's F5 must not log them out) but not the closing of the tab, is not shared with other
 * tabs (unlike localStorage), and is dropped when it expires or on a 401.
 * What protects it from script injection is that no script but the dashboard's own modules can
 * run: every value a node sends is written with textContent (never innerHTML), and the server's
 * Content-Security-Policy allows scripts from this origin only, no inline code.
 */

const SESSION_KEY = 'llmlb.session';

let current = loadSession();
let onSessionEnded = () => {};

function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    return saved && saved.expiresAt > Date.now() ? saved : null;
  } catch (e) {
    return null;
  }
}

/** The logged-in session ({token, user, expiresAt}) or null. */
export function session() {
  return current;
}

export function isAdmin() {
  return current !== null && current.user.role === 'admin';
}

/** Who to tell when the server says the token no longer works (main logs the user out). */
export function whenSessionEnds(handler) {
  onSessionEnded = handler;
}

export function sessionEnded(reason) {
  onSessionEnded(reason);
}

export async function login(username, password) {
  const response = await fetch('/v0/auth/login', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username, password}),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || `login failed (HTTP ${response.status})`);
  }
  current = {token: body.token, user: body.user, expiresAt: Date.now() + body.expires_in * 1000};
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(current));
}

export function forgetSession() {
  current = null;
  sessionStorage.removeItem(SESSION_KEY);
}

export async function api(method, path) {
  const response = await fetch(path, {method, headers: {Authorization: `Bearer ${current.token}`}});
  if (response.status === 401) {
    sessionEnded('Your session has ended. Please log in again.');
    throw new Error('not logged in');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && body.error) || `HTTP ${response.status}`);
  }
  return {body, date: response.headers.get('Date')};
}
