// A conversation to try things in: the stored entries and memory state copied into this process, so that
// turns run on it exactly as they would on the stored conversation (the same history, the same summary)
// while nothing reaches the store. Compare models and Replay use it; the store is read once, never written.

import type { HistoryEntry, MemoryState } from '../chain/types';
import { createInMemoryConversation, type InMemoryConversation } from './inMemory';

/** A conversation in this process holding `entries` (a stored conversation's, copied), with `state` saved against them. */
export async function inMemoryWithState(entries: readonly HistoryEntry[], state: MemoryState | undefined): Promise<InMemoryConversation<HistoryEntry>> {
  const copy = createInMemoryConversation<HistoryEntry>(entries);
  // Saved against the copied entries, the state is trusted as the original is (its last turn matches).
  if (state) await copy.saveState(state);
  return copy;
}
