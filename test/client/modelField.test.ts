import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { modelField, yamlScalar } from '../../client/src/modelField';

describe('modelField', () => {
  test('a file that names its model: the span of the value, which Select Model replaces', () => {
    const text = '---\nmodel: gpt-4o\n---\nsystem:\nHi\n\nhuman:\n{input}\n';
    const field = modelField(text);
    assert.equal(text.slice(field.span!.start, field.span!.end), 'gpt-4o');
    assert.equal(field.setting, 'defaultModel');
  });

  test('without model:, the default setting of the file\'s kind', () => {
    assert.deepEqual(modelField('---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {human_input}\nChatbot:\n'), { setting: 'defaultCompletionModel' });
    assert.deepEqual(modelField('system:\nHi\n\nhuman:\n{input}\n'), { setting: 'defaultModel' });
  });

  test('a name YAML would read as something else is quoted', () => {
    assert.equal(yamlScalar('llama3.2:8b'), 'llama3.2:8b');
    assert.equal(yamlScalar('a: b'), '"a: b"');
    assert.equal(yamlScalar('#tag'), '"#tag"');
  });
});
