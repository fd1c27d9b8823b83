import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareModels, ComparisonCancelled } from '../../../core/testing/compareModels';
import { runTurn } from '../../../core/chain/run';
import { createInMemoryConversation } from '../../../core/memory/inMemory';
import type { HistoryEntry } from '../../../core/chain/types';
import { chatExample, completionExample } from '../../support/examples';
import { loadPrompt, promptFile } from '../chain/helpers';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';

describe('compareModels', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('each model continues the stored conversation; the store is left as it was', async () => {
    const { prompt, config } = loadPrompt(chatExample);
    const stored = createInMemoryConversation<HistoryEntry>([{ input: 'My name is Ada.', output: 'Hello Ada!' }]);
    const before = JSON.stringify(stored.turns);
    fake.enqueue({ forModel: 'gpt-4o', reply: 'You are Ada.' }, { forModel: 'gpt-4o-mini', reply: 'Ada, I think.' });
    const columns: number[] = [];
    const replies = await compareModels({ prompt, config, input: 'What is my name?', models: ['gpt-4o-mini', 'gpt-4o'], model: model(), conversation: stored, onReply: (_, column) => columns.push(column) });
    assert.deepEqual(replies.map((reply) => [reply.model, reply.reply]), [['gpt-4o-mini', 'Ada, I think.'], ['gpt-4o', 'You are Ada.']]);
    assert.deepEqual(columns.sort(), [0, 1]);
    for (const request of fake.requests) {
      assert.deepEqual(request.body.messages.slice(-3).map((m: { content: string }) => m.content), ['My name is Ada.', 'Hello Ada!', 'What is my name?']);
    }
    assert.deepEqual(fake.requests.map((request) => request.body.model).sort(), ['gpt-4o', 'gpt-4o-mini']);
    assert.ok(replies[0]!.prompt?.endsWith('Human: My name is Ada.\nAI: Hello Ada!\nHuman: What is my name?'), replies[0]!.prompt);
    assert.equal(JSON.stringify(stored.turns), before);
  });

  test('a model that fails has its failure in its column; the others answer', async () => {
    const { prompt, config } = loadPrompt(completionExample);
    fake.enqueue({ forModel: 'no-such-model', fault: 'status', status: 404 });
    const replies = await compareModels({ prompt, config: { ...config, api: 'completion' }, input: 'Hi', models: ['gpt-3.5-turbo-instruct', 'no-such-model'], model: model() });
    assert.equal(replies[0]!.reply, 'Echo: Chatbot:');
    assert.equal(replies[0]!.failure, undefined);
    assert.equal(replies[1]!.reply, undefined);
    assert.equal(replies[1]!.failure?.kind, 'model');
    assert.match(replies[1]!.failure!.message, /no-such-model/);
  });

  test('a summary memory is compared with its stored summary, not summarized again', async () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'memory:', '  type: summary', '---', 'Summary: {history}', 'Human: {input}', 'AI:'));
    const stored = createInMemoryConversation<HistoryEntry>();
    fake.enqueue({ reply: 'Hi Ada.' }, { reply: 'The human is Ada.' });
    await runTurn({ prompt, config, input: 'I am Ada.', conversation: stored, model: model() });
    fake.reset();
    const replies = await compareModels({ prompt, config, input: 'Who am I?', models: [config.model!], model: model(), conversation: stored });
    // The reply, then the summary the turn would save (thrown away with the scratch copy): none derived again.
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0]!.body.prompt, 'Summary: The human is Ada.\nHuman: Who am I?\nAI:');
    assert.equal(replies[0]!.prompt, 'Summary: The human is Ada.\nHuman: Who am I?\nAI:');
  });

  test('a cancel ends the comparison without a result', async () => {
    const { prompt, config } = loadPrompt(chatExample);
    fake.enqueue({ fault: 'hang' }, { fault: 'hang' });
    const abort = new AbortController();
    const comparing = compareModels({ prompt, config, input: 'Hi', models: ['a', 'b'], model: model(), signal: abort.signal });
    await fake.waitForHang(2);
    abort.abort();
    await assert.rejects(comparing, ComparisonCancelled);
  });
});
