// The chat panel's script, running inside the webview. It mirrors the host's PanelState by applying the
// same events (../src/panel/session.ts), renders it, and saves it with setState so that VS Code can hand
// it back to the extension's serializer after a window reload.

import type { HostToWebview, PanelState, WebviewToHost } from '../src/panel/messages';
import { reducePanel, restorePanelState } from '../src/panel/session';
import { PanelView } from './render';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const host = acquireVsCodeApi();
const view = new PanelView({
  send: (input) => host.postMessage({ type: 'send', input }),
  stop: () => host.postMessage({ type: 'stop' }),
  clearMemory: () => host.postMessage({ type: 'clearMemory' }),
});

// Show what was on screen at once; the host's snapshot, answering `ready`, brings it up to date.
let state = restorePanelState(host.getState());
if (state) view.render(state);

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  state = apply(state, event.data);
  // Tokens stream fast: they are persisted with the next other event rather than each on its own.
  if (state && event.data.type !== 'turnToken') host.setState(state);
});

function apply(current: PanelState | undefined, message: HostToWebview): PanelState | undefined {
  if (message.type === 'snapshot') {
    view.render(message.state);
    return message.state;
  }
  if (!current) return current;
  const next = reducePanel(current, message);
  if (message.type === 'turnToken') view.appendToken(message.turnId, message.text);
  else view.render(next);
  return next;
}

host.postMessage({ type: 'ready' });
