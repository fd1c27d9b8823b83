// The chat panel's state machine and the text it shows, pure so the host and the webview apply the very same
// events and so it can be tested without a VS Code. No DOM, no `vscode`.

import type { ChatMessage, MemoryCall, MemoryCallReason, Turn, Usage, TurnTimings } from '../../../core/chain/types';
import type { HistoryAttachment, ShowMemoryResult } from '../../../server/src/protocol';
import type { ComparisonCell, ComparisonEntry, LoneEntry, PanelEvent, PanelState, StoredEntry, TranscriptEntry, TurnEntry } from './messages';
import { isLone } from '../../../core/chain/entries';

/** Older entries fall off the panel (they stay in memory); bounds what setState persists. */
export const maxEntriesKept = 100;

export function emptyPanelState(uri: string, fileName: string): PanelState {
  return { uri, fileName, historyLoaded: false, entries: [] };
}

export function reducePanel(state: PanelState, event: PanelEvent): PanelState {
  switch (event.type) {
    case 'memory':
      return withMemory(state, event.memory);
    case 'memoryFailed':
      return { ...state, memoryError: event.message };
    case 'conversationChanged':
      // Another conversation: the transcript is its stored turns; this panel's turns belonged to the old one.
      return withMemory({ ...state, historyLoaded: false, entries: [], notice: undefined }, event.memory);
    case 'inputs':
      return { ...state, inputs: event.inputs };
    case 'notice':
      return { ...state, notice: event.notice };
    case 'turnStarted':
      return startTurn(state, event);
    case 'turnPrompt':
      return updateTurn(state, event.turnId, (turn) => ({ ...turn, prompt: event.prompt, messages: event.messages }));
    case 'turnToken':
      return updateTurn(state, event.turnId, (turn) => ({ ...turn, reply: turn.reply + event.text }));
    case 'turnFinished':
      return finishTurn(state, event.turnId, event.result);
    case 'turnFailed':
      return updateTurn(state, event.turnId, (turn) => ({
        ...turn,
        status: event.cancelled ? 'cancelled' : 'failed',
        error: event.message,
        actions: event.actions,
      }));
    case 'turnRefused':
      return { ...state, notice: event.notice, entries: state.entries.filter((entry) => entry.id !== event.turnId) };
    case 'cleared':
      return kept({ ...state, entries: [...state.entries, { kind: 'cleared', id: event.id, count: event.count }] });
    case 'comparisonStarted':
      return kept({ ...state, notice: undefined, entries: [...state.entries, event.comparison] });
    case 'comparisonCell':
      return updateComparison(state, event.id, (comparison) => withCell(comparison, event.row, event.column, event.cell));
    case 'comparisonEnded':
      return updateComparison(state, event.id, (comparison) => endComparison(comparison, event.status, event.error));
  }
}

function updateComparison(state: PanelState, id: string, change: (comparison: ComparisonEntry) => ComparisonEntry): PanelState {
  const index = state.entries.findIndex((entry) => entry.kind === 'comparison' && entry.id === id);
  const current = state.entries[index];
  if (current?.kind !== 'comparison') return state;
  const changed = change(current);
  return changed === current ? state : { ...state, entries: state.entries.map((entry, at) => (at === index ? changed : entry)) };
}

function withCell(comparison: ComparisonEntry, row: number, column: number, cell: ComparisonCell): ComparisonEntry {
  const target = comparison.rows[row];
  if (!target || column < 0 || column >= target.cells.length) return comparison;
  const cells = target.cells.map((existing, index) => (index === column ? cell : existing));
  return { ...comparison, rows: comparison.rows.map((existing, index) => (index === row ? { ...target, cells } : existing)) };
}

/** Cells still pending when it ends did not run: the comparison says why. */
function endComparison(comparison: ComparisonEntry, status: ComparisonEntry['status'], error: string | undefined): ComparisonEntry {
  const why = status === 'cancelled' ? 'stopped' : status === 'failed' ? 'not run' : 'not run: an earlier turn failed';
  const rows = comparison.rows.map((row) => ({ ...row, cells: row.cells.map((cell): ComparisonCell => (cell.status === 'pending' ? { status: 'not-run', error: why } : cell)) }));
  return { ...comparison, rows, status, ...(error !== undefined && { error }) };
}

/** The first memory a panel sees puts the turns stored before it opened at the top of its transcript. */
function withMemory(state: PanelState, memory: ShowMemoryResult): PanelState {
  const next = { ...state, memory, memoryError: undefined };
  if (state.historyLoaded) return next;
  const stored = memory.turns.map((entry, index): StoredEntry | LoneEntry =>
    isLone(entry) ? { kind: 'lone', id: `stored-${index}`, message: entry.lone } : { kind: 'stored', id: `stored-${index}`, input: entry.input, output: entry.output },
  );
  return kept({ ...next, historyLoaded: true, entries: [...stored, ...state.entries] });
}

