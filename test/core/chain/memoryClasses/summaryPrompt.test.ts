// LangChain's SUMMARY_PROMPT, byte for byte: the golden file holds the text of Python's
// langchain_classic/memory/prompt.py `_DEFAULT_SUMMARIZER_TEMPLATE`; LangChain.js ships the same text.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationSummaryMemory } from '@langchain/classic/memory';
import { PromptTemplate } from '@langchain/core/prompts';
import { SUMMARY_PROMPT } from '../../../../core/chain/memoryClasses';
import { assertSummaryPrompt, formatSummaryPrompt } from '../../../../core/chain/memoryClasses/summarize';
import { ChainError } from '../../../../core/chain/errors';
import { RecordingLLM } from './scripted';

const golden = readFileSync(join(__dirname, 'golden', 'summary-prompt.txt'), 'utf8');

describe('SUMMARY_PROMPT', () => {
  test('is Python LangChain\'s text exactly (and LangChain.js\'s)', () => {
    assert.equal(SUMMARY_PROMPT, golden);
    const jsPrompt = new ConversationSummaryMemory({ llm: new RecordingLLM([]) }).prompt as PromptTemplate;
    assert.equal(jsPrompt.template, golden);
    assert.ok(golden.endsWith('New summary:'), 'no trailing line break');
  });

  test('formats as PromptTemplate.format does: braces in the values stay as they are, {{ }} in the template are one brace', async () => {
    const template = 'Keep {{braces}}.\n{summary}|{new_lines}';
    const values = { summary: 'S {x}', new_lines: 'Human: a {b}\nAI: }{' };
    assert.equal(formatSummaryPrompt(template, values.summary, values.new_lines), await PromptTemplate.fromTemplate(template).format(values));
    assert.equal(formatSummaryPrompt(SUMMARY_PROMPT, 'S', 'N'), await PromptTemplate.fromTemplate(golden).format({ summary: 'S', new_lines: 'N' }));
  });

  test('a custom prompt must use exactly {summary} and {new_lines}', () => {
    assert.doesNotThrow(() => assertSummaryPrompt('{new_lines} then {summary} and {summary}'));
    for (const [template, expects] of [
      ['{summary} only', "['summary']"],
      ['{summary} {new_lines} {extra}', "['extra', 'new_lines', 'summary']"],
    ] as const) {
      assert.throws(() => assertSummaryPrompt(template), (error: unknown) => error instanceof ChainError && error.kind === 'summary-prompt' && error.message === `Got unexpected prompt input variables. The prompt expects ${expects}, but it should have {'summary', 'new_lines'}.`);
    }
    assert.throws(() => assertSummaryPrompt('{summary} {new_lines} {'), (error: unknown) => error instanceof ChainError && error.kind === 'summary-prompt');
  });
});
