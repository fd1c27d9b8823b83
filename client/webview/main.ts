// The chat panel's script, running inside the webview. It mirrors the host's PanelState by applying the
// same events (../src/panel/session.ts), renders it, and saves it with setState so that VS Code can hand
// it back to the extension's serializer after a window reload.

import type { HostToWebview, PanelState, TurnEntry, WebviewToHost } from '../src/panel/messages';
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
  send: (input, variables, editLast) => host.postMessage({ type: 'send', input, variables, editLast }),
  retry: () => host.postMessage({ type: 'retry' }),
  stop: () => host.postMessage({ type: 'stop' }),
  clearMemory: () => host.postMessage({ type: 'clearMemory' }),
  pickSession: () => host.postMessage({ type: 'pickSession' }),
  action: (action) => host.postMessage({ type: 'action', action }),
  openLink: (href) => host.postMessage({ type: 'openLink', href }),
  copy: (text) => host.postMessage({ type: 'copy', text }),
  compareModels: (input, variables) => host.postMessage({ type: 'compareModels', input, variables }),
  replay: (variables) => host.postMessage({ type: 'replay', variables }),
  saveAsTest: (variables) => host.postMessage({ type: 'saveAsTest', variables }),
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
  if (message.type === 'focusInput') {
    view.focusInput(message.draft);
    return current;
  }
  if (!current) return current;
  const next = reducePanel(current, message);
  if (message.type === 'turnToken') {
    view.streamed(next, message.turnId);
    return next;
  }
  view.render(next);
  if (message.type === 'turnStarted') view.turnStarted(message.input);
  if (message.type === 'turnFailed' || message.type === 'turnRefused') view.turnEnded(turnOf(current, message.turnId)?.input);
  if (message.type === 'notice' && message.notice) view.turnEnded(undefined);
  return next;
}

function turnOf(state: PanelState, turnId: string): TurnEntry | undefined {
  return state.entries.find((entry): entry is TurnEntry => entry.kind === 'turn' && entry.id === turnId);
}

host.postMessage({ type: 'ready' });