function startTurn(state: PanelState, event: Extract<PanelEvent, { type: 'turnStarted' }>): PanelState {
  const turn: TurnEntry = { kind: 'turn', id: event.turnId, input: event.input, status: 'running', reply: '', ...(event.replaces && { replaces: event.replaces }) };
  const entries = state.entries.filter((entry) => entry.id !== event.retracts);
  return kept({ ...state, notice: undefined, entries: [...entries, turn] });
}

function finishTurn(state: PanelState, turnId: string, result: Extract<PanelEvent, { type: 'turnFinished' }>['result']): PanelState {
  const { prompt, messages, reply, trace, usage, timings, memoryCalls } = result;
  const turn = state.entries.find((entry): entry is TurnEntry => entry.kind === 'turn' && entry.id === turnId);
  if (!turn) return state;
  // A result without messages keeps those the progress reported.
  const done: TurnEntry = { ...turn, status: 'done', prompt, messages: messages ?? turn.messages, reply, trace, usage, timings };
  if (memoryCalls && memoryCalls.length > 0) done.memoryCalls = memoryCalls;
  if (typeof result.notSaved === 'string') done.notSaved = result.notSaved;
  const entries = state.entries
    .filter((entry) => entry.id !== turn.replaces)
    .map((entry) => (entry.id === turnId ? done : entry));
  return { ...state, entries };
}

function updateTurn(state: PanelState, turnId: string, change: (turn: TurnEntry) => TurnEntry): PanelState {
  if (!state.entries.some((entry) => entry.kind === 'turn' && entry.id === turnId)) return state;
  return { ...state, entries: state.entries.map((entry) => (entry.kind === 'turn' && entry.id === turnId ? change(entry) : entry)) };
}

function kept(state: PanelState): PanelState {
  return state.entries.length > maxEntriesKept ? { ...state, entries: state.entries.slice(-maxEntriesKept) } : state;
}

export function runningTurn(state: PanelState): TurnEntry | undefined {
  return state.entries.find((entry): entry is TurnEntry => entry.kind === 'turn' && entry.status === 'running');
}

export function runningComparison(state: PanelState): ComparisonEntry | undefined {
  return state.entries.find((entry): entry is ComparisonEntry => entry.kind === 'comparison' && entry.status === 'running');
}

/** A turn or a comparison is under way: the panel runs one thing at a time, and Stop stops it. */
export function panelBusy(state: PanelState): boolean {
  return runningTurn(state) !== undefined || runningComparison(state) !== undefined;
}

/** What Retry (with the same input) or Edit and resend (with a new one) runs, and what it replaces. */
export interface ResendPlan {
  /** The last input, to run again or to edit. */
  input: string;
  /** The stored turn the new one takes the place of (RunTurnParams.replaceLast). */
  replaceLast?: Turn;
  /** That turn's entry, dropped when the new turn completes. */
  replaces?: string;
  /** A failed attempt being retried: its entry goes as the new turn starts. */
  retracts?: string;
}

/**
 * The last turn of the transcript, when there is one to resend: nothing runs, and it comes after the last
 * clear. A completed turn is replaced in memory; a failed one was never stored, so it is simply run again
 * (replacing what it was itself meant to replace).
 */
export function resendPlan(state: PanelState): ResendPlan | undefined {
  if (runningTurn(state)) return undefined;
  const plan = lastTurnPlan(state);
  // A shared history is append-only here: a stored turn cannot be replaced, a failed attempt can run again.
  return plan?.replaceLast && state.memory?.history ? undefined : plan;
}

function lastTurnPlan(state: PanelState): ResendPlan | undefined {
  // A comparison is not part of the conversation: the last turn is the one before it.
  const last = lastConversationEntry(state);
  // A lone message is not a turn of this file's: there is nothing to run again.
  if (!last || last.kind === 'cleared' || last.kind === 'lone') return undefined;
  if (last.kind === 'stored') return { input: last.input, replaceLast: { input: last.input, output: last.output }, replaces: last.id };
  if (last.status === 'done') return { input: last.input, replaceLast: { input: last.input, output: last.reply }, replaces: last.id };
  const target = state.entries.find((entry) => entry.id === last.replaces);
  const replaced = target && storedTurnOf(target);
  return { input: last.input, retracts: last.id, ...(replaced && target && { replaceLast: replaced, replaces: target.id }) };
}

