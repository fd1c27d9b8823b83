// A conversation to try things in: the stored entries and memory state copied into this process, so that
// turns run on it exactly as they would on the stored conversation (the same history, the same summary)
// while nothing reaches the store. Compare models and Replay use it; the store is read once, never written.

import type { Conversation, HistoryEntry } from '../chain/types';
import { createInMemoryConversation, type InMemoryConversation } from './inMemory';

export async function scratchCopyOf(stored: Conversation<HistoryEntry>, signal?: AbortSignal): Promise<InMemoryConversation<HistoryEntry>> {
  const entries = await stored.load(signal);
  const state = await stored.loadState();
  const copy = createInMemoryConversation<HistoryEntry>(entries);
  // Saved against the copied entries, the state is trusted as the stored one is (its last turn matches).
  if (state) await copy.saveState(state);
  return copy;
}
