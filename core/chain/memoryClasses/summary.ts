// ConversationSummaryMemory: after each turn, summary = predict_new_summary(last two messages, summary);
// load_memory_variables gives the summary string, or [SystemMessage(summary)] with return_messages
// (a list of one message even while the summary is ''). Every turn is summarized: the prompt sees no
// message verbatim. Turns still owed a summary (its call failed) are folded in by one call.

import type { MemoryBasis, MemoryConfig, MemoryState, HistoryEntry } from '../types';
import type { PromptValue } from '../format';
import type { MemoryPlan } from './plan';
import { emptyState } from './state';
import { messageCount, messageRange, messagesBefore } from './messages';

export function planSummary(turns: readonly HistoryEntry[], valid: MemoryState | undefined, basis: MemoryBasis): MemoryPlan {
  const base = valid ?? emptyState(basis);
  if (base.turns === turns.length) return { next: base };
  const total = messageCount(turns);
  const next: MemoryState = { basis, turns: turns.length, prunedMessages: total, summary: base.summary ?? '' };
  return { next, summarize: { messages: messageRange(turns, messagesBefore(turns, base.turns), total), existing: base.summary ?? '' } };
}

export function summaryValue(state: MemoryState, memory: MemoryConfig): PromptValue {
  const summary = state.summary ?? '';
  return memory.returnMessages ? [{ type: 'system', content: summary }] : summary;
}
