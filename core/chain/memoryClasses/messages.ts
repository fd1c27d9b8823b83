// The stored turns as the message list BaseChatMemory.save_context builds (human input, ai output, raw),
// addressed by message index so the classes can work on a range of it without building the whole list.

import type { ChatMessage, Turn } from '../types';

export function messageCount(turns: readonly Turn[]): number {
  return turns.length * 2;
}

export function messageAt(turns: readonly Turn[], index: number): ChatMessage {
  const turn = turns[index >> 1]!;
  return index % 2 === 0 ? { type: 'human', content: turn.input } : { type: 'ai', content: turn.output };
}

/** Messages [from, to) of the turns. */
export function messageRange(turns: readonly Turn[], from: number, to: number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let i = from; i < to; i++) messages.push(messageAt(turns, i));
  return messages;
}
