/* Admin actions on a node (approve, disconnect, rotate token, delete) and the token dialog. */

import {api} from './api.js';
import {$} from './format.js';
import {live} from './live.js';

// Buttons carry data-action and data-id; one delegated listener per container handles them.
export function actionButtons(container, id) {
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

export function showButtons(buttons, node) {
  if (buttons) {
    buttons.approve.hidden = node.approved || node.state !== 'pending';
    buttons.disconnect.hidden = node.state !== 'online';
  }
}

export async function runAction(action, id, messageId) {
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

export function showMessage(id, text, isError) {
  const element = $(id);
  element.hidden = !text;
  element.textContent = text || '';
  element.classList.toggle('error', Boolean(isError));
}

/** Wires the token dialog's buttons once at start. */
export function bindTokenDialog() {
  // Shown once: the token is gone as soon as the dialog closes. The dialog's 'close' event is
  // queued as a later task, so Done clears it at once; the event covers Escape.
  const forgetToken = () => { $('token-value').textContent = ''; };
  $('token-close').addEventListener('click', () => {
    forgetToken();
    $('token-dialog').close();
  });
  $('token-dialog').addEventListener('close', forgetToken);
  $('token-copy').addEventListener('click', () => {
    const text = $('token-value').textContent;
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).catch(() => selectToken());
    } else {
      selectToken();
    }
  });
}

function selectToken() {
  getSelection().selectAllChildren($('token-value'));
}
