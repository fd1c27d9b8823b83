// The workspace facts a document's stored conversation gives the language service: its turns and what its
// memory class holds of them now (WorkspaceFacts.memoryView, for hover). Read when stored turns change or
// when the file's memory configuration changes what the view depends on, never per keystroke otherwise:
// DocumentContexts caches the facts under `memoryFactsKey`. The view's token counts are kept per stored
// turn (core/chain/memoryClasses/pruning.ts), so a new view after an edit of `max_token_limit` costs one
// pass over cached counts, not a recount of the history.

import type { ChainConfig, Conversation, HistoryEntry, MemoryConfig, Turn } from '../../core/chain/types';
import { isLone, onlyTurns } from '../../core/chain/entries';
import { memoryViewOf } from '../../core/chain/memoryClasses';
import type { WorkspaceFacts } from '../../service/context';

/**
 * What the facts depend on: which conversation (scope, key, the store the file names) and what the view is
 * computed under. A session attached in the panel changes the conversation too: attaching forgets the facts.
 */
export function memoryFactsKey(config: ChainConfig): string {
  const memory = config.memory;
  if (!memory) return 'none';
  const { scope, key, type, k, maxTokenLimit, summaryPrompt, summaryModel, history } = memory;
  return JSON.stringify([scope, key, type, k, maxTokenLimit, summaryPrompt, summaryModel, config.model, config.api, history]);
}

export async function readMemoryFacts(conversation: Conversation<HistoryEntry>, memory: MemoryConfig, config: ChainConfig): Promise<WorkspaceFacts> {
  const entries = await conversation.load();
  // Loading the state never calls the model; a state that cannot be trusted is reported by the store and left out.
  const state = await conversation.loadState();
  return { storedTurns: exchangesOf(entries), memoryView: memoryViewOf(entries, state, memory, config) };
}

/** The language service counts exchanges (a shared history's lone messages are in the memory view). */
function exchangesOf(entries: readonly HistoryEntry[]): readonly Turn[] {
  return onlyTurns(entries) ? entries : entries.filter((entry): entry is Turn => !isLone(entry));
}
