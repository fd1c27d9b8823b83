// ConversationSummaryBufferMemory, Python semantics: our engine (incremental counts, state persisted beside
// the turns) against a transliteration of the Python class (./pythonSummaryBuffer.ts), every main prompt
// and every summary request byte for byte; a golden conversation of the Python behaviour; and the
// LangChain.js difference (it prunes a copy, langchainjs#2917), shown rather than followed.
//
// golden/summary-buffer.json holds, per turn, the prompt sent and the summary request made (or null). It
// was derived from the Python source (through the transliteration); with a Python install that has
// langchain-classic and tiktoken, `python3 test/core/chain/memoryClasses/golden/summary_buffer.py` prints
// it from the real class (see docs/testing.md), and it should not change.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LLMChain } from '@langchain/classic/chains';
import { ConversationSummaryBufferMemory } from '@langchain/classic/memory';
import { PromptTemplate } from '@langchain/core/prompts';
import { runTurn } from '../../../../core/chain/run';
import { memoryViewOf } from '../../../../core/chain/memoryClasses';
import { createMemoryConversation } from '../../../support/memoryConversation';
import { loadPrompt } from '../helpers';
import { runPythonSummaryBuffer } from './pythonSummaryBuffer';
import { RecordingLLM, TwoQueueModel, type Sent } from './scripted';

const golden = join(__dirname, 'golden');
const SUMMARY_PROMPT_TEXT = readFileSync(join(golden, 'summary-prompt.txt'), 'utf8');
const models = { completion: 'gpt-3.5-turbo-instruct', chat: 'gpt-4o-mini' } as const;

interface Case {
  api: 'completion' | 'chat';
  returnMessages: boolean;
  humanPrefix: string;
  aiPrefix: string;
  limit: number;
  exchanges: { input: string; reply: string }[];
}

function fileOf(c: Case): string {
  const head = ['---', `model: ${models[c.api]}`, 'memory:', '  type: summary_buffer', `  max_token_limit: ${c.limit}`, `  human_prefix: "${c.humanPrefix}"`, `  ai_prefix: "${c.aiPrefix}"`, `  return_messages: ${c.api === 'chat' && c.returnMessages}`, '---'];
  if (c.api === 'completion') return [...head, 'The conversation so far: {history}', 'Human: {input}', 'AI:'].join('\n');
  const body = c.returnMessages ? ['system:', 'You are kind.', 'placeholder:', '{history}', 'human:', '{input}'] : ['system:', 'You are kind. So far: {history}', 'human:', '{input}'];
  return [...head, ...body].join('\n');
}

async function runOurs(c: Case): Promise<Sent[]> {
  const { prompt, config } = loadPrompt(fileOf(c));
  assert.deepEqual(prompt.problems, []);
  const model = new TwoQueueModel(c.exchanges.map((e) => e.reply));
  const conversation = createMemoryConversation();
  for (const exchange of c.exchanges) await runTurn({ prompt, config, input: exchange.input, conversation, model });
  return model.sent;
}

/** The Python class inside Python's LLMChain: load, format, call, save_context (prune, summarize). */
const runPython = (c: Case): Promise<Sent[]> => runPythonSummaryBuffer({ ...c, model: models[c.api], summaryPrompt: SUMMARY_PROMPT_TEXT });

const word = fc.constantFrom('hello', 'Lisbon', 'trip', 'in', 'May', '{x}', 'naïve', '東京', '😀', 'Human:', 'ok', '42', "it's", '\n');
const content = fc.array(word, { minLength: 1, maxLength: 14 }).map((words) => words.join(' ').trim() || 'x');

const conversationCase: fc.Arbitrary<Case> = fc.record({
  api: fc.constantFrom<Case['api']>('completion', 'chat'),
  returnMessages: fc.boolean(),
  humanPrefix: fc.constantFrom('Human', 'Me'),
  aiPrefix: fc.constantFrom('AI', 'Bot'),
  limit: fc.integer({ min: 3, max: 120 }),
  exchanges: fc.array(fc.record({ input: content, reply: content }), { minLength: 1, maxLength: 6 }),
});

