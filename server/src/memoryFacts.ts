// The workspace facts a document's stored conversation gives the language service: its turns and what its
// memory class holds of them now (WorkspaceFacts.memoryView, for hover). Read when stored turns change or
// when the file's memory configuration changes what the view depends on, never per keystroke otherwise:
// DocumentContexts caches the facts under `memoryFactsKey`. The view's token counts are kept per stored
// turn (core/chain/memoryClasses/pruning.ts), so a new view after an edit of `max_token_limit` costs one
// pass over cached counts, not a recount of the history.

import type { ChainConfig, Conversation, MemoryConfig } from '../../core/chain/types';
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

export async function readMemoryFacts(conversation: Conversation, memory: MemoryConfig, config: ChainConfig): Promise<WorkspaceFacts> {
  const storedTurns = await conversation.load();
  // Loading the state never calls the model; a state that cannot be trusted is reported by the store and left out.
  const state = await conversation.loadState();
  return { storedTurns, memoryView: memoryViewOf(storedTurns, state, memory, config) };
}
