// Histories with lone messages (a shared history's system message, a question without its reply, a reply
// without its question) through every memory type, against LangChain's own rules: a random seeded history
// and random turns run through our chain send the model exactly what @langchain/classic's LLMChain sends
// with that memory over a chat history seeded with the same messages (buffer, buffer_window,
// token_buffer), and what the Python ConversationSummaryBufferMemory does (a transliteration, as
// ./memoryClasses/summaryBuffer.test.ts). Where Python and LangChain.js differ, the cases keep to common
// ground (as ./memoryClasses/langchainParity.test.ts explains): default prefixes and one-line messages
// where tokens are counted, and a seeded history within the limit (a history over it is pruned before our
// first turn — derived from the stored messages like any history the memory has no state for — where
// LangChain prunes only after its first save).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LLMChain } from '@langchain/classic/chains';
import { BufferMemory, BufferWindowMemory, ChatMessageHistory, ConversationTokenBufferMemory } from '@langchain/classic/memory';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder, PromptTemplate } from '@langchain/core/prompts';
import { runTurn } from '../../../core/chain/run';
import { memoryViewOf } from '../../../core/chain/memoryClasses';
import { entryMessages } from '../../../core/chain/entries';
import type { ChatMessage, HistoryEntry, LanguageModel } from '../../../core/chain/types';
import { countMessages, messageCounter } from '../../../core/tokens/messageTokens';
import { createInMemoryConversation } from '../../../core/memory/inMemory';
import { loadPrompt } from './helpers';
import { RecordingChatModel, RecordingLLM, ScriptedModel, TwoQueueModel, type Sent } from './memoryClasses/scripted';
import { runPythonSummaryBuffer } from './memoryClasses/pythonSummaryBuffer';
import { SUMMARY_PROMPT } from '../../../core/chain/memoryClasses';

const NUM_RUNS = Number(process.env.PARITY_RUNS ?? 25);
const models = { completion: 'gpt-3.5-turbo-instruct', chat: 'gpt-4o-mini' } as const;

const word = fc.constantFrom('hello', 'Lisbon', 'trip', 'in', 'May', '{x}', 'naïve', '東京', '😀', 'Human:', 'System:', 'ok', '42', "it's");
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));

const lone = (type: ChatMessage['type']) => line.map((content): HistoryEntry => ({ lone: { type, content } }));
const entry = fc.oneof(
  lone('system'),
  lone('human'),
  lone('ai'),
  fc.record({ input: line, output: line }).map((turn): HistoryEntry => turn),
);
/** A seeded history holding at least one lone message. */
const seeded = fc.array(entry, { minLength: 1, maxLength: 8 }).filter((entries) => entries.some((e) => 'lone' in e));

interface Case {
  api: 'completion' | 'chat';
  returnMessages: boolean;
  humanPrefix: string;
  aiPrefix: string;
  k: number;
  limit: number;
  seeded: HistoryEntry[];
  exchanges: { input: string; reply: string }[];
}

const caseOf = (prefixes: boolean) =>
  fc.record({
    api: fc.constantFrom<Case['api']>('completion', 'chat'),
    returnMessages: fc.boolean(),
    humanPrefix: prefixes ? fc.constantFrom('Human', 'Me') : fc.constant('Human'),
    aiPrefix: prefixes ? fc.constantFrom('AI', 'Bot') : fc.constant('AI'),
    k: fc.integer({ min: 1, max: 4 }),
    limit: fc.integer({ min: 3, max: 150 }),
    seeded,
    exchanges: fc.array(fc.record({ input: line, reply: line }), { minLength: 1, maxLength: 4 }),
  });

type Type = 'buffer' | 'buffer_window' | 'token_buffer';

function promptFileOf(c: Case, type: Type | 'summary_buffer'): string {
  const returnMessages = c.api === 'chat' && c.returnMessages;
  const memory = [`  type: ${type}`, `  human_prefix: "${c.humanPrefix}"`, `  ai_prefix: "${c.aiPrefix}"`, `  return_messages: ${returnMessages}`];
  if (type === 'buffer_window') memory.push(`  k: ${c.k}`);
  if (type === 'token_buffer' || type === 'summary_buffer') memory.push(`  max_token_limit: ${c.limit}`);
  const head = ['---', `model: ${models[c.api]}`, 'memory:', ...memory, '---'];
  if (c.api === 'completion') return [...head, 'The conversation so far: {history}', 'Human: {input}', 'AI:'].join('\n');
  const body = returnMessages ? ['system:', 'You are kind.', 'placeholder:', '{history}', 'human:', '{input}'] : ['system:', 'You are kind. So far: {history}', 'human:', '{input}'];
  return [...head, ...body].join('\n');
}

function langChainPrompt(c: Case) {
  if (c.api === 'completion') return PromptTemplate.fromTemplate('The conversation so far: {history}\nHuman: {input}\nAI:');
  if (c.returnMessages) return ChatPromptTemplate.fromMessages([['system', 'You are kind.'], new MessagesPlaceholder('history'), ['human', '{input}']]);
  return ChatPromptTemplate.fromMessages([['system', 'You are kind. So far: {history}'], ['human', '{input}']]);
}

function baseMessage(message: ChatMessage): BaseMessage {
  if (message.type === 'system') return new SystemMessage(message.content);
  return message.type === 'human' ? new HumanMessage(message.content) : new AIMessage(message.content);
}

async function runOurs(c: Case, type: Type | 'summary_buffer', model: LanguageModel) {
  const { prompt, config } = loadPrompt(promptFileOf(c, type));
  assert.deepEqual(prompt.problems, []);
  const conversation = createInMemoryConversation<HistoryEntry>(c.seeded);
  for (const exchange of c.exchanges) await runTurn({ prompt, config, input: exchange.input, conversation, model });
  return conversation;
}