/** The transcript's last entry that belongs to the conversation (comparisons stand outside it). */
export function lastConversationEntry(state: PanelState): Exclude<TranscriptEntry, ComparisonEntry> | undefined {
  for (let index = state.entries.length - 1; index >= 0; index--) {
    const entry = state.entries[index]!;
    if (entry.kind !== 'comparison') return entry;
  }
  return undefined;
}

function storedTurnOf(entry: TranscriptEntry): Turn | undefined {
  if (entry.kind === 'stored') return { input: entry.input, output: entry.output };
  return entry.kind === 'turn' && entry.status === 'done' ? { input: entry.input, output: entry.reply } : undefined;
}

/**
 * The state a webview saved before a window reload, checked field by field (it comes back from storage).
 * A turn that was running when the window went away was cut off: it is shown as cancelled.
 */
export function restorePanelState(saved: unknown): PanelState | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { uri, fileName, entries, historyLoaded } = saved as Partial<Record<keyof PanelState, unknown>>;
  if (typeof uri !== 'string' || uri === '') return undefined;
  const restored = Array.isArray(entries) ? entries.filter(isEntry).map(withCheckedCalls).map(interrupted) : [];
  return {
    uri,
    fileName: typeof fileName === 'string' ? fileName : uri,
    historyLoaded: historyLoaded === true,
    entries: restored.slice(-maxEntriesKept),
  };
}

function isEntry(value: unknown): value is TranscriptEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (typeof entry.id !== 'string') return false;
  switch (entry.kind) {
    case 'turn':
      return typeof entry.input === 'string' && typeof entry.reply === 'string' && ['running', 'done', 'failed', 'cancelled'].includes(entry.status as string);
    case 'stored':
      return typeof entry.input === 'string' && typeof entry.output === 'string';
    case 'cleared':
      return typeof entry.count === 'number';
    case 'lone':
      return isChatMessage(entry.message);
    case 'comparison':
      return isComparison(entry);
    default:
      return false;
  }
}

function isComparison(entry: Record<string, unknown>): boolean {
  const { mode, title, columns, rows, status } = entry;
  if ((mode !== 'models' && mode !== 'replay') || typeof title !== 'string' || !['running', 'done', 'cancelled', 'failed'].includes(status as string)) return false;
  if (!Array.isArray(columns) || !columns.every((column) => typeof column === 'string') || !Array.isArray(rows)) return false;
  return rows.every((row: unknown) => isComparisonRow(row, columns.length));
}

function isComparisonRow(value: unknown, columns: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { input, cells } = value as Record<string, unknown>;
  return typeof input === 'string' && Array.isArray(cells) && cells.length === columns && cells.every(isComparisonCell);
}

function isComparisonCell(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { status, text, error, detail } = value as Record<string, unknown>;
  const optionalText = [text, error, detail].every((field) => field === undefined || typeof field === 'string');
  return ['pending', 'done', 'failed', 'not-run'].includes(status as string) && optionalText;
}

function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (message.type === 'system' || message.type === 'human' || message.type === 'ai') && typeof message.content === 'string';
}

/** A saved turn's memory calls are shown only when each has the shape the panel renders. */
function withCheckedCalls(entry: TranscriptEntry): TranscriptEntry {
  if (entry.kind !== 'turn' || entry.memoryCalls === undefined) return entry;
  const calls: unknown = entry.memoryCalls;
  if (Array.isArray(calls) && calls.every(isMemoryCall)) return entry;
  const { memoryCalls: _dropped, ...rest } = entry;
  return rest;
}

function isMemoryCall(value: unknown): value is MemoryCall {
  if (typeof value !== 'object' || value === null) return false;
  const call = value as Record<string, unknown>;
  return typeof call.prompt === 'string' && typeof call.model === 'string' && (call.reply === undefined || typeof call.reply === 'string');
}

function interrupted(entry: TranscriptEntry): TranscriptEntry {
  if (entry.kind === 'comparison' && entry.status === 'running') return endComparison(entry, 'cancelled', 'Interrupted by a window reload.');
  return entry.kind === 'turn' && entry.status === 'running'
    ? { ...entry, status: 'cancelled', error: 'Interrupted by a window reload.', actions: [] }
    : entry;
}

// eslint-disable-next-line no-control-regex
const ansiEscape = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiEscape, '');
}

/**
 * LangChain's verbose trace for the turn. While the reply streams, the server has sent only the formatted
 * prompt, so the trace is built up to it the way StdOutCallbackHandler prints it; once finished, the server's
 * own trace (colour codes removed) is shown as is, without the blank lines around it.
 */
