import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { promptFacts, promptModel } from '../../client/src/promptFacts';

const defaults = { defaultModel: 'gpt-4o-mini', defaultMemoryKey: 'history' };
const completion = '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n';

describe('promptFacts', () => {
  test('a completion prompt without `model:` gets the completions default', () => {
    assert.deepEqual(promptFacts('file:///a.prompt', completion, defaults), {
      // A completion prompt that names no model gets LangChain's OpenAI() default, a completions model.
      model: 'gpt-3.5-turbo-instruct',
      modelSpan: undefined,
      modelSetting: 'defaultCompletionModel',
    });
  });

  test("the file's model, and where it is written, else the default", () => {
    const text = '---\nmodel: llama3.2\n---\n{input}\n';
    const facts = promptFacts('file:///d.prompt', text, defaults);
    assert.equal(facts.model, 'llama3.2');
    assert.equal(text.slice(facts.modelSpan!.start, facts.modelSpan!.end), 'llama3.2');
    assert.equal(promptFacts('file:///e.prompt', 'human:\n{input}', { ...defaults, defaultModel: 'qwen2.5' }).model, 'qwen2.5');
    // A completion prompt needs a completions model: its own default, as LangChain's OpenAI() has.
    const completion = { ...defaults, defaultModel: 'qwen2.5', defaultCompletionModel: 'llama3.2' };
    assert.equal(promptFacts('file:///e.prompt', '{input}', completion).model, 'llama3.2');
    // Select Model on a file without `model:` changes the setting of its kind.
    assert.equal(promptFacts('file:///e.prompt', '{input}', completion).modelSetting, 'defaultCompletionModel');
    assert.equal(promptFacts('file:///e.prompt', 'human:\n{input}', completion).modelSetting, 'defaultModel');
  });

  test('binary junk gives facts, not an exception', () => {
    assert.doesNotThrow(() => promptFacts('file:///g.prompt', '\u0000\uffff{{{---\n', defaults));
  });
});

describe('promptModel (the status bar)', () => {
  test('names the model promptFacts names, for every kind of file', () => {
    const withDefaults = { ...defaults, defaultModel: 'qwen2.5', defaultCompletionModel: 'llama3.2' };
    const files = [completion, '---\nmodel: llama3.2\n---\n{input}\n', 'human:\n{input}', '{input}', '---\nmodel: [\n---\n', '\u0000\uffff{{{---\n'];
    for (const text of files) {
      for (const given of [defaults, withDefaults]) assert.equal(promptModel(text, given), promptFacts('file:///m.prompt', text, given).model, text);
    }
    assert.equal(promptModel('---\nmodel: llama3.2\n---\n{input}\n', defaults), 'llama3.2');
    assert.equal(promptModel('human:\n{input}', withDefaults), 'qwen2.5');
    assert.equal(promptModel('{input}', withDefaults), 'llama3.2');
  });
});
