// The memory classes inside a turn, over the real HTTP fake model: the summary call goes out after the
// reply is stored, its failures (HTTP 500, timeout, cancel) keep the turn and the old state and are owed to
// the next turn, which catches up first; a changed type re-derives from the full history; a preview never
// calls the model and says a summary is pending.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { previewTurn, runTurn } from '../../../../core/chain/run';
import { ChainError } from '../../../../core/chain/errors';
import type { MemoryState } from '../../../../core/chain/types';
import { SUMMARY_PROMPT } from '../../../../core/chain/memoryClasses';
import { memoryViewOf } from '../../../../core/chain/memoryClasses';
import { useFakeOpenAI } from '../../../support/useFakeOpenAI';
import { createMemoryConversation } from '../../../support/memoryConversation';
import { loadPrompt, promptFile } from '../helpers';

const summaryFile = (extra: string[] = []) =>
  promptFile('---', 'model: gpt-3.5-turbo-instruct', 'memory:', '  type: summary', ...extra, '---', 'Summary of the conversation: {history}', 'Human: {input}', 'AI:');

/** How many turns the saved state accounts for, and its summary: [0, ''] when nothing is summarized. */
async function summarized(conversation: { loadState(): Promise<MemoryState | undefined> }): Promise<[number, string]> {
  const state = await conversation.loadState();
  return [state?.turns ?? 0, state?.summary ?? ''];
}

/** SUMMARY_PROMPT formatted as LangChain's predict_new_summary formats it. */
const summaryPrompt = (summary: string, newLines: string) => SUMMARY_PROMPT.replace('{summary}', summary).replace('{new_lines}', newLines);