async function runLangChain(c: Case, type: Type): Promise<Sent[]> {
  const replies = c.exchanges.map((e) => e.reply);
  const llm = c.api === 'completion' ? new RecordingLLM(replies, models.completion) : new RecordingChatModel(replies, models.chat);
  const chatHistory = new ChatMessageHistory(entryMessages(c.seeded).map(baseMessage));
  const fields = { memoryKey: 'history', inputKey: 'input', humanPrefix: c.humanPrefix, aiPrefix: c.aiPrefix, returnMessages: c.api === 'chat' && c.returnMessages, chatHistory };
  const memory =
    type === 'buffer' ? new BufferMemory(fields) : type === 'buffer_window' ? new BufferWindowMemory({ ...fields, k: c.k }) : new ConversationTokenBufferMemory({ ...fields, llm, maxTokenLimit: c.limit });
  const chain = new LLMChain({ llm, prompt: langChainPrompt(c), memory });
  for (const exchange of c.exchanges) await chain.call({ input: exchange.input });
  return llm.sent;
}

/** The seeded history fits the limit: LangChain and we start from it unpruned. */
function withinLimit(c: Case): boolean {
  return countMessages(messageCounter(c.api, models[c.api]), entryMessages(c.seeded)).tokens <= c.limit;
}

describe('lone messages: parity with LangChain', () => {
  for (const type of ['buffer', 'buffer_window'] as const) {
    test(`${type}: every prompt, byte for byte, with system and unpaired messages in place`, async () => {
      await fc.assert(
        fc.asyncProperty(caseOf(true), async (c) => {
          const model = new ScriptedModel(c.exchanges.map((e) => e.reply));
          await runOurs(c, type, model);
          assert.deepEqual(model.sent, await runLangChain(c, type));
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  test('token_buffer: every prompt, with the same messages pruned one by one', async () => {
    await fc.assert(
      fc.asyncProperty(caseOf(false).filter(withinLimit), async (c) => {
        const model = new ScriptedModel(c.exchanges.map((e) => e.reply));
        await runOurs(c, 'token_buffer', model);
        assert.deepEqual(model.sent, await runLangChain(c, 'token_buffer'));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('buffer_window keeps the last 2k messages, so a window may start inside an exchange', async () => {
    const c: Case = { api: 'completion', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', k: 1, limit: 0, seeded: [{ lone: { type: 'system', content: 'Be brief.' } }, { input: 'q1', output: 'a1' }, { lone: { type: 'human', content: 'q2' } }], exchanges: [{ input: 'q3', reply: 'a3' }] };
    const model = new ScriptedModel(['a3']);
    await runOurs(c, 'buffer_window', model);
    assert.deepEqual(model.sent, [{ prompt: 'The conversation so far: AI: a1\nHuman: q2\nHuman: q3\nAI:' }]);
  });
});

/** Python's ConversationSummaryBufferMemory over a chat history seeded with the same messages, in Python's LLMChain. */
const runPython = (c: Case): Promise<Sent[]> => runPythonSummaryBuffer({ ...c, model: models[c.api], summaryPrompt: SUMMARY_PROMPT, seeded: entryMessages(c.seeded).map(baseMessage) });

describe('lone messages: the summary memories', () => {
  test('summary_buffer: every prompt and summary request as Python, lone messages summarized as `System:`/prefixed lines', async () => {
    await fc.assert(
      fc.asyncProperty(caseOf(true).filter(withinLimit), async (c) => {
        const model = new TwoQueueModel(c.exchanges.map((e) => e.reply));
        const conversation = await runOurs(c, 'summary_buffer', model);
        assert.deepEqual(model.sent, await runPython(c));
        // The store keeps every message: the seeded entries in place, each turn appended after them.
        assert.deepEqual(conversation.turns.slice(0, c.seeded.length), c.seeded.map((e) => ({ ...e })));
        assert.equal(conversation.turns.length, c.seeded.length + c.exchanges.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('summary: a seeded history is summarized once, as get_buffer_string of its messages, before the first turn', async () => {
    const c: Case = { api: 'completion', returnMessages: false, humanPrefix: 'Me', aiPrefix: 'Bot', k: 0, limit: 0, seeded: [{ lone: { type: 'system', content: 'Be brief.' } }, { input: 'q1', output: 'a1' }, { lone: { type: 'ai', content: 'Anything else?' } }], exchanges: [{ input: 'q2', reply: 'a2' }] };
    const text = ['---', 'model: gpt-3.5-turbo-instruct', 'memory:', '  type: summary', '  human_prefix: Me', '  ai_prefix: Bot', '---', 'Summary: {history}', 'Me: {input}', 'Bot:'].join('\n');
    const { prompt, config } = loadPrompt(text);
    const model = new TwoQueueModel(['a2']);
    const conversation = createInMemoryConversation<HistoryEntry>(c.seeded);
    const result = await runTurn({ prompt, config, input: 'q2', conversation, model });
    const calls = result.memoryCalls ?? [];
    assert.deepEqual(calls.map((call) => call.reason), ['re-derive', 'turn']);
    assert.ok(calls[0]!.prompt.includes('New lines of conversation:\nSystem: Be brief.\nMe: q1\nBot: a1\nBot: Anything else?\n'), calls[0]!.prompt);
    assert.ok(calls[1]!.prompt.includes('New lines of conversation:\nMe: q2\nBot: a2\n'));
    assert.equal(result.prompt, `Summary: ${calls[0]!.reply}\nMe: q2\nBot:`);
    const view = memoryViewOf(conversation.turns, await conversation.loadState(), config.memory!, config);
    assert.deepEqual([view.storedTurns, view.loneMessages, view.prunedMessages], [2, 2, 6]);
  });
});
