// The memory classes' settings as resolveConfig fills them in: LangChain's defaults, and only for the
// types that use them.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SUMMARY_PROMPT } from '../../../../core/chain/memoryClasses';
import { loadPrompt, promptFile } from '../helpers';

const memoryOf = (...memory: string[]) => loadPrompt(promptFile('---', 'memory:', ...memory, '---', '{history}', '{input}')).config.memory;

describe('memory class settings', () => {
  test('summary_buffer: max_token_limit 2000 and SUMMARY_PROMPT by default; the chain\'s model and parameters', () => {
    const memory = memoryOf('  type: summary_buffer');
    assert.equal(memory?.maxTokenLimit, 2000);
    assert.equal(memory?.summaryPrompt, SUMMARY_PROMPT);
    assert.equal(memory?.summaryModel, undefined);
    assert.equal(memory?.summaryParameters, undefined);
  });

  test('token_buffer has a limit and no summarizer; summary has a summarizer and no limit', () => {
    const tokens = memoryOf('  type: token_buffer', '  max_token_limit: 300');
    assert.deepEqual([tokens?.maxTokenLimit, tokens?.summaryPrompt], [300, undefined]);
    const summary = memoryOf('  type: summary', '  summary_prompt: "{summary}|{new_lines}"', '  summary_model: gpt-4o', '  summary_parameters:', '    temperature: 0');
    assert.deepEqual([summary?.maxTokenLimit, summary?.summaryPrompt, summary?.summaryModel, summary?.summaryParameters], [undefined, '{summary}|{new_lines}', 'gpt-4o', { temperature: 0 }]);
  });

  test('the buffer types ignore the new keys', () => {
    const memory = memoryOf('  type: buffer', '  max_token_limit: 10', '  summary_model: x');
    assert.deepEqual([memory?.maxTokenLimit, memory?.summaryModel, memory?.summaryPrompt], [undefined, undefined, undefined]);
  });
});
