// The three contenders of section chain, each doing one chat turn of the two examples
// (examples/chatbot-completion.prompt, examples/chatbot-chat.prompt) and ending where the openai SDK
// would: the request body serialized as the SDK does before sending (JSON.stringify of the body object,
// or the string body it sends verbatim) and encoded to bytes as fetch does (Buffer.from), so nothing
// reads a lazy string without flattening it, on either side.
//
//  - ours: runTurn (core/chain) with a scripted model that makes the body string the real adapter hands
//    the SDK (core/model/requestBody.ts serializedChatBody / serializedCompletionBody: JSON.stringify of
//    the body, byte for byte, with a kept conversation's history serialized once) and encodes it.
//  - LangChain.js: @langchain/classic LLMChain + BufferMemory over a ChatMessageHistory, with a scripted
//    LLM / chat model that builds the same body from what it is handed (the prompt string, or the
//    messages mapped to {role, content} as @langchain/openai does), serializes and encodes it.
//  - floor: the records parsed and the request built, serialized and encoded, nothing else (no template, no
//    memory object, no chain).
//
// "kept": the conversation stays in memory across turns (ours: one Conversation object, the server's
// case; LangChain.js: one BufferMemory). "fresh": the conversation is opened from its JSONL file on disk
// for the turn (every CLI run): ours opens it with the store (core/memory/store.ts openConversation +
// load, which reads the whole file with synchronous calls and parses it); LangChain.js and the floor
// read the same file with readFileSync (the same kind of read: no side waits on the thread pool), parse
// each line with JSON.parse, and LangChain.js makes a HumanMessage and an AIMessage of each record and
// builds its ChatMessageHistory, BufferMemory and LLMChain over them. On both sides the turn is saved to the in-memory history only:
// the durable save (one append + fsync, the same cost at any length) and the store's lock are the
// store's and are measured in section memory.

