// Scripted models for the memory classes' parity tests: ours (the LanguageModel port) and LangChain.js's
// (an LLM and a chat model), each answering from the same list of replies in order and recording what it
// was sent, as text (completion prompts) or as messages (chat).

import { LLM } from '@langchain/core/language_models/llms';
import { SimpleChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatMessage, LanguageModel, ModelRequest } from '../../../../core/chain/types';
import { countMessages, messageCounter } from '../../../../core/tokens/messageTokens';
import type { Api } from '../../../../core/format/model';

/** What a model was sent, comparable across the two sides. */
export type Sent = { prompt: string } | { messages: ChatMessage[] };

export class ScriptedModel implements LanguageModel {
  readonly sent: Sent[] = [];
  readonly requests: ModelRequest[] = [];
  constructor(private readonly replies: readonly string[]) {}
  async invoke(request: ModelRequest) {
    this.requests.push(request);
    this.sent.push(request.messages ? { messages: request.messages.map((m) => ({ ...m })) } : { prompt: request.prompt ?? '' });
    return { text: this.replies[this.sent.length - 1] ?? 'out of replies' };
  }
}

export function toChatMessage(message: BaseMessage): ChatMessage {
  const type: string = message.getType();
  const content = message.content as string;
  if (type === 'system' || type === 'human' || type === 'ai') return { type, content };
  throw new Error(`unexpected message type ${type}`);
}

/**
 * LangChain.js's token memories count `getNumTokens(getBufferString(buffer, humanPrefix, aiPrefix))`;
 * Python counts `get_num_tokens_from_messages(buffer)`. To compare everything else, the scripted models
 * count the buffer text back as its messages, as Python would (the text must use the default prefixes and
 * hold no line breaks inside messages).
 */
function pythonCount(api: Api, model: string, text: string): number {
  const messages: ChatMessage[] = text === '' ? [] : text.split('\n').map(lineMessage);
  return countMessages(messageCounter(api, model), messages).tokens;
}

function lineMessage(line: string): ChatMessage {
  const at = line.indexOf(': ');
  const prefix = line.slice(0, at);
  const content = line.slice(at + 2);
  if (prefix === 'Human') return { type: 'human', content };
  if (prefix === 'AI') return { type: 'ai', content };
  if (prefix === 'System') return { type: 'system', content };
  throw new Error(`not a buffer line: ${line}`);
}

export class RecordingLLM extends LLM {
  readonly sent: Sent[] = [];
  constructor(
    private readonly replies: readonly string[],
    private readonly model = 'gpt-3.5-turbo-instruct',
  ) {
    super({});
  }
  _llmType(): string {
    return 'recording';
  }
  async _call(prompt: string): Promise<string> {
    this.sent.push({ prompt });
    return this.replies[this.sent.length - 1] ?? 'out of replies';
  }
  override async getNumTokens(content: unknown): Promise<number> {
    return pythonCount('completion', this.model, content as string);
  }
}

export class RecordingChatModel extends SimpleChatModel {
  readonly sent: Sent[] = [];
  constructor(
    private readonly replies: readonly string[],
    private readonly model = 'gpt-4o-mini',
  ) {
    super({});
  }
  _llmType(): string {
    return 'recording';
  }
  async _call(messages: BaseMessage[]): Promise<string> {
    this.sent.push({ messages: messages.map(toChatMessage) });
    return this.replies[this.sent.length - 1] ?? 'out of replies';
  }
  override async getNumTokens(content: unknown): Promise<number> {
    return pythonCount('chat', this.model, content as string);
  }
}

/** Main replies and summaries from two queues: the summary prompt is told apart by its first words. */
export class TwoQueueModel implements LanguageModel {
  readonly sent: Sent[] = [];
  private summaries = 0;
  private replies = 0;
  constructor(private readonly mainReplies: readonly string[]) {}
  async invoke(request: ModelRequest) {
    this.sent.push(request.messages ? { messages: request.messages.map((m) => ({ ...m })) } : { prompt: request.prompt ?? '' });
    return { text: this.answer(request.messages?.at(-1)?.content ?? request.prompt ?? '') };
  }
  answer(text: string): string {
    return text.startsWith('Progressively summarize') ? `Summary ${++this.summaries}: ${text.length} characters.` : this.mainReplies[this.replies++] ?? 'out of replies';
  }
}
