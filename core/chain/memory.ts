// ConversationBufferMemory and ConversationBufferWindowMemory over stored turns: what
// load_memory_variables returns, computed from the turns the memory store hands back.

import type { ChatMessage, MemoryConfig, Turn } from './types';
import { getBufferString, rememberBufferString, type PromptValue } from './format';

/** LangChain's ConversationBufferWindowMemory default. */
export const defaultWindowSize = 5;

/** The turns the memory shows: all of them, or the last k exchanges for buffer_window. */
export function visibleTurns(turns: readonly Turn[], memory: MemoryConfig): readonly Turn[] {
  if (memory.type !== 'buffer_window') return turns;
  const k = memory.k ?? defaultWindowSize;
  // Python slices messages[-k * 2:] only when k > 0; k = 0 shows nothing.
  return k > 0 ? turns.slice(-k) : [];
}

/** save_context stores the input as a human message, then the output as an ai message, raw. */
export function turnMessages(turns: readonly Turn[]): ChatMessage[] {
  // A plain loop: this runs over every stored turn on every turn, and flatMap is several times slower.
  const messages: ChatMessage[] = [];
  for (const turn of turns) messages.push({ type: 'human', content: turn.input }, { type: 'ai', content: turn.output });
  return messages;
}

/**
 * The memory variable: the message list with return_messages, else the buffer string ("" when empty).
 * Computed incrementally: a conversation's turns only ever grow (the store hands back the same array,
 * appended to), so each turn renders only what was added since the last one, not the whole history.
 */
export function memoryValue(turns: readonly Turn[], memory: MemoryConfig): PromptValue {
  const history = historyOf(visibleTurns(turns, memory));
  return memory.returnMessages ? history.messages : history.text(memory.humanPrefix, memory.aiPrefix);
}

interface History {
  readonly messages: readonly ChatMessage[];
  text(humanPrefix: string, aiPrefix: string): string;
}

const histories = new WeakMap<readonly Turn[], HistoryCache>();

function historyOf(turns: readonly Turn[]): History {
  let cache = histories.get(turns);
  // A shorter array than last time was cleared and refilled: start over.
  if (!cache || cache.seen > turns.length) histories.set(turns, (cache = new HistoryCache()));
  cache.catchUp(turns);
  return cache;
}

class HistoryCache implements History {
  seen = 0;
  readonly messages: ChatMessage[] = [];
  private readonly texts = new Map<string, { seen: number; text: string }>();

  catchUp(turns: readonly Turn[]): void {
    if (this.seen === turns.length && this.seen > 0) return;
    for (; this.seen < turns.length; this.seen++) {
      const turn = turns[this.seen]!;
      this.messages.push({ type: 'human', content: turn.input }, { type: 'ai', content: turn.output });
    }
    rememberBufferString(this.messages, this.text('Human', 'AI'));
  }

  text(humanPrefix: string, aiPrefix: string): string {
    const key = `${humanPrefix}\u0000${aiPrefix}`;
    const cached = this.texts.get(key) ?? { seen: 0, text: '' };
    if (cached.seen < this.messages.length) {
      const added = getBufferString(this.messages.slice(cached.seen), humanPrefix, aiPrefix);
      cached.text = cached.seen === 0 ? added : `${cached.text}\n${added}`;
      cached.seen = this.messages.length;
      this.texts.set(key, cached);
    }
    return cached.text;
  }
}

/** load_memory_variables: `{ [memory.key]: value }`. */
export function loadMemoryVariables(turns: readonly Turn[], memory: MemoryConfig): Record<string, PromptValue> {
  return { [memory.key]: memoryValue(turns, memory) };
}