import { readFileSync } from 'node:fs';
import { LLMChain } from '@langchain/classic/chains';
import { BufferMemory, ChatMessageHistory } from '@langchain/classic/memory';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { LLM } from '@langchain/core/language_models/llms';
import { SimpleChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import type { ChainConfig, Conversation, LanguageModel, MemoryConfig, Turn } from '../core/chain/types';
import type { PromptDocument } from '../core/format/model';
import { createInMemoryConversation } from '../core/memory/inMemory';
import { openConversation } from '../core/memory/store';
import { serializedChatBody, serializedCompletionBody } from '../core/model/requestBody';

export type ApiName = 'completion' | 'chat';
export type Turner = () => Promise<unknown>;

const REPLY = 'Hello! How can I assist you today, my friend?';
export const INPUT = 'Not too bad - how are you?';
const MODEL = 'gpt-4o-mini';
const SYSTEM = 'You are a chatbot having a conversation with a human.';
const COMPLETION_PREFIX = `${SYSTEM}\n\n`;
const COMPLETION_SUFFIX = `\nHuman: ${INPUT}\nChatbot:`;
/** What @langchain/openai's OpenAI() sends by default, as ours does for a completion prompt. */
const COMPLETION_PARAMETERS = { temperature: 0.7, max_tokens: 256 };
const STREAMED = { stream: true, stream_options: { include_usage: true } };

/**
 * Where the bodies go, encoded to bytes as fetch does with a string body, so no engine can see the result
 * is unused; `last` when asked to keep it.
 */
export const sink = { bytes: 0, keep: false, last: '' };
function sendJson(json: string): void {
  const bytes = Buffer.from(json);
  sink.bytes += bytes.length;
  if (sink.keep) sink.last = json;
}
/** What the SDK does with a body object: JSON.stringify, then the bytes. */
function send(body: object): void {
  sendJson(JSON.stringify(body));
}

/** The conversation a side works on: the turns in memory, and the same turns as a JSONL file on disk. */
export interface Stored {
  turns: readonly Turn[];
  stateDir: string;
  workspaceRoot: string;
  filePath: string;
  /** The conversation's records file, as the store names it. */
  recordsPath: string;
}

// ---- ours ----------------------------------------------------------------------------------------

interface Ours {
  prompt: PromptDocument;
  config: ChainConfig;
  memory: MemoryConfig;
}

export function oursSetup(source: string): Ours {
  const prompt = parsePrompt(source);
  const config = { ...resolveConfig(prompt, {}), model: MODEL };
  return { prompt, config, memory: config.memory! };
}

/** The model of ours: the body string the openai adapter hands the SDK, as bytes; a fixed reply. */
export const scriptedModel: LanguageModel = {
  invoke: async (request) => {
    sendJson(request.api === 'chat' ? serializedChatBody(request) : serializedCompletionBody(request));
    return { text: REPLY };
  },
};

/** Kept: one conversation in memory over the stored turns, turn after turn. */
export function oursKept(ours: Ours, stored: Stored): Turner {
  const conversation = createInMemoryConversation(stored.turns);
  return () => runTurn({ prompt: ours.prompt, config: ours.config, input: INPUT, conversation, model: scriptedModel });
}

/** Fresh: the store opens the conversation's file and loads it (whole file, parsed), then the turn. */
export function oursFresh(ours: Ours, stored: Stored): Turner {
  return () => {
    const durable = openConversation({ stateDir: stored.stateDir, workspaceRoot: stored.workspaceRoot, filePath: stored.filePath, memory: ours.memory });
    const conversation: Conversation = { load: () => durable.load(), append: async () => undefined, clear: async () => undefined, replaceLast: async () => undefined, loadState: async () => undefined, saveState: async () => undefined, withLock: (fn) => fn() };
    return runTurn({ prompt: ours.prompt, config: ours.config, input: INPUT, conversation, model: scriptedModel });
  };
}

// ---- LangChain.js --------------------------------------------------------------------------------

const wireRoles: Record<string, string> = { system: 'system', human: 'user', ai: 'assistant' };

class ScriptedLLM extends LLM {
  _llmType(): string { return 'scripted'; }
  async _call(prompt: string): Promise<string> {
    send({ model: MODEL, ...STREAMED, ...COMPLETION_PARAMETERS, prompt });
    return REPLY;
  }
}

class ScriptedChatModel extends SimpleChatModel {
  _llmType(): string { return 'scripted'; }
  async _call(messages: BaseMessage[]): Promise<string> {
    // @langchain/openai's message conversion, reduced to what these messages hold: role and text.
    send({ model: MODEL, ...STREAMED, messages: messages.map((m) => ({ role: wireRoles[m.getType()], content: m.content })) });
    return REPLY;
  }
}

const completionTemplate = PromptTemplate.fromTemplate(`${SYSTEM}\n\n{chat_history}\nHuman: {human_input}\nChatbot:`);
const chatTemplate = ChatPromptTemplate.fromMessages([
  ['system', SYSTEM],
  new MessagesPlaceholder('chat_history'),
  ['human', '{human_input}'],
]);

function langchainChain(api: ApiName, messages: BaseMessage[]): LLMChain {
  const chatHistory = new ChatMessageHistory(messages);
  if (api === 'completion') {
    return new LLMChain({ llm: new ScriptedLLM({}), prompt: completionTemplate, memory: new BufferMemory({ memoryKey: 'chat_history', chatHistory }) });
  }
  const memory = new BufferMemory({ memoryKey: 'chat_history', returnMessages: true, chatHistory });
  return new LLMChain({ llm: new ScriptedChatModel({}), prompt: chatTemplate, memory });
}

function turnsToMessages(turns: readonly Turn[]): BaseMessage[] {
  const messages: BaseMessage[] = [];
  for (const turn of turns) messages.push(new HumanMessage(turn.input), new AIMessage(turn.output));
  return messages;
}

export function langchainKept(api: ApiName, stored: Stored): Turner {
  const chain = langchainChain(api, turnsToMessages(stored.turns));
  return () => chain.call({ human_input: INPUT });
}

export function langchainFresh(api: ApiName, stored: Stored): Turner {
  return async () => {
    const chain = langchainChain(api, turnsToMessages(parseRecords(readFileSync(stored.recordsPath, 'utf8'))));
    return chain.call({ human_input: INPUT });
  };
}

// ---- floor ---------------------------------------------------------------------------------------

function parseRecords(text: string): Turn[] {
  const turns: Turn[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const { input, output } = JSON.parse(line) as Turn;
    turns.push({ input, output });
  }
  return turns;
}

function floorRequest(api: ApiName, turns: readonly Turn[]): void {
  if (api === 'completion') {
    let history = '';
    for (let i = 0; i < turns.length; i++) history += `${i === 0 ? '' : '\n'}Human: ${turns[i]!.input}\nAI: ${turns[i]!.output}`;
    send({ model: MODEL, ...STREAMED, ...COMPLETION_PARAMETERS, prompt: COMPLETION_PREFIX + history + COMPLETION_SUFFIX });
    return;
  }
  const messages = new Array<{ role: string; content: string }>(turns.length * 2 + 2);
  messages[0] = { role: 'system', content: SYSTEM };
  for (let i = 0; i < turns.length; i++) {
    messages[2 * i + 1] = { role: 'user', content: turns[i]!.input };
    messages[2 * i + 2] = { role: 'assistant', content: turns[i]!.output };
  }
  messages[messages.length - 1] = { role: 'user', content: INPUT };
  send({ model: MODEL, ...STREAMED, messages });
}

/** Kept floor: the turns already parsed; build the request and serialize it. */
export function floorKept(api: ApiName, stored: Stored): Turner {
  return async () => floorRequest(api, stored.turns);
}

/** Fresh floor: read and parse the records, build the request and serialize it. */
export function floorFresh(api: ApiName, stored: Stored): Turner {
  return async () => floorRequest(api, parseRecords(readFileSync(stored.recordsPath, 'utf8')));
}
