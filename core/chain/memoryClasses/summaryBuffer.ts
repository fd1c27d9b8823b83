// ConversationSummaryBufferMemory: after saving a turn, prune (./pruning.ts) and, if any message was
// pruned, moving_summary = predict_new_summary(pruned, moving_summary). load_memory_variables gives
// [SystemMessage(summary)] + the kept messages when the summary is non-empty, else the kept messages; as
// the list, or as get_buffer_string with the memory's prefixes (so a text prompt sees `System: <summary>`).
//
// Python semantics, not LangChain.js's: LangChain.js prunes a copy of the history (langchainjs#2917), so
// its stored messages never shrink and it summarizes again on every turn once over the limit.

import type { ChatMessage, MemoryBasis, MemoryConfig, MemoryState, HistoryEntry } from '../types';
import type { MessageCounter } from '../../tokens/messageTokens';
import { getBufferString, type PromptValue } from '../format';
import type { MemoryPlan } from './plan';
import { emptyState } from './state';
import { messageCount, messageRange } from './messages';
import { prune } from './pruning';
import { DEFAULT_MAX_TOKEN_LIMIT } from './summaryPrompt';

export function planSummaryBuffer(turns: readonly HistoryEntry[], valid: MemoryState | undefined, basis: MemoryBasis, counter: MessageCounter): MemoryPlan {
  const base = valid ?? emptyState(basis);
  const pruned = prune(turns, base.prunedMessages, basis.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT, counter);
  const summary = base.summary ?? '';
  const next: MemoryState = { basis, turns: turns.length, prunedMessages: pruned.prunedMessages, summary };
  if (pruned.prunedMessages === base.prunedMessages) return { next };
  return { next, summarize: { messages: messageRange(turns, base.prunedMessages, pruned.prunedMessages), existing: summary } };
}

/** The buffer the prompt sees: the summary as a system message (when there is one), then the kept messages. */
export function summaryBufferMessages(turns: readonly HistoryEntry[], state: MemoryState): ChatMessage[] {
  const kept = messageRange(turns, state.prunedMessages, messageCount(turns));
  return state.summary ? [{ type: 'system', content: state.summary }, ...kept] : kept;
}

export function summaryBufferValue(turns: readonly HistoryEntry[], state: MemoryState, memory: MemoryConfig): PromptValue {
  const buffer = summaryBufferMessages(turns, state);
  return memory.returnMessages ? buffer : getBufferString(buffer, memory.humanPrefix, memory.aiPrefix);
}
