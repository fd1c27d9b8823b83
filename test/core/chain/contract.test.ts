// The contract: LangChain's "Memory in LLMChain" examples, byte for byte, through the real
// `openai` SDK over real HTTP — the prompts, the request bodies the server received and the verbose trace —
// plus the promises around them: buffer_window, input-key errors before any request, and memory left
// untouched by every failure.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runTurn } from '../../../core/chain/run';
import { ChainError } from '../../../core/chain/errors';
import { createOpenAIModel } from '../../../core/model/openaiModel';
import { ModelError } from '../../../core/model/errors';
import type { ModelErrorKind } from '../../../core/model/errors';
import type { Turn } from '../../../core/chain/types';
import { startFakeOpenAI, type FakeStep } from '../../support/fakeOpenAI';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { chatExample, completionExample, variant } from '../../support/examples';
import { createMemoryConversation } from '../../support/memoryConversation';
import { loadPrompt, promptFile, type LoadedPrompt } from './helpers';

describe('the contract: LangChain\'s Memory in LLMChain examples', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('example 1, completion: prompts, request bodies and the turn-2 trace', async () => {
    const { prompt, config } = loadPrompt(completionExample, { model: 'gpt-3.5-turbo-instruct' });
    const conversation = createMemoryConversation();
    const run = (input: string) => runTurn({ prompt, config, input, conversation, model: model() });

    fake.enqueue({ reply: ' Hi there! How can I help you today?' });
    const turn1 = await run('Hi there my friend');
    const prompt1 = 'You are a chatbot having a conversation with a human.\n\n\nHuman: Hi there my friend\nChatbot:';
    assert.equal(turn1.prompt, prompt1);
    assert.equal(turn1.reply, ' Hi there! How can I help you today?');
    assert.equal(fake.requests[0]?.path, '/v1/completions');
    assert.equal(fake.requests[0]?.body.prompt, prompt1);
    assert.equal(fake.requests[0]?.body.model, 'gpt-3.5-turbo-instruct');

    fake.enqueue({ reply: " I'm doing well, thank you for asking!" });
    const turn2 = await run('Not too bad - how are you?');
    const prompt2 =
      'You are a chatbot having a conversation with a human.\n\nHuman: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: Not too bad - how are you?\nChatbot:';
    assert.equal(turn2.prompt, prompt2);
    assert.equal(fake.requests[1]?.body.prompt, prompt2);
    assert.equal(turn2.trace, '\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n' + prompt2 + '\n\n> Finished chain.\n');
    assert.equal(turn2.messages, undefined);

    assert.deepEqual(conversation.turns, [
      { input: 'Hi there my friend', output: ' Hi there! How can I help you today?' },
      { input: 'Not too bad - how are you?', output: " I'm doing well, thank you for asking!" },
    ]);
  });

  test('example 2, chat: prompt texts and the messages sent (system, user, assistant, user)', async () => {
    const { prompt, config } = loadPrompt(chatExample, { model: 'gpt-4o-mini' });
    const conversation = createMemoryConversation();
    const run = (input: string) => runTurn({ prompt, config, input, conversation, model: model() });
    const system = 'You are a chatbot having a conversation with a human.';

    fake.enqueue({ reply: 'Hello! How can I assist you today, my friend?' });
    const turn1 = await run('Hi there my friend');
    assert.equal(turn1.prompt, `System: ${system}\nHuman: Hi there my friend`);
    assert.equal(fake.requests[0]?.path, '/v1/chat/completions');
    assert.deepEqual(fake.requests[0]?.body.messages, [
      { role: 'system', content: system },
      { role: 'user', content: 'Hi there my friend' },
    ]);

    fake.enqueue({ reply: "I'm just a computer program, so I don't have feelings." });
    const turn2 = await run('Not too bad - how are you?');
    assert.equal(
      turn2.prompt,
      `System: ${system}\nHuman: Hi there my friend\nAI: Hello! How can I assist you today, my friend?\nHuman: Not too bad - how are you?`,
    );
    assert.deepEqual(fake.requests[1]?.body.messages, [
      { role: 'system', content: system },
      { role: 'user', content: 'Hi there my friend' },
      { role: 'assistant', content: 'Hello! How can I assist you today, my friend?' },
      { role: 'user', content: 'Not too bad - how are you?' },
    ]);
    assert.deepEqual(turn2.messages?.map((m) => m.type), ['system', 'human', 'ai', 'human']);
  });

  test('buffer_window: only the last k exchanges reach the prompt', async () => {
    const windowed = variant(completionExample, '  key: chat_history', '  key: chat_history\n  type: buffer_window\n  k: 1');
    const { prompt, config } = loadPrompt(windowed, { model: 'gpt-3.5-turbo-instruct' });
    const conversation = createMemoryConversation([
      { input: 'first', output: ' one' },
      { input: 'second', output: ' two' },
    ]);
    fake.enqueue({ reply: ' three' });
    const result = await runTurn({ prompt, config, input: 'third', conversation, model: model() });
    assert.equal(
      result.prompt,
      'You are a chatbot having a conversation with a human.\n\nHuman: second\nAI:  two\nHuman: third\nChatbot:',
    );
    assert.equal(conversation.turns.length, 3, 'the window limits what is shown, not what is stored');
  });

  test('an ambiguous input key fails with LangChain\'s error before any request', async () => {
    const { prompt, config } = loadPrompt(promptFile('{history}', '{a} and {b}'), { model: 'gpt-4o-mini' });
    const conversation = createMemoryConversation();
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', conversation, model: model() }),
      (err: unknown) => err instanceof ChainError && err.message === "One input key expected got ['a', 'b']",
    );
    assert.equal(fake.requests.length, 0);
    assert.equal(conversation.appendCount, 0);
  });

  test('a missing variable fails with LangChain\'s error before any request', async () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'input_key: q', '---', '{name}: {q}'), { model: 'gpt-4o-mini' });
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', model: model() }),
      (err: unknown) => err instanceof ChainError && err.message === "Missing some input keys: {'name'}",
    );
    assert.equal(fake.requests.length, 0);
  });

  describe('every failure leaves memory unchanged', () => {
    const stored: Turn[] = [{ input: 'Hi there my friend', output: ' Hi there! How can I help you today?' }];
    const faults: [string, FakeStep, ModelErrorKind][] = [
      ['401', { fault: 'status', status: 401 }, 'auth'],
      ['404 unknown model', { fault: 'status', status: 404 }, 'model-not-found'],
      ['429', { fault: 'status', status: 429 }, 'rate-limit'],
      ['500', { fault: 'status', status: 500 }, 'server'],
      ['stream cut mid-reply', { fault: 'cut', chunks: [' I am', ' fi'] }, 'stream-cut'],
      ['stream ended early, without a finish reason', { fault: 'truncate', chunks: [' I am', ' fi'] }, 'stream-cut'],
      ['empty stream', { fault: 'empty' }, 'empty'],
      ['timeout', { fault: 'hang' }, 'timeout'],
    ];

    for (const api of ['completion', 'chat'] as const) {
      for (const [name, step, kind] of faults) {
        test(`${api}: ${name} -> ${kind}`, async () => {
          const { prompt, config } = examplePrompt(api);
          const conversation = createMemoryConversation(stored);
          fake.enqueue(step);
          const timeoutMs = kind === 'timeout' ? 200 : 5000;
          const failing = model({ timeoutMs });
          await assert.rejects(
            runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: failing }),
            (err: unknown) => err instanceof ModelError && err.kind === kind,
          );
          assert.deepEqual(conversation.turns, stored);
          assert.equal(conversation.appendCount, 0);

          // The next turn sees exactly the memory from before the failure.
          fake.enqueue({ reply: 'Fine.' });
          await runTurn({ prompt, config, input: 'Again', conversation, model: model() });
          assert.deepEqual(conversation.turns, [...stored, { input: 'Again', output: 'Fine.' }]);
        });
      }
    }

    test('connection refused', async () => {
      const { prompt, config } = examplePrompt('completion');
      const conversation = createMemoryConversation(stored);
      const other = await startFakeOpenAI();
      await other.close();
      const unreachable = createOpenAIModel({ apiKey: 'sk-test', baseURL: other.baseURL, maxRetries: 0 });
      await assert.rejects(
        runTurn({ prompt, config, input: 'x', conversation, model: unreachable }),
        (err: unknown) => err instanceof ModelError && err.kind === 'connection' && err.message.includes(other.baseURL),
      );
      assert.deepEqual(conversation.turns, stored);
    });

    test('cancelled mid-reply, after tokens were shown', async () => {
      const { prompt, config } = examplePrompt('chat');
      const conversation = createMemoryConversation(stored);
      const controller = new AbortController();
      fake.enqueue({ fault: 'hang', chunks: ['I am', ' doing'] });
      const tokens: string[] = [];
      const onToken = (token: string) => {
        tokens.push(token);
        if (tokens.length === 2) controller.abort();
      };
      await assert.rejects(
        runTurn({ prompt, config, input: 'x', conversation, model: model(), signal: controller.signal, onToken }),
        (err: unknown) => err instanceof ModelError && err.kind === 'cancelled',
      );
      assert.deepEqual(tokens, ['I am', ' doing']);
      assert.deepEqual(conversation.turns, stored);
    });
  });

  function examplePrompt(api: 'completion' | 'chat'): LoadedPrompt {
    return api === 'completion'
      ? loadPrompt(completionExample, { model: 'gpt-3.5-turbo-instruct' })
      : loadPrompt(chatExample, { model: 'gpt-4o-mini' });
  }
});
