import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getCompletions } from '../../../service/features/completion';
import { applyEdits, fixture } from '../../support/fixture';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';

function complete(source: string, options: Parameters<typeof fixture>[1] = {}): { items: CompletionItem[]; text: string } {
  const f = fixture(source, options);
  return { items: getCompletions(f.ctx, f.position).items, text: f.text };
}

function labels(source: string, options: Parameters<typeof fixture>[1] = {}): string[] {
  return complete(source, options).items.map((i) => i.label);
}

/** The document after accepting the completion item labelled `label`. */
function accept(source: string, label: string, options: Parameters<typeof fixture>[1] = {}): string {
  const { items, text } = complete(source, options);
  const chosen = items.find((i) => i.label === label);
  assert.ok(chosen, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
  return applyEdits(text, [chosen.textEdit as TextEdit]);
}

const memoryAndPartial = `---
memory:
  key: chat_history
partial_variables:
  persona: a pirate
---
{chat_history}
Human: {human_input}
`;

describe('completion of template variables', () => {
  test('after `{` offers the memory key, the input key and partials, most useful first', () => {
    const { items } = complete(`${memoryAndPartial}Also {|`);
    assert.deepEqual(
      items.map((i) => [i.label, i.detail]),
      [
        ['chat_history', 'memory'],
        ['human_input', 'input'],
        ['persona', 'partial'],
      ],
    );
    assert.match(JSON.stringify(items[0]?.documentation), /Conversation history from memory/);
  });

  test('accepting closes the brace', () => {
    assert.equal(accept(`${memoryAndPartial}Also {|`, 'chat_history'), `${memoryAndPartial}Also {chat_history}`);
  });

  test('replaces the whole name under the cursor and keeps the closing brace', () => {
    assert.equal(accept(`---\nmemory:\n  key: chat_history\n---\n{ch|at}\n{q}\n`, 'chat_history'), `---\nmemory:\n  key: chat_history\n---\n{chat_history}\n{q}\n`);
  });

  test('offers declared input_variables and the other variables of the file', () => {
    const source = '---\ninput_variables: [topic, audience]\nmemory: false\n---\nWrite about {topic} for {audience}.\n{|\n';
    assert.deepEqual(labels(source), ['topic', 'audience']);
  });

  test('the memory key reflects the configured default', () => {
    const names = labels('{input}\n{|', { settings: { defaultMemoryKey: 'chat_history' } });
    assert.equal(names[0], 'chat_history');
  });

  test('`{{` is an escaped brace in an f-string: nothing offered', () => {
    assert.deepEqual(labels('Literal {{| here\n{input}\n'), []);
  });

  test('`{{{` opens a variable after an escaped brace', () => {
    assert.deepEqual(labels('{{{|\n{input}\n'), ['history', 'input']);
  });

  test('mustache: after `{{`, closing with `}}`', () => {
    const source = '---\ntemplate_format: mustache\n---\n{{history}}\n{{question}}\n{{|';
    assert.deepEqual(labels(source), ['history', 'question']);
    assert.equal(accept(source, 'question'), '---\ntemplate_format: mustache\n---\n{{history}}\n{{question}}\n{{question}}');
  });

  test('nothing in plain body text', () => {
    assert.deepEqual(labels('Hello |world\n{input}\n'), []);
  });
});

describe('completion of front-matter keys', () => {
  test('top level: the keys not yet written, blocks opening an indented line', () => {
    const source = '---\nmodel: gpt-4o\n|\n---\n{input}\n';
    assert.deepEqual(labels(source), ['name', 'description', 'api', 'template_format', 'input_variables', 'input_key', 'partial_variables', 'memory', 'parameters']);
    assert.equal(accept(source, 'memory'), '---\nmodel: gpt-4o\nmemory:\n  \n---\n{input}\n');
    assert.equal(accept(source, 'api'), '---\nmodel: gpt-4o\napi: \n---\n{input}\n');
  });

  test('inside memory: the memory keys, replacing the word being typed', () => {
    const source = '---\nmemory:\n  type: buffer\n  ke|\n---\n{history}\n';
    assert.deepEqual(labels(source), ['key', 'return_messages', 'human_prefix', 'ai_prefix', 'scope', 'history']);
    assert.equal(accept(source, 'key'), '---\nmemory:\n  type: buffer\n  key: \n---\n{history}\n');
  });

  test('inside memory: only the settings the memory type reads', () => {
    const keys = (type: string): string[] => labels(`---\nmemory:\n  type: ${type}\n  |\n---\n{history}\n`);
    assert.deepEqual(keys('summary_buffer'), ['key', 'return_messages', 'human_prefix', 'ai_prefix', 'scope', 'max_token_limit', 'summary_prompt', 'summary_model', 'summary_parameters', 'history']);
    assert.deepEqual(keys('summary'), ['key', 'return_messages', 'human_prefix', 'ai_prefix', 'scope', 'summary_prompt', 'summary_model', 'summary_parameters', 'history']);
    assert.deepEqual(keys('token_buffer'), ['key', 'return_messages', 'human_prefix', 'ai_prefix', 'scope', 'max_token_limit', 'history']);
    assert.deepEqual(keys('buffer_window'), ['k', 'key', 'return_messages', 'human_prefix', 'ai_prefix', 'scope', 'history']);
    const source = '---\nmemory:\n  type: summary\n  summary_p|\n---\n{history}\n';
    assert.equal(accept(source, 'summary_parameters'), '---\nmemory:\n  type: summary\n  summary_parameters:\n    \n---\n{history}\n');
  });

  test('inside memory.summary_parameters: the model parameters; memory.summary_model: the models', () => {
    assert.deepEqual(labels('---\nmemory:\n  type: summary\n  summary_parameters:\n    |\n---\n{history}\n'), ['temperature', 'max_tokens', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty']);
    assert.deepEqual(labels('---\nmemory:\n  type: summary\n  summary_model: |\n---\n{history}\n', { settings: { models: ['llama3.2', 'qwen2.5'] } }), ['llama3.2', 'qwen2.5']);
  });

  test('inside parameters: the model parameters', () => {
    assert.deepEqual(labels('---\nparameters:\n  |\n---\n{input}\n'), ['temperature', 'max_tokens', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty']);
  });

  test('a key already followed by a colon is replaced by the name alone', () => {
    assert.equal(accept('---\nmemory:\n  ty|: buffer\n---\n{history}\n', 'type'), '---\nmemory:\n  type: buffer\n---\n{history}\n');
  });

  test('inside partial_variables: the template variables nothing provides', () => {
    assert.deepEqual(labels('---\ninput_key: question\npartial_variables:\n  |\n---\n{history} {question} {persona}\n'), ['persona']);
  });
});

describe('completion of front-matter values', () => {
  test('enums from the schema', () => {
    assert.deepEqual(labels('---\napi: |\n---\n{input}\n'), ['chat', 'completion']);
    assert.deepEqual(labels('---\ntemplate_format: |\n---\n{input}\n'), ['f-string', 'mustache']);
    assert.deepEqual(labels('---\nmemory:\n  type: |\n---\n{history}\n{input}\n'), ['buffer', 'buffer_window', 'summary', 'summary_buffer', 'token_buffer']);
    assert.deepEqual(labels('---\nmemory:\n  return_messages: |\n---\n{history}\n{input}\n'), ['true', 'false']);
    assert.deepEqual(labels('---\nmemory: |\n---\n{input}\n'), ['false']);
  });

  test('replaces the value being typed', () => {
    assert.equal(accept('---\nmemory:\n  scope: w|\n---\n{history}\n', 'workspace'), '---\nmemory:\n  scope: workspace\n---\n{history}\n');
  });

  test('model names from settings', () => {
    assert.deepEqual(labels('---\nmodel: |\n---\n{input}\n', { settings: { models: ['llama3.2', 'qwen2.5'] } }), ['llama3.2', 'qwen2.5']);
  });

  test('memory.key offers the template variables', () => {
    assert.deepEqual(labels('---\nmemory:\n  key: |\n---\n{chat_history}\nHuman: {human_input}\n'), ['chat_history', 'human_input']);
  });

  test('input_key offers the variables that are not memory', () => {
    assert.deepEqual(labels('---\ninput_key: |\n---\n{history}\n{question} {context}\n'), ['question', 'context']);
  });

  test('input_variables items offer the variables not yet declared', () => {
    assert.deepEqual(labels('---\ninput_variables:\n  - question\n  - |\n---\n{history}\n{question} {context}\n'), ['context']);
  });
});

describe('completion of role headers', () => {
  test('at the start of a line in a chat body, with the memory placeholder when memory returns messages', () => {
    const source = '---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\n|\n';
    const { items } = complete(source);
    assert.deepEqual(items.map((i) => i.label), ['human:', 'ai:', 'placeholder: {history}']);
    assert.equal(accept(source, 'placeholder: {history}'), '---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nplaceholder:\n{history}\n\n');
    assert.equal(items[0]?.detail, 'HumanMessagePromptTemplate');
  });

  test('no memory placeholder when memory returns a string or the history is already placed', () => {
    assert.deepEqual(labels('system:\nBe brief.\n\n|\n'), ['human:', 'ai:']);
    assert.deepEqual(labels('---\nmemory:\n  return_messages: true\n---\nplaceholder:\n{history}\n\n|\n'), ['system:', 'human:', 'ai:']);
  });

  test('replaces the word typed at the line start', () => {
    assert.equal(accept('system:\nBe brief.\n\nhu|', 'human:'), 'system:\nBe brief.\n\nhuman:\n');
  });

  test('on the first line of a template without headers: it can become a chat prompt', () => {
    assert.deepEqual(labels('|'), ['system:', 'human:', 'ai:']);
  });

  test('not further down a completion template, nor when api is completion', () => {
    assert.deepEqual(labels('You are helpful.\n|\n{input}\n'), []);
    assert.deepEqual(labels('---\napi: completion\n---\n|'), []);
  });

  test('not right under a header, nor inside text', () => {
    assert.deepEqual(labels('system:\n|\n'), []);
    assert.deepEqual(labels('system:\nBe brief.\nSay |\n'), []);
  });
});

describe('completion of role headers on an existing header line', () => {
  test('changes only the role', () => {
    assert.equal(accept('system:\nBe brief.\n\nhu|man:\n{input}\n', 'ai:'), 'system:\nBe brief.\n\nai:\n{input}\n');
  });

  test('keeps CRLF line breaks', () => {
    assert.equal(accept('system:\r\nBe brief.\r\n\r\nhu|', 'human:'), 'system:\r\nBe brief.\r\n\r\nhuman:\r\n');
  });
});
