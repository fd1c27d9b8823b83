// An in-memory Conversation over entries (exchanges and lone messages), as a shared history's session
// hands them to the engine: for tests of the engine's logic only (the adapter over real stores is tested
// in test/core/history/). The memory state is kept with core's own state rules (core/memory/state.ts).

import type { Conversation, HistoryEntry, MemoryState } from '../../core/chain/types';
import { chooseState, nextStateFile, plainState, savedState, type StateFile } from '../../core/memory/state';

export interface EntryConversation extends Conversation<HistoryEntry> {
  readonly entries: readonly HistoryEntry[];
}

export function createEntryConversation(initial: readonly HistoryEntry[]): EntryConversation {
  // One array, appended in place, as the adapter hands it back while the store only grows.
  let entries: HistoryEntry[] = [...initial];
  let state: StateFile | undefined;
  return {
    get entries() {
      return entries;
    },
    load: async () => entries,
    append: async (turn) => {
      entries.push({ ...turn });
    },
    clear: async () => {
      entries = [];
      state = undefined;
    },
    replaceLast: async () => {
      throw new Error('not used by these tests');
    },
    loadState: async (atMost) => {
      const chosen = state && chooseState(state, entries, atMost).state;
      return chosen && plainState(chosen);
    },
    saveState: async (next: MemoryState) => {
      state = nextStateFile(state, savedState(next, entries), entries, new Date());
    },
    withLock: (fn) => fn(),
  };
}
