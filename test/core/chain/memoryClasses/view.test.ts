// memoryViewOf: what the memory holds now, as the next prompt will see it, for hover, `memory show` and the
// panel; never calls the model.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basisOf, memoryViewOf } from '../../../../core/chain/memoryClasses';
import type { MemoryState, Turn } from '../../../../core/chain/types';
import { loadPrompt, promptFile } from '../helpers';

const configOf = (model: string, ...memory: string[]) => loadPrompt(promptFile('---', `model: ${model}`, 'memory:', ...memory, '---', '{history}', 'Human: {input}', 'AI:')).config;
const turns: Turn[] = Array.from({ length: 4 }, (_, i) => ({ input: `question ${i} about the trip`, output: `answer ${i} about the trip` }));

describe('memoryViewOf', () => {
  test('buffer_window: the last k exchanges kept, the rest pruned from the prompt (all stored)', () => {
    const config = configOf('gpt-4o-mini', '  type: buffer_window', '  k: 1');
    assert.deepEqual(memoryViewOf(turns, undefined, config.memory!, config), { type: 'buffer_window', storedTurns: 4, keptMessages: 2, prunedMessages: 6 });
  });

  test('summary with turns and no state (a buffer conversation switched to summary): a summary is owed', () => {
    const config = configOf('gpt-3.5-turbo-instruct', '  type: summary');
    assert.deepEqual(memoryViewOf(turns, undefined, config.memory!, config), { type: 'summary', storedTurns: 4, keptMessages: 0, prunedMessages: 8, summary: '', pendingSummary: true });
    assert.equal(memoryViewOf([], undefined, config.memory!, config).pendingSummary, undefined);
  });

  test('summary_buffer with an old state: its summary and the owed messages verbatim, pending', () => {
    const config = configOf('gpt-3.5-turbo-instruct', '  type: summary_buffer', '  max_token_limit: 12');
    const state: MemoryState = { basis: basisOf(config.memory!, config), turns: 2, prunedMessages: 3, summary: 'Earlier.' };
    const view = memoryViewOf(turns, state, config.memory!, config);
    assert.deepEqual([view.summary, view.keptMessages, view.prunedMessages, view.pendingSummary, view.maxTokenLimit], ['Earlier.', 5, 3, true, 12]);
    assert.ok(view.tokens! > 12, 'over the limit until the summary is made');
  });

  test('a state derived under another limit is not used: derived again', () => {
    const config = configOf('gpt-3.5-turbo-instruct', '  type: token_buffer', '  max_token_limit: 1000');
    const stale: MemoryState = { basis: { ...basisOf(config.memory!, config), maxTokenLimit: 5 }, turns: 4, prunedMessages: 7 };
    assert.deepEqual([memoryViewOf(turns, stale, config.memory!, config).prunedMessages], [0]);
  });

  test('token_buffer on a model the tokenizer does not know: counted with the fallback, approximate', () => {
    const config = configOf('llama3.2', '  type: token_buffer');
    const view = memoryViewOf(turns, undefined, config.memory!, config);
    assert.deepEqual([view.keptMessages, view.maxTokenLimit, view.approximate, view.pendingSummary], [8, 2000, true, undefined]);
  });
});
