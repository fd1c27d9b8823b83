// (b) A whole turn against the local OpenAI-compatible server (test/support/fakeOpenAI.ts, 127.0.0.1),
// both sides through the `openai` SDK over real HTTP with streaming: ours (core/chain + core/model) and
// LangChain.js (LLMChain + BufferMemory + ChatOpenAI from @langchain/openai).
// Note: @langchain/openai streams through openai 7.x, and that stream never completes here (Node 20 and
// Node 24 alike: the request arrives, the promise never settles), so LangChain.js runs without streaming;
// ours streams. Streaming costs more per turn (one SSE event per token), so the comparison favours LangChain.js.

import { readFileSync } from 'node:fs';
import { LLMChain } from '@langchain/classic/chains';
import { BufferMemory } from '@langchain/classic/memory';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { ChatOpenAI } from '@langchain/openai';
import { parsePrompt } from '../core/format/parse';
import { resolveConfig } from '../core/chain/config';
import { runTurn } from '../core/chain/run';
import { createOpenAIModel } from '../core/model/openaiModel';
import { createMemoryConversation } from '../test/support/memoryConversation';
import { startFakeOpenAI } from '../test/support/fakeOpenAI';
import { measure, ratio, report } from './lib';

const RUNS = 100;
const INPUT = 'Not too bad - how are you?';

export async function benchTurn(): Promise<void> {
  const fake = await startFakeOpenAI();
  try {
    const prompt = parsePrompt(readFileSync('examples/chatbot-chat.prompt', 'utf8'));
    const config = { ...resolveConfig(prompt, {}), model: 'gpt-4o-mini' };
    const model = createOpenAIModel({ apiKey: 'bench', baseURL: fake.baseURL, maxRetries: 0 });
    const conversation = createMemoryConversation();
    const ours = await measure('ours: chat turn, streamed, openai SDK 6', RUNS, () =>
      runTurn({ prompt, config, input: INPUT, conversation, model, onToken: () => undefined }));

    const chain = new LLMChain({
      llm: new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'bench', maxRetries: 0, configuration: { baseURL: fake.baseURL } }),
      prompt: ChatPromptTemplate.fromMessages([
        ['system', 'You are a chatbot having a conversation with a human.'],
        new MessagesPlaceholder('chat_history'),
        ['human', '{human_input}'],
      ]),
      memory: new BufferMemory({ memoryKey: 'chat_history', returnMessages: true }),
    });
    const langchain = await measure('LangChain.js: chat turn, @langchain/openai (not streamed, see note)', RUNS, () => chain.call({ human_input: INPUT }));
    report('(b) whole turn against the local OpenAI-compatible server (HTTP, SSE)', [ours, langchain]);
    ratio('LangChain.js / ours', langchain, ours);
  } finally {
    await fake.close();
  }
}
