import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runTurn } from '../../../core/chain/run';
import { ChainError } from '../../../core/chain/errors';
import { ModelError } from '../../../core/model/errors';
import type { LanguageModel } from '../../../core/chain/types';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { createMemoryConversation } from '../../support/memoryConversation';
import { loadPrompt, promptFile } from './helpers';

const chatPrompt = promptFile('---', 'memory:', '  return_messages: true', '---', 'system:', 'Be brief.', 'placeholder:', '{history}', 'human:', '{question}');
const completionPrompt = promptFile('{history}', 'Q: {question}', 'A:');

describe('runTurn', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('returns prompt, messages, reply, usage, timings and the plain trace, and saves the turn', async () => {
    const { prompt, config } = loadPrompt(chatPrompt);
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: 'Short answer.', chunks: ['Short', ' answer.'] });
    const result = await runTurn({ prompt, config, input: 'Why?', conversation, model: model() });
    assert.equal(result.prompt, 'System: Be brief.\nHuman: Why?');
    assert.deepEqual(result.messages, [
      { type: 'system', content: 'Be brief.' },
      { type: 'human', content: 'Why?' },
    ]);
    assert.equal(result.reply, 'Short answer.');
    assert.equal(result.usage?.completionTokens, 2);
    assert.ok(result.timings.totalMs >= result.timings.modelMs);
    assert.notEqual(result.timings.firstTokenMs, undefined);
    assert.ok(result.trace.includes('Prompt after formatting:\nSystem: Be brief.\nHuman: Why?\n'));
    assert.ok(!result.trace.includes('\x1b'));
    assert.deepEqual(conversation.turns, [{ input: 'Why?', output: 'Short answer.' }]);
  });

  test('onPrompt sees the prompt before the model is called; onToken sees each piece in order', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const events: string[] = [];
    fake.enqueue({ reply: ' It depends.', chunks: [' It', ' depends', '.'] });
    await runTurn({
      prompt,
      config,
      input: 'Why?',
      model: model(),
      onPrompt: (text, messages) => events.push(`prompt:${text}|requests:${fake.requests.length}|messages:${String(messages)}`),
      onToken: (token) => events.push(`token:${token}`),
    });
    assert.deepEqual(events, ['prompt:\nQ: Why?\nA:|requests:0|messages:undefined', 'token: It', 'token: depends', 'token:.']);
  });

  test('without a conversation the turn runs with empty memory and saves nothing', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    fake.enqueue({ reply: 'ok' });
    const result = await runTurn({ prompt, config, input: 'Why?', model: model() });
    assert.equal(result.prompt, '\nQ: Why?\nA:');
  });

  test('memory: false never touches the conversation', async () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'memory: false', '---', 'Q: {question}'));
    const conversation = createMemoryConversation([{ input: 'old', output: 'turn' }]);
    fake.enqueue({ reply: 'ok' });
    await runTurn({ prompt, config, input: 'Why?', conversation, model: model() });
    assert.equal(conversation.appendCount, 0);
    assert.equal(fake.requests[0]?.body.prompt, 'Q: Why?');
  });

  test('--var style variables fill the other template variables', async () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'input_key: question', '---', 'You are {persona}.', 'Q: {question}'));
    fake.enqueue({ reply: 'Arr.' });
    const result = await runTurn({ prompt, config, input: 'Why?', variables: { persona: 'a pirate' }, model: model() });
    assert.equal(result.prompt, 'You are a pirate.\nQ: Why?');
  });

  test('two concurrent turns on one conversation run one after the other, each seeing the one before', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: 'first reply' }, { reply: 'second reply' });
    const [first, second] = await Promise.all([
      runTurn({ prompt, config, input: 'one', conversation, model: model() }),
      runTurn({ prompt, config, input: 'two', conversation, model: model() }),
    ]);
    assert.equal(first.reply, 'first reply');
    assert.equal(second.prompt, 'Human: one\nAI: first reply\nQ: two\nA:');
    assert.deepEqual(conversation.turns.map((turn) => turn.input), ['one', 'two']);
  });

  test('a failed turn releases the lock: the next turn runs', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = createMemoryConversation();
    fake.enqueue({ fault: 'status', status: 500 }, { reply: 'ok' });
    const failed = runTurn({ prompt, config, input: 'one', conversation, model: model() });
    const next = runTurn({ prompt, config, input: 'two', conversation, model: model() });
    await assert.rejects(failed, ModelError);
    assert.equal((await next).reply, 'ok');
    assert.deepEqual(conversation.turns, [{ input: 'two', output: 'ok' }]);
  });

  test('a signal aborted before the turn starts sends nothing', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', model: model(), signal: controller.signal }),
      (err: unknown) => err instanceof ModelError && err.kind === 'cancelled',
    );
    assert.equal(fake.requests.length, 0);
  });

  test('cancelling while the server has not answered: cancelled, nothing saved', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = createMemoryConversation();
    const controller = new AbortController();
    fake.enqueue({ fault: 'hang' });
    const pending = runTurn({ prompt, config, input: 'x', conversation, model: model(), signal: controller.signal });
    await fake.waitForHang();
    controller.abort();
    await assert.rejects(pending, (err: unknown) => err instanceof ModelError && err.kind === 'cancelled');
    assert.equal(conversation.appendCount, 0);
  });

  test('a document with errors is refused before any request', async () => {
    const { prompt, config } = loadPrompt(promptFile('Q: {question'));
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', model: model() }),
      (err: unknown) => err instanceof ChainError && err.kind === 'invalid-prompt' && /line 1/.test(err.message),
    );
    assert.equal(fake.requests.length, 0);
  });

  test('no model anywhere: a clear error before any request', async () => {
    const { prompt, config } = loadPrompt(completionPrompt, {});
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', model: model() }),
      (err: unknown) => err instanceof ChainError && err.kind === 'no-model' && /model:/.test(err.message),
    );
    assert.equal(fake.requests.length, 0);
  });

  test('a model port that returns an empty reply: empty, nothing saved', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = createMemoryConversation();
    const silent: LanguageModel = { invoke: async () => ({ text: '' }) };
    await assert.rejects(
      runTurn({ prompt, config, input: 'x', conversation, model: silent }),
      (err: unknown) => err instanceof ModelError && err.kind === 'empty',
    );
    assert.equal(conversation.appendCount, 0);
  });

  test('the model name and parameters from the file reach the server', async () => {
    const text = promptFile('---', 'model: llama3.2', 'parameters:', '  temperature: 0', '  stop: ["\\nHuman:"]', '---', 'Q: {question}');
    const { prompt, config } = loadPrompt(text);
    fake.enqueue({ reply: 'ok' });
    await runTurn({ prompt, config, input: 'x', model: model() });
    const body = fake.requests[0]?.body;
    assert.equal(body.model, 'llama3.2');
    assert.equal(body.temperature, 0);
    assert.deepEqual(body.stop, ['\nHuman:']);
  });
  test('a chat turn\'s prompt and trace read after later turns still show the memory that turn was sent', async () => {
    const { prompt, config } = loadPrompt(chatPrompt);
    const conversation = createMemoryConversation([{ input: 'Hi', output: 'Hello.' }]);
    const results = [];
    for (const [input, reply] of [['One?', 'First.'], ['Two?', 'Second.'], ['Three?', 'Third.']] as const) {
      fake.enqueue({ reply });
      results.push(await runTurn({ prompt, config, input, conversation, model: model() }));
    }
    const history = ['Human: Hi\nAI: Hello.', 'Human: One?\nAI: First.', 'Human: Two?\nAI: Second.'];
    const expected = (turn: number, input: string) => ['System: Be brief.', ...history.slice(0, turn + 1), `Human: ${input}`].join('\n');
    // Out of order: the last turn's text first, then the earlier ones, which are its beginnings.
    assert.equal(results[2]!.prompt, expected(2, 'Three?'));
    assert.equal(results[0]!.prompt, expected(0, 'One?'));
    assert.equal(results[1]!.trace, `\n\n> Entering new LLMChain chain...\nPrompt after formatting:\n${expected(1, 'Two?')}\n\n> Finished chain.\n`);
    // What the server answers: the result as JSON, prompt and trace included.
    const answered = JSON.parse(JSON.stringify(results[0])) as { prompt: string; trace: string; reply: string };
    assert.equal(answered.prompt, expected(0, 'One?'));
    assert.equal(answered.trace, results[0]!.trace);
    assert.equal(answered.reply, 'First.');
    assert.deepEqual(Object.keys(results[0]!), ['prompt', 'messages', 'reply', 'usage', 'timings', 'trace']);
    // The conversation's array is as it was: what the engine keeps with it is invisible.
    assert.deepEqual(conversation.turns, [{ input: 'Hi', output: 'Hello.' }, { input: 'One?', output: 'First.' }, { input: 'Two?', output: 'Second.' }, { input: 'Three?', output: 'Third.' }]);
  });
});
