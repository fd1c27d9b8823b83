// Parity with LangChain.js's ConversationSummaryMemory and ConversationTokenBufferMemory, as a property:
// for random conversations, a `.prompt` file run through our chain sends the model exactly what
// @langchain/classic's LLMChain with that memory sends it — every main prompt and every summary request,
// byte for byte, completion and chat, text and message memories.
//
// Where LangChain.js differs from Python (whose behaviour we follow), the cases stay on common ground:
// - Token counting: LangChain.js counts getNumTokens(getBufferString(buffer, humanPrefix, aiPrefix)), Python
//   get_num_tokens_from_messages(buffer). The scripted LangChain.js models count the buffer text back as
//   its messages, the Python way (./scripted.ts), so token-buffer cases use the default prefixes and no
//   line breaks inside messages. The counting itself is tested against the encoders
//   (test/core/tokens/messageTokens.test.ts).
// - A limit below the empty buffer's count makes Python pop from an empty list (IndexError) and
//   LangChain.js loop forever: limits start at that count.
// - ConversationSummaryBufferMemory is not compared here: LangChain.js prunes a copy (langchainjs#2917).
//   ./summaryBuffer.test.ts tests the Python semantics against a transliteration of the Python class.
// - LangChain.js's memory refuses an empty input; inputs and replies here are non-empty.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LLMChain } from '@langchain/classic/chains';
import { ConversationSummaryMemory, ConversationTokenBufferMemory } from '@langchain/classic/memory';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { runTurn } from '../../../../core/chain/run';
import { createMemoryConversation } from '../../../support/memoryConversation';
import { loadPrompt } from '../helpers';
import { RecordingChatModel, RecordingLLM, ScriptedModel } from './scripted';

const NUM_RUNS = Number(process.env.PARITY_RUNS ?? 25);

const word = fc.constantFrom('hello', 'Lisbon', 'trip', 'in', 'May', '{x}', '{{', '}', 'naïve', '東京', '😀', 'Human:', 'AI:', 'ok', '42', '—', "it's");
const line = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' '));
/** Summary cases may hold line breaks (the summary prompt carries them through). */
const text = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

interface Case {
  api: 'completion' | 'chat';
  returnMessages: boolean;
  humanPrefix: string;
  aiPrefix: string;
  limit: number;
  exchanges: { input: string; reply: string; summary: string }[];
}

const caseOf = (content: fc.Arbitrary<string>, prefixes: boolean) =>
  fc.record({
    api: fc.constantFrom<Case['api']>('completion', 'chat'),
    returnMessages: fc.boolean(),
    humanPrefix: prefixes ? fc.constantFrom('Human', 'Me', 'Person 1') : fc.constant('Human'),
    aiPrefix: prefixes ? fc.constantFrom('AI', 'Bot') : fc.constant('AI'),
    limit: fc.integer({ min: 3, max: 90 }),
    exchanges: fc.array(fc.record({ input: content, reply: content, summary: content }), { minLength: 1, maxLength: 5 }),
  });

const models = { completion: 'gpt-3.5-turbo-instruct', chat: 'gpt-4o-mini' } as const;

/** Our file for a case: the same templates LangChain.js gets below. */
function promptFileOf(c: Case, type: 'summary' | 'token_buffer'): string {
  const memory = [`  type: ${type}`, `  human_prefix: "${c.humanPrefix}"`, `  ai_prefix: "${c.aiPrefix}"`, `  return_messages: ${c.api === 'chat' && c.returnMessages}`];
  if (type === 'token_buffer') memory.push(`  max_token_limit: ${c.limit}`);
  const head = ['---', `model: ${models[c.api]}`, 'memory:', ...memory, '---'];
  if (c.api === 'completion') return [...head, 'The conversation so far: {history}', 'Human: {input}', 'AI:'].join('\n');
  const body = c.returnMessages ? ['system:', 'You are kind.', 'placeholder:', '{history}', 'human:', '{input}'] : ['system:', 'You are kind. So far: {history}', 'human:', '{input}'];
  return [...head, ...body].join('\n');
}

function langChainPrompt(c: Case) {
  if (c.api === 'completion') return PromptTemplate.fromTemplate('The conversation so far: {history}\nHuman: {input}\nAI:');
  if (c.returnMessages) return ChatPromptTemplate.fromMessages([['system', 'You are kind.'], new MessagesPlaceholder('history'), ['human', '{input}']]);
  return ChatPromptTemplate.fromMessages([['system', 'You are kind. So far: {history}'], ['human', '{input}']]);
}

/** Replies in call order: each turn's reply, then (summary memory) its summary. */
function replyScript(c: Case, summarizes: boolean): string[] {
  return c.exchanges.flatMap((exchange) => (summarizes ? [exchange.reply, exchange.summary] : [exchange.reply]));
}

async function runOurs(c: Case, type: 'summary' | 'token_buffer'): Promise<ScriptedModel> {
  const { prompt, config } = loadPrompt(promptFileOf(c, type));
  assert.deepEqual(prompt.problems, []);
  const model = new ScriptedModel(replyScript(c, type === 'summary'));
  const conversation = createMemoryConversation();
  for (const exchange of c.exchanges) await runTurn({ prompt, config, input: exchange.input, conversation, model });
  return model;
}

async function runLangChain(c: Case, type: 'summary' | 'token_buffer') {
  const replies = replyScript(c, type === 'summary');
  const llm = c.api === 'completion' ? new RecordingLLM(replies, models.completion) : new RecordingChatModel(replies, models.chat);
  const fields = { llm, memoryKey: 'history', humanPrefix: c.humanPrefix, aiPrefix: c.aiPrefix, returnMessages: c.api === 'chat' && c.returnMessages, inputKey: 'input' };
  const memory = type === 'summary' ? new ConversationSummaryMemory(fields) : new ConversationTokenBufferMemory({ ...fields, maxTokenLimit: c.limit });
  const chain = new LLMChain({ llm, prompt: langChainPrompt(c), memory });
  for (const exchange of c.exchanges) await chain.call({ input: exchange.input });
  return llm;
}

describe('memory classes: parity with LangChain.js', () => {
  test('ConversationSummaryMemory: every main prompt and every summary request, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(caseOf(text, true), async (c) => {
        const [ours, theirs] = [await runOurs(c, 'summary'), await runLangChain(c, 'summary')];
        assert.deepEqual(ours.sent, theirs.sent);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('ConversationTokenBufferMemory: every prompt, with the same messages pruned', async () => {
    await fc.assert(
      fc.asyncProperty(caseOf(line, false), async (c) => {
        const [ours, theirs] = [await runOurs(c, 'token_buffer'), await runLangChain(c, 'token_buffer')];
        assert.deepEqual(ours.sent, theirs.sent);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('the scripted cases do prune: a long conversation under a small limit loses its oldest messages', async () => {
    const c: Case = { api: 'chat', returnMessages: true, humanPrefix: 'Human', aiPrefix: 'AI', limit: 30, exchanges: Array.from({ length: 5 }, (_, i) => ({ input: `question number ${i} about Lisbon`, reply: `answer number ${i} about May`, summary: '' })) };
    const [ours, theirs] = [await runOurs(c, 'token_buffer'), await runLangChain(c, 'token_buffer')];
    assert.deepEqual(ours.sent, theirs.sent);
    const last = ours.sent.at(-1);
    assert.ok(last && 'messages' in last && !last.messages.some((m) => m.content.includes('number 0')));
  });
});
