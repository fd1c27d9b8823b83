import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrompt } from '../../../core/format/parse';
import { resolveConfig } from '../../../core/chain/config';

const resolve = (text: string, defaults = {}) => resolveConfig(parsePrompt(text), defaults);

describe('resolveConfig', () => {
  test('a file without front matter is a completion chain with LangChain default buffer memory', () => {
    assert.deepEqual(resolve('Hi {input}\n'), {
      api: 'completion',
      templateFormat: 'f-string',
      partialVariables: {},
      parameters: {},
      memory: { type: 'buffer', key: 'history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' },
    });
  });

  test('host defaults fill model and memory key; the file wins over them', () => {
    const defaults = { model: 'gpt-4o-mini', memoryKey: 'chat_history' };
    const fromDefaults = resolve('{x}', defaults);
    assert.equal(fromDefaults.model, 'gpt-4o-mini');
    assert.equal(fromDefaults.memory?.key, 'chat_history');
    const fromFile = resolve('---\nmodel: llama3.2\nmemory:\n  key: past\n---\n{x}', defaults);
    assert.equal(fromFile.model, 'llama3.2');
    assert.equal(fromFile.memory?.key, 'past');
  });

  test('a completion prompt takes the completion default model, a chat prompt the chat default', () => {
    const defaults = { model: 'gpt-4o-mini', completionModel: 'gpt-3.5-turbo-instruct' };
    assert.equal(resolve('{x}', defaults).model, 'gpt-3.5-turbo-instruct');
    assert.equal(resolve('human:\n{x}', defaults).model, 'gpt-4o-mini');
    assert.equal(resolve('---\nmodel: llama3.2\n---\n{x}', defaults).model, 'llama3.2');
  });

  test('memory: false means no memory', () => {
    assert.equal(resolve('---\nmemory: false\n---\n{x}').memory, undefined);
  });

  test('example 2 memory', () => {
    const config = resolve('---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nhi\nplaceholder:\n{chat_history}\nhuman:\n{human_input}\n');
    assert.equal(config.api, 'chat');
    assert.deepEqual(config.memory, { type: 'buffer', key: 'chat_history', returnMessages: true, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' });
  });

  test('buffer_window defaults k to 5 like ConversationBufferWindowMemory; buffer has no k', () => {
    assert.equal(resolve('---\nmemory:\n  type: buffer_window\n---\n{x}').memory?.k, 5);
    assert.equal(resolve('---\nmemory:\n  type: buffer_window\n  k: 2\n---\n{x}').memory?.k, 2);
    assert.equal(resolve('---\nmemory:\n  k: 2\n---\n{x}').memory?.k, undefined);
  });

  test('every declared setting is carried over', () => {
    const config = resolve([
      '---', 'api: chat', 'template_format: mustache', 'input_variables: [q]', 'input_key: q',
      'partial_variables:', '  tone: dry', 'memory:', '  human_prefix: User', '  ai_prefix: Bot', '  scope: workspace',
      'parameters:', '  temperature: 0.2', '  stop: END', '---', '{{q}}', '',
    ].join('\n'));
    assert.equal(config.api, 'chat');
    assert.equal(config.templateFormat, 'mustache');
    assert.deepEqual(config.inputVariables, ['q']);
    assert.equal(config.inputKey, 'q');
    assert.deepEqual(config.partialVariables, { tone: 'dry' });
    assert.deepEqual(config.parameters, { temperature: 0.2, stop: ['END'] });
    assert.deepEqual(config.memory, { type: 'buffer', key: 'history', returnMessages: false, humanPrefix: 'User', aiPrefix: 'Bot', scope: 'workspace' });
  });

  test('invalid values fall back to defaults (their problems are on the document)', () => {
    const config = resolve('---\ntemplate_format: jinja2\nmemory:\n  return_messages: maybe\nparameters:\n  temperature: 9\n---\n{x}');
    assert.equal(config.templateFormat, 'f-string');
    assert.equal(config.memory?.returnMessages, false);
    assert.deepEqual(config.parameters, {});
  });
});
