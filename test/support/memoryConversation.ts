// An in-memory Conversation for tests: the same port as the durable store (../../core/memory/store.ts),
// with the turns exposed so a test can see exactly what a run saved, and a lock that serializes turns.

import type { Conversation, Turn } from '../../core/chain/types';

export interface MemoryConversation extends Conversation {
  /** The stored turns, oldest first (live: appends show up here). */
  readonly turns: Turn[];
  /** How many times `append` was called. */
  readonly appendCount: number;
}

export function createMemoryConversation(initial: readonly Turn[] = []): MemoryConversation {
  // Replaced, never emptied in place, on clear: memory caches what it rendered per array (core/chain/memory.ts).
  let turns = initial.map((turn) => ({ ...turn }));
  let appendCount = 0;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    get turns() {
      return turns;
    },
    get appendCount() {
      return appendCount;
    },
    // The live array, as the durable store hands back its cache: memory renders only what was appended.
    load: async () => turns,
    append: async (turn) => {
      appendCount++;
      turns.push({ ...turn });
    },
    clear: async () => {
      turns = [];
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
