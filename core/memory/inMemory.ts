// A Conversation held in this process only: untitled documents in the server, and tests. It keeps the
// store's contract (core/chain/types.ts): `load` hands back the live array, appended to in place, and
// `clear` and `replaceLast` start a new one, so the chain engine renders only what was appended since the
// last turn. Its memory state follows the durable store's rules (state.ts): trusted only over the turns it
// was made from, the one before it kept for a Retry, dropped with the turn it accounts for.

import type { Conversation, HistoryEntry, MemoryState, Turn } from '../chain/types';
import { isLastTurn, lastTurnChangedError } from './errors';
import { chooseState, nextStateFile, plainState, savedState, withoutLastTurn, type StateFile } from './state';

/** `Entry` is `HistoryEntry` for a conversation seeded with lone messages (engine tests of shared histories). */
export interface InMemoryConversation<Entry extends HistoryEntry = Turn> extends Conversation<Entry> {
  /** The stored entries, oldest first (live: appends show up here; a clear or a replace starts a new array). */
  readonly turns: readonly Entry[];
}

export function createInMemoryConversation<Entry extends HistoryEntry = Turn>(initial: readonly Entry[] = []): InMemoryConversation<Entry> {
  // A turn appended is an entry of any conversation (Entry is Turn, or HistoryEntry which holds it).
  const entry = (turn: Turn) => ({ ...turn }) as Entry;
  let turns: Entry[] = initial.map((stored) => ({ ...stored }));
  let state: StateFile | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    get turns() {
      return turns;
    },
    load: async () => turns,
    append: async (turn) => {
      turns.push(entry(turn));
    },
    clear: async () => {
      turns = [];
      state = undefined;
    },
    loadState: async (atMost) => {
      const chosen = state && chooseState(state, turns, atMost).state;
      return chosen && plainState(chosen);
    },
    saveState: async (next: MemoryState) => {
      state = nextStateFile(state, savedState(next, turns), turns, new Date());
    },
    replaceLast: async (expected, turn) => {
      if (!isLastTurn(turns, expected)) throw lastTurnChangedError('nothing was saved');
      state = state && withoutLastTurn(state, turns);
      turns = [...turns.slice(0, -1), entry(turn)];
    },
    // Turns run one after another, whatever became of the previous one.
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
