import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { chooseInputKey, resolveInputKey, templateVariableNames, turnInputsOf } from '../../../core/chain/inputKey';
import { createContext } from '../../../service/context';
import { inputKeyOf as serviceInputKey } from '../../../service/features/variables';
import { ChainError } from '../../../core/chain/errors';
import { loadPrompt, promptFile } from './helpers';

function inputKeyOf(text: string): string {
  const { prompt, config } = loadPrompt(text);
  return resolveInputKey(prompt.body, config);
}

function inputKeyError(text: string): ChainError {
  try {
    inputKeyOf(text);
  } catch (err) {
    assert.ok(err instanceof ChainError && err.kind === 'input-key');
    return err;
  }
  assert.fail('expected an input-key error');
}

describe('input key', () => {
  test('the one variable that is not the memory key', () => {
    assert.equal(inputKeyOf(promptFile('---', 'memory:', '  key: chat_history', '---', '{chat_history}', 'Human: {human_input}')), 'human_input');
  });

  test('the default memory key `history` is excluded too', () => {
    assert.equal(inputKeyOf(promptFile('{history}', 'Human: {question}')), 'question');
  });

  test('partials and `stop` are not candidates', () => {
    const text = promptFile('---', 'partial_variables:', '  persona: a pirate', '---', 'You are {persona}. {stop} {input}');
    assert.equal(inputKeyOf(text), 'input');
  });

  test('input_key decides when given', () => {
    assert.equal(inputKeyOf(promptFile('---', 'input_key: b', '---', '{a} {b}')), 'b');
  });

  test('a chat prompt: variables of every message count, the placeholder\'s memory key does not', () => {
    const text = promptFile('---', 'memory:', '  return_messages: true', '---', 'system:', 'Hi', 'placeholder:', '{history}', 'human:', '{question}');
    assert.equal(inputKeyOf(text), 'question');
  });

  test('two candidates: LangChain\'s error, with the list in Python repr', () => {
    const err = inputKeyError(promptFile('{a} and {b} and {a}'));
    assert.equal(err.message, "One input key expected got ['a', 'b']");
    assert.match(err.hint ?? '', /input_key/);
  });

  test('no candidate: LangChain\'s error with an empty list', () => {
    assert.equal(inputKeyError(promptFile('Just text {history}')).message, 'One input key expected got []');
  });
});

describe('templateVariableNames', () => {
  test('each name once, in source order, across messages', () => {
    const { prompt } = loadPrompt(promptFile('system:', '{b} {a}', 'human:', '{a} {c}'));
    assert.deepEqual(templateVariableNames(prompt.body), ['b', 'a', 'c']);
  });
});

describe('turnInputsOf: what a turn needs, as preparePrompt gathers it', () => {
  test('the input key, then every other variable in template order, partials not required, memory never', () => {
    const { prompt, config } = loadPrompt(
      promptFile('---', 'input_key: human_input', 'partial_variables:', '  tone: dry', 'memory:', '  key: chat_history', '---', '{persona} {tone}', '{chat_history}', 'Human: {human_input}', '{persona}'),
    );
    assert.deepEqual(turnInputsOf(prompt.body, config), {
      inputKey: 'human_input',
      variables: [
        { name: 'persona', required: true },
        { name: 'tone', required: false },
      ],
    });
  });

  test('no input key when the engine could not choose one; the variables are still listed', () => {
    const { prompt, config } = loadPrompt(promptFile('{history}', '{persona}: {question}'));
    assert.deepEqual(turnInputsOf(prompt.body, config), {
      inputKey: null,
      variables: [
        { name: 'persona', required: true },
        { name: 'question', required: true },
      ],
    });
  });

  test('the language service decides the input key with the same function, near misses set aside', () => {
    const texts = [
      promptFile('---', 'memory:', '  key: chat_history', '---', '{chat_history}', 'Human: {human_input}'),
      promptFile('{history}', 'Q: {question}'),
      promptFile('---', 'input_key: question', '---', '{history} {persona} {question}'),
      promptFile('{history} {persona} {question}'),
      // `{history}` misspells the memory key: an error diagnostic, so no turn runs; the service sets it aside.
      promptFile('---', 'memory:', '  key: chat_history', '---', '{history}', 'Human: {input}'),
    ];
    const expected = ['human_input', 'question', 'question', undefined, 'input'];
    texts.forEach((text, index) => {
      const ctx = createContext(TextDocument.create('test://a.prompt', 'prompt', 1, text));
      assert.equal(serviceInputKey(ctx), expected[index], text);
      if (index < 4) assert.equal(chooseInputKey(ctx.prompt.body, ctx.config), expected[index], text);
    });
  });
});