describe('memory classes in a turn', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('summary: the turn is stored, then one summary call with the last two messages; the next prompt sees the summary', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: ' Hello Ana!' }, { reply: 'Ana says hi.' }, { reply: ' Ana.' }, { reply: 'Ana says hi and asks her name.' });
    const first = await runTurn({ prompt, config, input: 'Hi, I am Ana', conversation, model: model() });
    assert.equal(fake.requests[0]?.body.prompt, 'Summary of the conversation: \nHuman: Hi, I am Ana\nAI:');
    assert.equal(fake.requests[1]?.body.prompt, summaryPrompt('', 'Human: Hi, I am Ana\nAI:  Hello Ana!'));
    assert.deepEqual(first.memoryCalls?.map((call) => [call.purpose, call.reason, call.model, call.reply, call.failure]), [['summary', 'turn', 'gpt-3.5-turbo-instruct', 'Ana says hi.', undefined]]);
    assert.equal(first.memoryCalls?.[0]?.prompt, fake.requests[1]?.body.prompt);
    assert.ok((first.memoryCalls?.[0]?.usage?.totalTokens ?? 0) > 0);
    assert.equal((await conversation.loadState())?.summary, 'Ana says hi.');
    const second = await runTurn({ prompt, config, input: 'What is my name?', conversation, model: model() });
    assert.equal(second.prompt, 'Summary of the conversation: Ana says hi.\nHuman: What is my name?\nAI:');
    assert.equal(fake.requests[3]?.body.prompt, summaryPrompt('Ana says hi.', 'Human: What is my name?\nAI:  Ana.'));
    assert.equal(conversation.turns.length, 2, 'the store keeps every message whatever the prompt sees');
  });

  test('a chat model gets the summary prompt as one human message, with summary_model and summary_parameters', async () => {
    const file = promptFile('---', 'model: gpt-4o', 'memory:', '  type: summary', '  return_messages: true', '  summary_model: gpt-4o-mini', '  summary_parameters:', '    temperature: 0', '---', 'placeholder:', '{history}', 'human:', '{input}');
    const { prompt, config } = loadPrompt(file);
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: 'Hello!' }, { reply: 'A greeting.' }, { reply: 'Again hello.' }, { reply: 'Two greetings.' });
    const first = await runTurn({ prompt, config, input: 'Hi', conversation, model: model() });
    assert.deepEqual(first.messages, [{ type: 'system', content: '' }, { type: 'human', content: 'Hi' }], 'a list of one SystemMessage even while the summary is empty');
    const summaryRequest = fake.requests[1]?.body;
    assert.equal(summaryRequest.model, 'gpt-4o-mini');
    assert.equal(summaryRequest.temperature, 0);
    assert.deepEqual(summaryRequest.messages, [{ role: 'user', content: summaryPrompt('', 'Human: Hi\nAI: Hello!') }]);
    assert.deepEqual(first.memoryCalls?.[0]?.messages, [{ type: 'human', content: summaryPrompt('', 'Human: Hi\nAI: Hello!') }]);
    await runTurn({ prompt, config, input: 'Hi again', conversation, model: model() });
    assert.deepEqual(fake.requests[2]?.body.messages[0], { role: 'system', content: 'A greeting.' });
    assert.equal(fake.requests[2]?.body.model, 'gpt-4o');
  });

  test('a failing summary call (HTTP 500): the turn is kept, the state stays, the next turn catches up first', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: ' Hi.' }, { fault: 'status', status: 500 });
    const first = await runTurn({ prompt, config, input: 'one', conversation, model: model() });
    assert.equal(first.reply, ' Hi.');
    assert.deepEqual(conversation.turns, [{ input: 'one', output: ' Hi.' }]);
    assert.equal(first.memoryCalls?.[0]?.failure?.kind, 'endpoint');
    assert.equal(first.memoryCalls?.[0]?.reply, undefined);
    assert.deepEqual(await summarized(conversation), [0, '']);
    const preview = await previewTurn({ prompt, config, input: 'two', conversation });
    assert.equal(preview.pendingSummary, true);
    assert.equal(preview.prompt, 'Summary of the conversation: \nHuman: two\nAI:');
    assert.equal(fake.requests.length, 2, 'a preview never calls the model');
    assert.equal(memoryViewOf(conversation.turns, await conversation.loadState(), config.memory!, config).pendingSummary, true);

    fake.enqueue({ reply: 'They said one.' }, { reply: ' Two.' }, { reply: 'They said one and two.' });
    const second = await runTurn({ prompt, config, input: 'two', conversation, model: model() });
    assert.equal(fake.requests[2]?.body.prompt, summaryPrompt('', 'Human: one\nAI:  Hi.'));
    assert.equal(second.prompt, 'Summary of the conversation: They said one.\nHuman: two\nAI:');
    assert.deepEqual(second.memoryCalls?.map((call) => call.reason), ['catch-up', 'turn']);
    assert.equal((await conversation.loadState())?.summary, 'They said one and two.');
    assert.equal((await conversation.loadState())?.turns, 2);
  });

  test('a summary call that times out is a failure of kind timeout; the turn is kept', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: ' Hi.' }, { fault: 'hang' });
    const result = await runTurn({ prompt, config, input: 'one', conversation, model: model({ timeoutMs: 300 }) });
    assert.equal(result.memoryCalls?.[0]?.failure?.kind, 'timeout');
    assert.equal(conversation.turns.length, 1);
    assert.deepEqual(await summarized(conversation), [0, '']);
  });

  test('cancelling during the summary call keeps the turn and the old state; the summary is owed', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    const controller = new AbortController();
    fake.enqueue({ reply: ' Hi.' }, { fault: 'hang' });
    const running = runTurn({ prompt, config, input: 'one', conversation, model: model(), signal: controller.signal });
    await fake.waitForHang();
    controller.abort();
    const result = await running;
    assert.equal(result.memoryCalls?.[0]?.failure?.kind, 'cancelled');
    assert.deepEqual(conversation.turns, [{ input: 'one', output: ' Hi.' }]);
    assert.deepEqual(await summarized(conversation), [0, '']);
    assert.equal((await previewTurn({ prompt, config, input: 'x', conversation })).pendingSummary, true);
  });

  test('cancelling during the catch-up cancels the turn: nothing sent for it, nothing stored', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation([{ input: 'one', output: 'Hi.' }]);
    const controller = new AbortController();
    fake.enqueue({ fault: 'hang' });
    const running = runTurn({ prompt, config, input: 'two', conversation, model: model(), signal: controller.signal });
    await fake.waitForHang();
    controller.abort();
    await assert.rejects(running, (error: Error & { kind?: string }) => error.kind === 'cancelled');
    assert.equal(fake.requests.length, 1);
    assert.equal(conversation.turns.length, 1);
    assert.equal(await conversation.loadState(), undefined);
  });

  test('a process killed between the reply and the summary: the turn is stored, the reload catches up with one call', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: ' A.' }, { reply: 'S1' });
    await runTurn({ prompt, config, input: 'one', conversation, model: model() });
    // What a kill -9 after the append leaves: two more turns stored, the state still at turn one.
    const reloaded = createMemoryConversation([...conversation.turns, { input: 'two', output: 'B.' }, { input: 'three', output: 'C.' }]);
    await reloaded.saveState((await conversation.loadState())!);
    assert.equal(memoryViewOf(reloaded.turns, await reloaded.loadState(), config.memory!, config).summary, 'S1', 'loading never summarizes');
    fake.enqueue({ reply: 'S3' }, { reply: ' D.' }, { reply: 'S4' });
    const result = await runTurn({ prompt, config, input: 'four', conversation: reloaded, model: model() });
    assert.equal(fake.requests[2]?.body.prompt, summaryPrompt('S1', 'Human: two\nAI: B.\nHuman: three\nAI: C.'));
    assert.equal(result.prompt, 'Summary of the conversation: S3\nHuman: four\nAI:');
    assert.equal(fake.requests.length, 5);
  });

  test('changing the type re-derives from the full history with one call, and says so', async () => {
    const stored = [{ input: 'one', output: 'A.' }, { input: 'two', output: 'B.' }];
    const conversation = createMemoryConversation(stored);
    const { prompt, config } = loadPrompt(summaryFile());
    fake.enqueue({ reply: 'All of it.' }, { reply: ' C.' }, { reply: 'All of it, and three.' });
    const result = await runTurn({ prompt, config, input: 'three', conversation, model: model() });
    assert.equal(fake.requests[0]?.body.prompt, summaryPrompt('', 'Human: one\nAI: A.\nHuman: two\nAI: B.'));
    assert.deepEqual(result.memoryCalls?.map((call) => call.reason), ['re-derive', 'turn']);
    assert.equal(result.prompt, 'Summary of the conversation: All of it.\nHuman: three\nAI:');
  });

  test('token_buffer prunes what the prompt sees without any model call; the store keeps everything', async () => {
    const file = promptFile('---', 'model: gpt-3.5-turbo-instruct', 'memory:', '  type: token_buffer', '  max_token_limit: 6', '---', '{history}', 'Human: {input}', 'AI:');
    const { prompt, config } = loadPrompt(file);
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: 'alpha beta gamma' }, { reply: 'delta epsilon zeta' }, { reply: 'ok' });
    await runTurn({ prompt, config, input: 'first question here', conversation, model: model() });
    await runTurn({ prompt, config, input: 'second question here', conversation, model: model() });
    const third = await runTurn({ prompt, config, input: 'third', conversation, model: model() });
    assert.equal(fake.requests.length, 3);
    assert.equal(third.memoryCalls, undefined);
    // cl100k_base: "Human: first question here" 5, "AI: alpha beta gamma" 5, "Human: second question here" 5,
    // "AI: delta epsilon zeta" 6: after turn two only the last message fits; it is popped message by message.
    assert.equal(fake.requests[1]?.body.prompt, 'AI: alpha beta gamma\nHuman: second question here\nAI:');
    assert.equal(third.prompt, 'AI: delta epsilon zeta\nHuman: third\nAI:');
    assert.equal(conversation.turns.length, 3);
    const view = memoryViewOf(conversation.turns, await conversation.loadState(), config.memory!, config);
    // "Human: third" 3 and "AI: ok" 3 join the 6 of "AI: delta epsilon zeta": 12 > 6, so it goes too.
    assert.deepEqual([view.storedTurns, view.keptMessages, view.prunedMessages, view.tokens, view.maxTokenLimit, view.approximate], [3, 2, 4, 6, 6, undefined]);
  });

  test('a summary prompt with other variables is refused before anything is sent, with LangChain\'s message', async () => {
    const { prompt, config } = loadPrompt(summaryFile(['  summary_prompt: "{summary} {lines}"']));
    await assert.rejects(runTurn({ prompt, config, input: 'x', conversation: createMemoryConversation(), model: model() }), (error: unknown) => {
      assert.ok(error instanceof ChainError);
      assert.equal(error.kind, 'summary-prompt');
      assert.equal(error.message, "Got unexpected prompt input variables. The prompt expects ['lines', 'summary'], but it should have {'summary', 'new_lines'}.");
      return true;
    });
    assert.equal(fake.requests.length, 0);
  });
});

describe('memory classes and Retry', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('replacing a summarized turn formats with the state from before it (the prompt the first try sent), then summarizes the new one', async () => {
    const { prompt, config } = loadPrompt(summaryFile());
    const conversation = createMemoryConversation();
    fake.enqueue({ reply: ' A.' }, { reply: 'S1' }, { reply: ' B.' }, { reply: 'S2' });
    await runTurn({ prompt, config, input: 'one', conversation, model: model() });
    const first = await runTurn({ prompt, config, input: 'two', conversation, model: model() });
    fake.reset();
    fake.enqueue({ reply: ' B again.' }, { reply: 'One, and two again.' });
    const retried = await runTurn({ prompt, config, input: 'two', conversation, replaceLast: { input: 'two', output: ' B.' }, model: model() });
    assert.equal(retried.prompt, first.prompt);
    assert.equal(retried.prompt, 'Summary of the conversation: S1\nHuman: two\nAI:');
    assert.equal(fake.requests.length, 2, 'no summary of the turns before it again');
    assert.equal(fake.requests[1]?.body.prompt, summaryPrompt('S1', 'Human: two\nAI:  B again.'));
    assert.deepEqual(await summarized(conversation), [2, 'One, and two again.']);
  });
});
