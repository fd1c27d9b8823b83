// previewTurn: what a turn would send, by the turn's own steps, with nothing sent and nothing stored.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { previewTurn, runTurn } from '../../../core/chain/run';
import { ChainError } from '../../../core/chain/errors';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';
import { createMemoryConversation } from '../../support/memoryConversation';
import { chatExample, completionExample } from '../../support/examples';
import { loadPrompt, promptFile } from './helpers';

describe('previewTurn', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  for (const [name, text] of [['completion', completionExample], ['chat', chatExample]] as const) {
    test(`${name}: the preview is byte for byte the prompt, messages and trace start of the turn that follows`, async () => {
      const { prompt, config } = loadPrompt(text);
      const conversation = createMemoryConversation();
      await conversation.append({ input: 'Hi there my friend', output: ' Hello!\nHow are you?' });
      const preview = await previewTurn({ prompt, config, input: 'Not too bad - how are you?', conversation });
      assert.equal(fake.requests.length, 0, 'nothing sent');
      assert.equal(conversation.turns.length, 1, 'nothing stored');
      fake.enqueue({ reply: 'Fine.' });
      const turn = await runTurn({ prompt, config, input: 'Not too bad - how are you?', conversation, model: model() });
      assert.equal(preview.prompt, turn.prompt);
      assert.deepEqual(preview.messages, turn.messages);
      assert.ok(turn.trace.startsWith(preview.trace), 'the trace up to the prompt is the turn trace\'s first part');
      assert.ok(preview.trace.endsWith(`Prompt after formatting:\n${turn.prompt}\n`), preview.trace);
      const sent = fake.requests[0]!.body;
      if (name === 'chat') assert.deepEqual(sent.messages.map((m: { content: string }) => m.content), preview.messages!.map((m) => m.content));
      else assert.equal(sent.prompt, preview.prompt);
    });
  }

  test('refuses what the turn refuses: no single input key, with LangChain\'s message', async () => {
    const { prompt, config } = loadPrompt(promptFile('{history}', 'Q: {question} for {persona}', 'A:'));
    await assert.rejects(
      previewTurn({ prompt, config, input: 'hi', conversation: createMemoryConversation() }),
      (error: unknown) => error instanceof ChainError && error.kind === 'input-key',
    );
  });
});
