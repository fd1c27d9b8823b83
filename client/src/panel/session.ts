// The chat panel's state machine and the text it shows, pure so the host and the webview apply the very same
// events and so it can be tested without a VS Code. No DOM, no `vscode`.

import type { ChatMessage, Usage, TurnTimings } from '../../../core/chain/types';
import type { PanelEvent, PanelState, TurnView } from './messages';

/** Older turns fall off the panel (they stay in memory); bounds what setState persists. */
export const maxTurnsKept = 50;

export function emptyPanelState(uri: string, fileName: string): PanelState {
  return { uri, fileName, turns: [] };
}

export function reducePanel(state: PanelState, event: PanelEvent): PanelState {
  switch (event.type) {
    case 'memory':
      return { ...state, memory: event.memory, memoryError: undefined };
    case 'memoryFailed':
      return { ...state, memoryError: event.message };
    case 'turnStarted': {
      const turn: TurnView = { turnId: event.turnId, input: event.input, status: 'running', reply: '' };
      return { ...state, turns: [...state.turns, turn].slice(-maxTurnsKept) };
    }
    case 'turnPrompt':
      return updateTurn(state, event.turnId, (turn) => ({ ...turn, prompt: event.prompt, messages: event.messages }));
    case 'turnToken':
      return updateTurn(state, event.turnId, (turn) => ({ ...turn, reply: turn.reply + event.text }));
    case 'turnFinished': {
      const { prompt, messages, reply, trace, usage, timings } = event.result;
      // A result without messages keeps those the progress reported.
      return updateTurn(state, event.turnId, (turn) => ({
        ...turn,
        status: 'done',
        prompt,
        messages: messages ?? turn.messages,
        reply,
        trace,
        usage,
        timings,
      }));
    }
    case 'turnFailed':
      return updateTurn(state, event.turnId, (turn) => ({
        ...turn,
        status: event.cancelled ? 'cancelled' : 'failed',
        error: event.message,
      }));
  }
}

function updateTurn(state: PanelState, turnId: string, change: (turn: TurnView) => TurnView): PanelState {
  if (!state.turns.some((turn) => turn.turnId === turnId)) return state;
  return { ...state, turns: state.turns.map((turn) => (turn.turnId === turnId ? change(turn) : turn)) };
}

export function runningTurn(state: PanelState): TurnView | undefined {
  return state.turns.find((turn) => turn.status === 'running');
}

/**
 * The state a webview saved before a window reload, checked field by field (it comes back from storage).
 * A turn that was running when the window went away was cut off: it is shown as cancelled.
 */
export function restorePanelState(saved: unknown): PanelState | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { uri, fileName, turns } = saved as Partial<Record<keyof PanelState, unknown>>;
  if (typeof uri !== 'string' || uri === '') return undefined;
  const restoredTurns = Array.isArray(turns) ? turns.filter(isTurnView).map(interrupted) : [];
  return { uri, fileName: typeof fileName === 'string' ? fileName : uri, turns: restoredTurns.slice(-maxTurnsKept) };
}

function isTurnView(value: unknown): value is TurnView {
  if (typeof value !== 'object' || value === null) return false;
  const turn = value as Partial<Record<keyof TurnView, unknown>>;
  return typeof turn.turnId === 'string' && typeof turn.input === 'string' && typeof turn.reply === 'string' && typeof turn.status === 'string';
}

function interrupted(turn: TurnView): TurnView {
  return turn.status === 'running' ? { ...turn, status: 'cancelled', error: 'Interrupted by a window reload.' } : turn;
}

// eslint-disable-next-line no-control-regex
const ansiEscape = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiEscape, '');
}

/**
 * LangChain's verbose trace for the turn. While the reply streams, the server has sent only the formatted
 * prompt, so the trace is built up to it the way StdOutCallbackHandler prints it; once finished, the server's
 * own trace (colour codes removed) is shown as is.
 */
export function traceText(turn: TurnView): string {
  if (turn.trace !== undefined) return stripAnsi(turn.trace).replace(/^\n+/, '').replace(/\n+$/, '');
  const entering = '> Entering new LLMChain chain...';
  return turn.prompt === undefined ? entering : `${entering}\nPrompt after formatting:\n${turn.prompt}`;
}

/** LangChain's default message prefixes, as get_buffer_string uses them. */
export function roleLabel(type: ChatMessage['type']): string {
  return type === 'system' ? 'System' : type === 'human' ? 'Human' : 'AI';
}

/** e.g. `21 tokens (12 prompt + 9 completion) · 0.84 s, first token after 0.31 s` */
export function describeCost(usage: Usage | undefined, timings: TurnTimings | undefined): string {
  const parts: string[] = [];
  const tokens = describeTokens(usage);
  if (tokens) parts.push(tokens);
  if (timings) parts.push(describeLatency(timings));
  return parts.join(' · ');
}

function describeTokens(usage: Usage | undefined): string | undefined {
  if (!usage) return undefined;
  const total = usage.totalTokens ?? sumIfBoth(usage.promptTokens, usage.completionTokens);
  const split = usage.promptTokens !== undefined && usage.completionTokens !== undefined
    ? ` (${usage.promptTokens} prompt + ${usage.completionTokens} completion)`
    : '';
  return total === undefined ? undefined : `${total} tokens${split}`;
}

function sumIfBoth(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

function describeLatency(timings: TurnTimings): string {
  const total = seconds(timings.totalMs);
  return timings.firstTokenMs === undefined ? total : `${total}, first token after ${seconds(timings.firstTokenMs)}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
