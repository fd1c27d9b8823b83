// The memory classes with state — summary, summary_buffer, token_buffer — behind one face: what a class
// owes the stored turns (planUpdate), what load_memory_variables gives the prompt now (memoryVariables),
// and what the memory holds, for hover, `memory show` and the panel (memoryViewOf). All pure: the engine
// (./update.ts) makes the summary call and saves the state; a preview formats with the state as it is.

import type { ChainConfig, MemoryBasis, MemoryConfig, MemoryState, MemoryView, HistoryEntry } from '../types';
import type { PromptValue } from '../format';
import { loadMemoryVariables, visibleMessageCount } from '../memory';
import { loneCount } from '../entries';
import { messageCounter, type MessageCounter } from '../../tokens/messageTokens';
import { countingModelOf, countsTokens, keepsState, summarizes } from './kinds';
import { assertSummaryPrompt } from './summarize';
import { SUMMARY_PROMPT } from './summaryPrompt';
import type { MemoryPlan } from './plan';
import { basisOf, emptyState, validState } from './state';
import { planSummary, summaryValue } from './summary';
import { planSummaryBuffer, summaryBufferValue } from './summaryBuffer';
import { planTokenBuffer, tokenBufferValue } from './tokenBuffer';
import { keptTokens } from './pruning';
import { messageCount } from './messages';

/** The chain settings the memory classes depend on: the API (how tokens are counted) and the model. */
export type MemoryChain = Pick<ChainConfig, 'api' | 'model'>;

export interface MemoryUpdate {
  basis: MemoryBasis;
  /** The stored state, if it still holds for these turns and this configuration. */
  valid?: MemoryState;
  plan: MemoryPlan;
}

/** The counting rule of the memory's model (see ../../tokens/messageTokens.ts). */
export function counterFor(memory: MemoryConfig, chain: MemoryChain): MessageCounter {
  return messageCounter(chain.api, countingModelOf(memory, chain));
}

export function planUpdate(turns: readonly HistoryEntry[], state: MemoryState | undefined, memory: MemoryConfig, chain: MemoryChain): MemoryUpdate {
  const basis = basisOf(memory, chain);
  const valid = validState(turns, state, basis);
  const update: MemoryUpdate = { basis, plan: planFor(turns, valid, basis, memory, chain) };
  if (valid) update.valid = valid;
  return update;
}

function planFor(turns: readonly HistoryEntry[], valid: MemoryState | undefined, basis: MemoryBasis, memory: MemoryConfig, chain: MemoryChain): MemoryPlan {
  if (memory.type === 'summary') return planSummary(turns, valid, basis);
  if (memory.type === 'summary_buffer') return planSummaryBuffer(turns, valid, basis, counterFor(memory, chain));
  if (memory.type === 'token_buffer') return planTokenBuffer(turns, valid, basis, counterFor(memory, chain));
  return { next: valid ?? emptyState(basis) };
}

/**
 * The state the prompt is formatted with: up to date when no summary is owed (token_buffer never owes
 * one), else the last state that holds — the turns owed a summary are then seen verbatim (summary_buffer)
 * or not yet (summary) — with `pendingSummary` set.
 */
export function formattingState(turns: readonly HistoryEntry[], state: MemoryState | undefined, memory: MemoryConfig, chain: MemoryChain): { state: MemoryState; pendingSummary: boolean } {
  const { basis, valid, plan } = planUpdate(turns, state, memory, chain);
  if (!plan.summarize) return { state: plan.next, pendingSummary: false };
  return { state: valid ?? emptyState(basis), pendingSummary: true };
}

/** load_memory_variables for any memory type, given the stored turns and (stateful classes) the state. */
export function memoryVariables(turns: readonly HistoryEntry[], memory: MemoryConfig, chain: MemoryChain, state: MemoryState | undefined): Record<string, PromptValue> {
  if (!keepsState(memory.type)) return loadMemoryVariables(turns, memory);
  return { [memory.key]: classValue(turns, formattingState(turns, state, memory, chain).state, memory) };
}

function classValue(turns: readonly HistoryEntry[], state: MemoryState, memory: MemoryConfig): PromptValue {
  if (memory.type === 'summary') return summaryValue(state, memory);
  if (memory.type === 'summary_buffer') return summaryBufferValue(turns, state, memory);
  return tokenBufferValue(turns, state, memory);
}

/**
 * What the conversation's memory holds now, as the next prompt will see it (before any owed summary is
 * made): for hover, `memory show` and the panel. Pure; never calls the model.
 */
export function memoryViewOf(turns: readonly HistoryEntry[], state: MemoryState | undefined, memory: MemoryConfig, chain: MemoryChain): MemoryView {
  const view = keptView(turns, state, memory, chain);
  const lone = loneCount(turns);
  return lone > 0 ? { ...view, storedTurns: turns.length - lone, loneMessages: lone } : view;
}

function keptView(turns: readonly HistoryEntry[], state: MemoryState | undefined, memory: MemoryConfig, chain: MemoryChain): MemoryView {
  const storedTurns = turns.length;
  if (!keepsState(memory.type)) {
    const kept = visibleMessageCount(turns, memory);
    return { type: memory.type, storedTurns, keptMessages: kept, prunedMessages: messageCount(turns) - kept };
  }
  const { state: shown, pendingSummary } = formattingState(turns, state, memory, chain);
  const pruned = memory.type === 'summary' ? messageCount(turns) : shown.prunedMessages;
  const view: MemoryView = { type: memory.type, storedTurns, keptMessages: messageCount(turns) - pruned, prunedMessages: pruned };
  if (shown.summary !== undefined) view.summary = shown.summary;
  if (countsTokens(memory.type)) {
    const counted = keptTokens(turns, shown.prunedMessages, counterFor(memory, chain));
    view.tokens = counted.tokens;
    if (memory.maxTokenLimit !== undefined) view.maxTokenLimit = memory.maxTokenLimit;
    if (!counted.exact) view.approximate = true;
  }
  if (pendingSummary) view.pendingSummary = true;
  return view;
}

export { basisOf } from './state';
export { SUMMARY_PROMPT, DEFAULT_MAX_TOKEN_LIMIT } from './summaryPrompt';
export { summarizes, countsTokens, keepsState, summaryModelOf, countingModelOf } from './kinds';

/** Refuses what LangChain would refuse when building the memory (a summary prompt with other variables). */
export function assertMemoryRunnable(memory: MemoryConfig | undefined): void {
  if (memory && summarizes(memory.type)) assertSummaryPrompt(memory.summaryPrompt ?? SUMMARY_PROMPT);
}