export function traceText(turn: TurnEntry): string {
  if (turn.trace !== undefined) return stripAnsi(turn.trace).replace(/^\n+/, '').replace(/\n+$/, '');
  const entering = '> Entering new LLMChain chain...';
  return turn.prompt === undefined ? entering : `${entering}\nPrompt after formatting:\n${turn.prompt}`;
}

/** LangChain's default message prefixes, as get_buffer_string uses them. */
export function roleLabel(type: ChatMessage['type']): string {
  return type === 'system' ? 'System' : type === 'human' ? 'Human' : 'AI';
}

/**
 * e.g. `21 tokens (12 prompt + 9 completion) · 0.84 s, first token after 0.31 s`; with summary calls, their
 * tokens are added and said apart: `66 tokens (21 chain + 45 summary) · …`.
 */
export function describeCost(usage: Usage | undefined, timings: TurnTimings | undefined, memoryCalls: readonly MemoryCall[] = []): string {
  const parts: string[] = [];
  const tokens = memoryCalls.length === 0 ? describeTokens(usage) : describeWithCalls(usage, memoryCalls);
  if (tokens) parts.push(tokens);
  if (memoryCalls.some((call) => call.failure)) parts.push('summary pending');
  if (timings) parts.push(describeLatency(timings));
  return parts.join(' · ');
}

function describeWithCalls(usage: Usage | undefined, memoryCalls: readonly MemoryCall[]): string | undefined {
  const chain = totalOf(usage);
  const calls = memoryCalls.map((call) => totalOf(call.usage));
  if (chain === undefined || calls.some((total) => total === undefined)) return describeTokens(usage);
  const summary = calls.reduce((sum: number, total) => sum + (total ?? 0), 0);
  return `${chain + summary} tokens (${chain} chain + ${summary} summary)`;
}

/** One memory call's heading, e.g. `Summary call · gpt-4o-mini · 45 tokens (30 prompt + 15 completion)`. */
export function describeMemoryCall(call: MemoryCall): string {
  const why = call.reason === undefined || call.reason === 'turn' ? '' : ` (${callReasons[call.reason]})`;
  if (call.failure) return `Summary call${why} failed · ${call.model} · the summary is pending: it is brought up to date before the next turn`;
  const tokens = describeTokens(call.usage);
  return [`Summary call${why}`, call.model, ...(tokens ? [tokens] : [])].join(' · ');
}

const callReasons: Record<Exclude<MemoryCallReason, 'turn'>, string> = {
  'catch-up': 'owed by an earlier turn',
  're-derive': 'derived again from the whole history: the memory settings changed',
};

export function totalOf(usage: Usage | undefined): number | undefined {
  return usage ? usage.totalTokens ?? sumIfBoth(usage.promptTokens, usage.completionTokens) : undefined;
}

function describeTokens(usage: Usage | undefined): string | undefined {
  if (!usage) return undefined;
  const total = totalOf(usage);
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

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * The header's line about the stored conversation, e.g. `3 turns stored · fills {chat_history}`; for the
 * summary memories also what the prompt sees of it: `6 turns stored · summary + 3 messages kept, 9 pruned ·
 * summary pending · fills {history}`.
 */
export function describeMemory(memory: ShowMemoryResult): string {
  const lone = memory.turns.filter(isLone).length;
  const count = memory.turns.length - lone;
  const alone = lone > 0 ? ` and ${lone} lone ${lone === 1 ? 'message' : 'messages'}` : '';
  const parts = [`${count} ${count === 1 ? 'turn' : 'turns'}${alone} stored`];
  const view = memory.view;
  if (view && view.type !== 'buffer' && view.type !== 'buffer_window' && count > 0) {
    const summary = view.summary ? 'summary + ' : '';
    parts.push(view.type === 'summary' ? 'all in the summary' : `${summary}${view.keptMessages} ${view.keptMessages === 1 ? 'message' : 'messages'} kept, ${view.prunedMessages} pruned`);
    if (view.pendingSummary) parts.push('summary pending');
  }
  parts.push(`fills {${memory.memoryKey}}`);
  return parts.join(' · ');
}

/**
 * The header's line about which conversation the memory is: `Local conversation`, or the shared history
 * as `team · session 8f3c… · redis://127.0.0.1:6379` (its URL never holds the password), `· read-only`.
 */
export function describeHistory(history: HistoryAttachment | undefined): string {
  if (!history) return 'Local conversation';
  const parts = [history.store, `session ${history.sessionId}`, history.display];
  if (history.readonly) parts.push('read-only');
  if (history.source === 'file') parts.push('named by the file');
  return parts.join(' · ');
}
