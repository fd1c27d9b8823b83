// Chain overhead, ours against LangChain.js (@langchain/classic LLMChain + BufferMemory), on the issue's
// two examples with 1,000 stored turns and an in-process scripted model on both sides (no HTTP): what each
// library spends loading memory, formatting and saving a turn.

import { readFileSync } from 'node:fs';
import { LLMChain } from '@langchain/classic/chains';
import { BufferMemory, ChatMessageHistory } from '@langchain/classic/memory';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { LLM } from '@langchain/core/language_models/llms';
import { SimpleChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import type { LanguageModel, Turn } from '../core/chain/types';
import { createMemoryConversation } from '../test/support/memoryConversation';
import { measure, ratio, report, type Sample } from './lib';

const REPLY = 'Hello! How can I assist you today, my friend?';
const STORED = 1000;
const RUNS = 200;
/** Runs on a separate, throw-away chain first, so both libraries are measured JIT-warm at 1,000 turns. */
const WARMUP = 1000;

/** Warms `makeTurn` on one instance, then measures a fresh one from exactly STORED turns. */
async function warmThenMeasure(name: string, makeTurn: () => () => Promise<unknown>): Promise<Sample> {
  const warm = makeTurn();
  for (let i = 0; i < WARMUP; i++) await warm();
  return measure(name, RUNS, makeTurn(), 0);
}

const storedTurns: Turn[] = Array.from({ length: STORED }, (_, i) => ({ input: `question ${i}`, output: `answer ${i}` }));

const scriptedModel: LanguageModel = { invoke: async () => ({ text: REPLY }) };

class ScriptedLLM extends LLM {
  _llmType(): string { return 'scripted'; }
  async _call(): Promise<string> { return REPLY; }
}
class ScriptedChatModel extends SimpleChatModel {
  _llmType(): string { return 'scripted'; }
  async _call(): Promise<string> { return REPLY; }
}

function langchainHistory(): ChatMessageHistory {
  return new ChatMessageHistory(storedTurns.flatMap((t) => [new HumanMessage(t.input), new AIMessage(t.output)]));
}

async function ours(file: string): Promise<Sample> {
  const prompt = parsePrompt(readFileSync(file, 'utf8'));
  const config = { ...resolveConfig(prompt, {}), model: 'scripted' };
  return warmThenMeasure(`ours       ${file}`, () => {
    const conversation = createMemoryConversation(storedTurns);
    return () => runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: scriptedModel });
  });
}

async function langchainCompletion(): Promise<Sample> {
  const prompt = PromptTemplate.fromTemplate('You are a chatbot having a conversation with a human.\n\n{chat_history}\nHuman: {human_input}\nChatbot:');
  return warmThenMeasure('LangChain.js completion (LLMChain + BufferMemory)', () => {
    const memory = new BufferMemory({ memoryKey: 'chat_history', chatHistory: langchainHistory() });
    const chain = new LLMChain({ llm: new ScriptedLLM({}), prompt, memory });
    return () => chain.call({ human_input: 'Not too bad - how are you?' });
  });
}

async function langchainChat(): Promise<Sample> {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'You are a chatbot having a conversation with a human.'],
    new MessagesPlaceholder('chat_history'),
    ['human', '{human_input}'],
  ]);
  return warmThenMeasure('LangChain.js chat (LLMChain + BufferMemory)', () => {
    const memory = new BufferMemory({ memoryKey: 'chat_history', returnMessages: true, chatHistory: langchainHistory() });
    const chain = new LLMChain({ llm: new ScriptedChatModel({}), prompt, memory });
    return () => chain.call({ human_input: 'Not too bad - how are you?' });
  });
}

export async function benchChain(): Promise<void> {
  const oursCompletion = await ours('examples/chatbot-completion.prompt');
  const lcCompletion = await langchainCompletion();
  const oursChat = await ours('examples/chatbot-chat.prompt');
  const lcChat = await langchainChat();
  report(`(a) chain overhead per turn, ${STORED} stored turns, in-process scripted model`, [oursCompletion, lcCompletion, oursChat, lcChat]);
  ratio('completion: LangChain.js / ours (target >= 10x)', lcCompletion, oursCompletion);
  ratio('chat: LangChain.js / ours (target >= 10x)', lcChat, oursChat);
}
