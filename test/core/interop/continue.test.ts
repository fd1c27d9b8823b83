// Continue import: the fixtures (from Continue's docs and its own .continue/prompts) become `.prompt` files
// that check clean, and our engine formats what the slash command sends (renderSlashCommand.ts): the
// `<system>` block as the system message, the conversation so far, then the prompt and the user's words —
// `[prompt, input].join("\n\n")` for a version 2 file, `{{{ input }}}` in place for a version 1 file.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { continueImporter } from '../../../core/interop/import/continue';
import type { Turn } from '../../../core/chain/types';
import { fixtureText, formatImported } from './importedFormatting';

function read(name: string) {
  const text = fixtureText('continue', name);
  assert.ok(continueImporter.recognizes(text, name), `${name} is recognized as Continue`);
  return continueImporter.read(text, name);
}

const turns: Turn[] = [{ input: 'earlier {x}', output: 'reply }' }];
const history = [{ type: 'human', content: 'earlier {x}' }, { type: 'ai', content: 'reply }' }] as const;

describe('Continue import', () => {
  test('version 2: the prompt as written, then the user\'s words, after the conversation', () => {
    const reading = read('rails.prompt');
    const formatted = formatImported(reading, { input: 'Which {models}?' }, turns);
    assert.equal(formatted.inputKey, 'input');
    assert.deepEqual(formatted.messages, [
      ...history,
      { type: 'human', content: 'Attached is a summary of the current Ruby on Rails application, including the @Gemfile and database schema in @db/schema.rb\n\nWhich {models}?' },
    ]);
    assert.equal(reading.prompt.name, 'Rails Project');
    assert.ok(reading.notCarried.some((line) => line.startsWith('`@Gemfile`, `@db/schema.rb`: Continue attaches them as context')));
  });

  test('literal braces in a version 2 prompt stay literal', () => {
    const formatted = formatImported(read('update-llm-info.prompt'), { input: 'gemini' });
    assert.match(formatted.messages[0]?.content ?? '', /export interface LlmInfo \{\n  model: string; \/\/ the model name used at the API layer\n\}\n```\n\ngemini$/);
  });

  test('version 1: <system> is the system message, {{{ input }}} the user\'s words in place, the preamble the parameters', () => {
    const reading = read('unit-tests-v1.prompt');
    const formatted = formatImported(reading, { input: 'function f() {}' }, turns);
    assert.deepEqual(formatted.messages.slice(0, 3), [{ type: 'system', content: 'You are an expert programmer' }, ...history]);
    assert.match(formatted.messages[3]?.content ?? '', /^function f\(\) \{\}\n\nWrite unit tests for the above selected code/);
    assert.deepEqual(reading.prompt.parameters, { temperature: 0.5, max_tokens: 4096 });
  });

  test('a context provider becomes a variable a run passes; a helper with arguments is refused', () => {
    const reading = continueImporter.read('version: 1\n---\nReview {{{ diff }}} for {{{ input }}}\n', 'review.prompt');
    const formatted = formatImported(reading, { input: 'bugs', diff: '+a {b}' });
    assert.deepEqual(formatted.messages.at(-1), { type: 'human', content: 'Review +a {b} for bugs' });
    assert.ok(reading.notCarried.some((line) => line.startsWith('`{{{ diff }}}`: a Continue context provider')));
    assert.throws(() => continueImporter.read('version: 1\n---\n{{{ url "https://x" }}} {{{ input }}}\n', 'u.prompt'), /a Handlebars helper, block or path/);
  });
});