/** The example: a limit of 20 tokens, completion model, a short conversation. */
const goldenCase: Case = {
  api: 'completion',
  returnMessages: false,
  humanPrefix: 'Human',
  aiPrefix: 'AI',
  limit: 20,
  exchanges: [
    { input: 'Hi, I am Ana.', reply: 'Hello Ana!' },
    { input: 'I live in Lisbon.', reply: 'Lisbon is lovely.' },
    { input: 'I am planning a trip to Tokyo in May.', reply: 'May is a fine month for Tokyo.' },
    { input: 'What should I pack?', reply: 'Light clothes and an umbrella.' },
    { input: 'What is my name?', reply: 'Your name is Ana.' },
  ],
};

describe('summary_buffer (ConversationSummaryBufferMemory, Python semantics)', () => {
  test('every prompt and summary request equals the Python class\'s, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(conversationCase, async (c) => assert.deepEqual(await runOurs(c), await runPython(c))),
      { numRuns: Number(process.env.PARITY_RUNS ?? 25) },
    );
  });

  test('the golden conversation of the Python behaviour', async () => {
    // UPDATE_GOLDEN=1 rewrites it from the transliteration; the Python script checks it against the real class.
    if (process.env.UPDATE_GOLDEN) writeFileSync(join(golden, 'summary-buffer.json'), `${JSON.stringify(await runPython(goldenCase), null, 2)}\n`);
    const expected = JSON.parse(readFileSync(join(golden, 'summary-buffer.json'), 'utf8')) as Sent[];
    assert.deepEqual(await runOurs(goldenCase), expected);
    assert.deepEqual(await runPython(goldenCase), expected);
  });

  test('what the memory holds: the summary, kept and pruned messages, tokens against the limit', async () => {
    const { prompt, config } = loadPrompt(fileOf(goldenCase));
    const conversation = createMemoryConversation();
    const model = new TwoQueueModel(goldenCase.exchanges.map((e) => e.reply));
    for (const exchange of goldenCase.exchanges) await runTurn({ prompt, config, input: exchange.input, conversation, model });
    const view = memoryViewOf(conversation.turns, await conversation.loadState(), config.memory!, config);
    assert.equal(view.storedTurns, 5);
    assert.equal(view.keptMessages + view.prunedMessages, 10);
    assert.ok(view.prunedMessages > 0 && view.summary?.startsWith('Summary '));
    assert.ok(view.tokens !== undefined && view.tokens <= 20);
    assert.equal(view.maxTokenLimit, 20);
    assert.equal(view.pendingSummary, undefined);
  });

  test('LangChain.js differs: it prunes a copy, so its history grows past the limit', async () => {
    const llm = new RecordingLLM(goldenCase.exchanges.flatMap((e) => [e.reply, 'A summary.']));
    const memory = new ConversationSummaryBufferMemory({ llm, maxTokenLimit: 20, memoryKey: 'history', inputKey: 'input' });
    const chain = new LLMChain({ llm, prompt: PromptTemplate.fromTemplate('The conversation so far: {history}\nHuman: {input}\nAI:'), memory });
    const storedCounts: number[] = [];
    for (const exchange of goldenCase.exchanges) {
      await chain.call({ input: exchange.input });
      storedCounts.push((await memory.chatHistory.getMessages()).length);
    }
    // The first pruning pops from the history itself; once a summary exists, prune() pops from
    // [summary, ...history], a copy, so the history only grows (Python's stays within the limit).
    assert.deepEqual(storedCounts, [2, 3, 5, 7, 9]);
    // So its last prompt still carries the second turn verbatim, beside a summary of it; Python's does not.
    const lastMain = (sent: readonly Sent[]) => sent.filter((item): item is { prompt: string } => 'prompt' in item && !item.prompt.startsWith('Progressively')).at(-1)?.prompt ?? '';
    assert.ok(lastMain(llm.sent).includes('I live in Lisbon.'));
    assert.ok(!lastMain(await runOurs(goldenCase)).includes('I live in Lisbon.'));
  });
});
