// Token counts of chat messages as LangChain's `llm.get_num_tokens_from_messages` takes them, which is what
// ConversationTokenBufferMemory and ConversationSummaryBufferMemory prune by:
//
// - completions API (langchain_core BaseLanguageModel): the sum over messages of
//   get_num_tokens(get_buffer_string([m])), i.e. of "Human: …", "AI: …", "System: …" with the default
//   prefixes whatever the memory's own prefixes are; an empty list counts 0.
// - chat API (langchain_openai ChatOpenAI): per message 3 tokens (4 for gpt-3.5-turbo-0301), plus the
//   content (nothing for empty content: `elif not value: continue`), plus the role string as sent
//   ("user", "assistant", "system"); plus 3 for the reply's priming, so an empty list counts 3.
//
// Encodings are tiktoken's for the model (./contextWindows.ts). Where Python would not count exactly this
// way, the count is flagged approximate and falls back as documented in docs/prompt-format.md:
// - a model tiktoken does not know: Python falls back to cl100k_base, and ChatOpenAI then raises
//   NotImplementedError unless the name starts with gpt-3.5-turbo, gpt-4 or gpt-5; we count with
//   cl100k_base and 3 tokens per message;
// - a chat model tiktoken knows but ChatOpenAI has no per-message rule for (o1, o3, o4-mini, gpt-oss,
//   chatgpt-4o…): it raises NotImplementedError; we count 3 per message;
// - text the tokenizer counts only approximately (./tokenCounter.ts), or no tokenizer tables in this
//   installation (then a quarter of the characters, rounded up).

import type { Api } from '../format/model';
import type { ChatMessage } from '../chain/types';
import { modelWindow, type EncodingName } from './contextWindows';
import { countNow } from './tokenCounter';

export interface MessageCounter {
  /** Identifies the counting rule (encoding, API, overhead): counts are cached under it. */
  readonly key: string;
  /** What an empty message list counts (the chat reply priming). */
  readonly base: number;
  /** Not exactly how Python LangChain counts for this model (see the header); a message may add to it. */
  readonly approximate: boolean;
  /** The tokens one message adds to a list, and whether that count is exact. */
  count(message: ChatMessage): { tokens: number; exact: boolean };
}

/** The chat API's role strings, as langchain_openai's _convert_message_to_dict writes them. */
const roles = { human: 'user', ai: 'assistant', system: 'system' } as const;
const bufferPrefixes = { human: 'Human', ai: 'AI', system: 'System' } as const;
/** tiktoken's fallback when it does not know the model (`encoding_for_model` raises KeyError). */
const fallbackEncoding: EncodingName = 'cl100k_base';

/** The encoding Python LangChain counts a model's tokens with: tiktoken's for the model, else cl100k_base. */
export function countingEncoding(model: string | undefined): EncodingName {
  const window = modelWindow(model, 0);
  return window.known ? window.encoding : fallbackEncoding;
}

export function messageCounter(api: Api, model: string | undefined): MessageCounter {
  const window = modelWindow(model, 0);
  const encoding = countingEncoding(model);
  if (api === 'completion') {
    return {
      key: `completion:${encoding}`,
      base: 0,
      approximate: !window.known,
      count: (message) => countText(`${bufferPrefixes[message.type]}: ${message.content}`, encoding),
    };
  }
  const perMessage = chatOverhead(model);
  return {
    key: `chat:${encoding}:${perMessage ?? 3}`,
    base: 3,
    approximate: !window.known || perMessage === undefined,
    count: (message) => {
      const content = message.content === '' ? { tokens: 0, exact: true } : countText(message.content, encoding);
      const role = countText(roles[message.type], encoding);
      return { tokens: (perMessage ?? 3) + content.tokens + role.tokens, exact: content.exact && role.exact };
    },
  };
}

/** ChatOpenAI's tokens_per_message, by the model name as given; undefined where it raises NotImplementedError. */
export function chatOverhead(model: string | undefined): number | undefined {
  const name = model ?? '';
  if (name.startsWith('gpt-3.5-turbo-0301')) return 4;
  if (name.startsWith('gpt-3.5-turbo') || name.startsWith('gpt-4') || name.startsWith('gpt-5')) return 3;
  return undefined;
}

function countText(text: string, encoding: EncodingName): { tokens: number; exact: boolean } {
  const counted = countNow(text, encoding);
  return counted ?? { tokens: Math.ceil(text.length / 4), exact: false };
}

/** get_num_tokens_from_messages of a whole list (tests and one-off counts; pruning keeps per-message counts). */
export function countMessages(counter: MessageCounter, messages: readonly ChatMessage[]): { tokens: number; exact: boolean } {
  let tokens = counter.base;
  let exact = !counter.approximate;
  for (const message of messages) {
    const counted = counter.count(message);
    tokens += counted.tokens;
    exact &&= counted.exact;
  }
  return { tokens, exact };
}
