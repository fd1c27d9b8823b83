// The token-limited memories as Python prunes them. LangChain.js's ConversationTokenBufferMemory and
// ConversationSummaryBufferMemory count the buffer as one text (`llm.getNumTokens(getBufferString(buffer))`),
// the summary buffer with its summary in it and on a copy of the history it never stores back, and
// @langchain/openai 1.x's ChatOpenAI counts with GPT-2's encoding; so they keep other messages than Python's.
// Python counts the messages with the memory's model (get_num_tokens_from_messages) and pops the oldest while
// they count more than max_token_limit; the engine counts so (core/tokens/messageTokens.ts, the one counter).
// These subclasses of LangChain.js's classes (same names, so `instanceof` and `constructor.name` still say
// what they are) prune with the engine's counter for the file's model: a loaded memory keeps the messages
// `prompt-chain run` keeps.

import type { BaseMessage } from '@langchain/core/messages';
import type * as ClassicMemory from '@langchain/classic/memory';
import type { ChatMessage } from '../core/chain/types';
import { countMessages, type MessageCounter } from '../core/tokens/messageTokens';

export interface PythonPruningMemories {
  ConversationTokenBufferMemory: typeof ClassicMemory.ConversationTokenBufferMemory;
  ConversationSummaryBufferMemory: typeof ClassicMemory.ConversationSummaryBufferMemory;
}

type ChatHistory = ClassicMemory.BaseChatMemory['chatHistory'];

export function pythonPruningMemories(classes: typeof ClassicMemory, counter: MessageCounter): PythonPruningMemories {
  const chatSaveContext = classes.BaseChatMemory.prototype.saveContext;

  class ConversationTokenBufferMemory extends classes.ConversationTokenBufferMemory {
    override async saveContext(inputValues: ClassicMemory.InputValues, outputValues: ClassicMemory.OutputValues): Promise<void> {
      // The turn saved as every chat memory saves it (BaseChatMemory's), then pruned as in Python.
      await chatSaveContext.call(this, inputValues, outputValues);
      await pruneOldest(this.chatHistory, this.maxTokenLimit, counter);
    }
  }

  class ConversationSummaryBufferMemory extends classes.ConversationSummaryBufferMemory {
    override async prune(): Promise<void> {
      const pruned = await pruneOldest(this.chatHistory, this.maxTokenLimit, counter);
      if (pruned.length > 0) this.movingSummaryBuffer = await this.predictNewSummary(pruned, this.movingSummaryBuffer);
    }
  }

  // The bundles are minified: the names are said, not left to the declarations.
  return {
    ConversationTokenBufferMemory: named(ConversationTokenBufferMemory, 'ConversationTokenBufferMemory'),
    ConversationSummaryBufferMemory: named(ConversationSummaryBufferMemory, 'ConversationSummaryBufferMemory'),
  };
}

function named<T extends abstract new (...args: never[]) => unknown>(memoryClass: T, name: string): T {
  Object.defineProperty(memoryClass, 'name', { value: name });
  return memoryClass;
}

/** The oldest messages leave the history while the rest count more than `limit`; they are returned, oldest first. */
async function pruneOldest(history: ChatHistory, limit: number, counter: MessageCounter): Promise<BaseMessage[]> {
  const messages = await history.getMessages();
  let first = 0;
  // Python pops while over the limit; where it would pop from an empty list (IndexError) nothing is kept.
  while (first < messages.length && countMessages(counter, messages.slice(first).map(chatMessageOf)).tokens > limit) first += 1;
  if (first === 0) return [];
  // Copied before the history is cleared: getMessages may hand over the history's own array.
  const pruned = messages.slice(0, first);
  const kept = messages.slice(first);
  await history.clear();
  await history.addMessages(kept);
  return pruned;
}

function chatMessageOf(message: BaseMessage): ChatMessage {
  const type = message.getType();
  const content = message.text;
  if (type === 'human') return { type: 'human', content };
  if (type === 'ai') return { type: 'ai', content };
  return { type: 'system', content };
}
