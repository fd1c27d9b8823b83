// runTurn with replaceLast (Retry, Edit and resend of the last turn) against the fake OpenAI server and
// the durable store in a temporary folder: the model gets the memory before the replaced turn, in both
// memory forms, after earlier turns were rendered from the same conversation; the turn is saved in its
// place; and of two replacements of the same turn only the first runs, the second sends nothing.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTurn } from '../../../core/chain/run';
import type { MemoryConfig } from '../../../core/chain/types';
import { LastTurnChangedError } from '../../../core/memory/errors';
import { openConversation } from '../../../core/memory/store';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { loadPrompt, promptFile } from './helpers';

const chatPrompt = promptFile('---', 'memory:', '  return_messages: true', '---', 'system:', 'Be brief.', 'placeholder:', '{history}', 'human:', '{question}');
const completionPrompt = promptFile('{history}', 'Q: {question}', 'A:');

const folders: string[] = [];
after(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function storedConversation(memory: MemoryConfig) {
  const root = mkdtempSync(join(tmpdir(), 'prompt-chain-chain-replace-'));
  folders.push(root);
  return openConversation({ stateDir: join(root, 'state'), workspaceRoot: root, filePath: join(root, 'a.prompt'), memory });
}

describe('runTurn with replaceLast', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('chat: the messages sent leave out the replaced turn; it is saved in its place; the next turn sees it', async () => {
    const { prompt, config } = loadPrompt(chatPrompt);
    const conversation = storedConversation(config.memory!);
    const turn = (input: string, reply: string, replaceLast?: { input: string; output: string }) => {
      fake.enqueue({ reply });
      return runTurn({ prompt, config, input, conversation, model: model(), ...(replaceLast && { replaceLast }) });
    };
    await turn('one?', '1');
    await turn('two?', '2');
    const result = await turn('two, again?', '2 again', { input: 'two?', output: '2' });
    const history = (messages: { role: string; content: string }[]) => messages.slice(1, -1).map((m) => `${m.role}:${m.content}`);
    assert.deepEqual(history(fake.requests.at(-1)!.body.messages), ['user:one?', 'assistant:1']);
    assert.deepEqual(result.messages?.at(-1), { type: 'human', content: 'two, again?' });
    assert.deepEqual(await conversation.load(), [{ input: 'one?', output: '1' }, { input: 'two, again?', output: '2 again' }]);

    await turn('three?', '3');
    assert.deepEqual(history(fake.requests.at(-1)!.body.messages), ['user:one?', 'assistant:1', 'user:two, again?', 'assistant:2 again']);
  });

  test('completion, buffer_window: the window is the turns before the replaced one', async () => {
    const { prompt, config } = loadPrompt(promptFile('---', 'memory:', '  type: buffer_window', '  k: 2', '---', '{history}', 'Q: {question}', 'A:'));
    const conversation = storedConversation(config.memory!);
    for (const [input, output] of [['a', '1'], ['b', '2'], ['c', '3']]) await conversation.append({ input: input!, output: output! });
    fake.enqueue({ reply: 'three' });
    const result = await runTurn({ prompt, config, input: 'c', conversation, model: model(), replaceLast: { input: 'c', output: '3' } });
    assert.equal(result.prompt, 'Human: a\nAI: 1\nHuman: b\nAI: 2\nQ: c\nA:');
    assert.equal(fake.requests.at(-1)!.body.prompt, result.prompt);
  });

  test('two replacements of the same turn: the first runs, the second is refused before anything is sent', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = storedConversation(config.memory!);
    await conversation.append({ input: 'q', output: 'first answer' });
    fake.enqueue({ reply: 'second answer' }, { reply: 'never sent' });
    const replaceLast = { input: 'q', output: 'first answer' };
    const inputs = ['q', 'q (edited)'];
    const outcomes = await Promise.allSettled(inputs.map((input) => runTurn({ prompt, config, input, conversation, model: model(), replaceLast })));
    // Whichever took the lock first ran; the other found another last turn.
    const ran = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    assert.ok(refused?.reason instanceof LastTurnChangedError);
    assert.match((refused.reason as Error).message, /nothing was sent/);
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(await conversation.load(), [{ input: inputs[ran], output: 'second answer' }]);
  });

  test('an empty reply leaves the file byte for byte as it was', async () => {
    const { prompt, config } = loadPrompt(completionPrompt);
    const conversation = storedConversation(config.memory!);
    await conversation.append({ input: 'q', output: 'a' });
    const before = readFileSync(conversation.recordsPath);
    fake.enqueue({ fault: 'empty' });
    await assert.rejects(runTurn({ prompt, config, input: 'q', conversation, model: model(), replaceLast: { input: 'q', output: 'a' } }));
    assert.deepEqual(readFileSync(conversation.recordsPath), before);
  });
});
