// An in-memory Conversation for tests: core's in-process conversation (core/memory/inMemory.ts), with the
// turns exposed so a test can see exactly what a run saved, and how many times a run appended.

import type { Turn } from '../../core/chain/types';
import { createInMemoryConversation, type InMemoryConversation } from '../../core/memory/inMemory';

export interface MemoryConversation extends InMemoryConversation {
  /** How many times `append` was called. */
  readonly appendCount: number;
}

export function createMemoryConversation(initial: readonly Turn[] = []): MemoryConversation {
  const conversation = createInMemoryConversation(initial);
  let appendCount = 0;
  return {
    get turns() {
      return conversation.turns;
    },
    get appendCount() {
      return appendCount;
    },
    load: () => conversation.load(),
    append: (turn) => {
      appendCount++;
      return conversation.append(turn);
    },
    clear: () => conversation.clear(),
    replaceLast: (expected, turn) => conversation.replaceLast(expected, turn),
    loadState: (atMost) => conversation.loadState(atMost),
    saveState: (state) => conversation.saveState(state),
    withLock: (fn) => conversation.withLock(fn),
  };
}
