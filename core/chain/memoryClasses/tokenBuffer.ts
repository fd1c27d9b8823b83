// ConversationTokenBufferMemory: after saving a turn, prune (./pruning.ts) and drop what was pruned; no
// model call. load_memory_variables gives the kept messages, as the list or as get_buffer_string with the
// memory's prefixes. The stored history keeps every message: only what the prompt sees is pruned.

import type { MemoryBasis, MemoryConfig, MemoryState, HistoryEntry } from '../types';
import type { MessageCounter } from '../../tokens/messageTokens';
import { getBufferString, type PromptValue } from '../format';
import type { MemoryPlan } from './plan';
import { emptyState } from './state';
import { messageCount, messageRange } from './messages';
import { prune } from './pruning';
import { DEFAULT_MAX_TOKEN_LIMIT } from './summaryPrompt';

export function planTokenBuffer(turns: readonly HistoryEntry[], valid: MemoryState | undefined, basis: MemoryBasis, counter: MessageCounter): MemoryPlan {
  const base = valid ?? emptyState(basis);
  const pruned = prune(turns, base.prunedMessages, basis.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT, counter);
  return { next: { basis, turns: turns.length, prunedMessages: pruned.prunedMessages } };
}

export function tokenBufferValue(turns: readonly HistoryEntry[], state: MemoryState, memory: MemoryConfig): PromptValue {
  const kept = messageRange(turns, state.prunedMessages, messageCount(turns));
  return memory.returnMessages ? kept : getBufferString(kept, memory.humanPrefix, memory.aiPrefix);
}
