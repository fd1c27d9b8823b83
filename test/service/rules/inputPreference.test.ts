import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../support/fixture';
import { preferredInputKey } from '../../../service/rules/inputPreference';

function preferred(source: string, candidates: string[]): string | undefined {
  return preferredInputKey(fixture(source, { cursor: false }).ctx, candidates);
}

describe('preferredInputKey', () => {
  test('names of the human words, in order: human_input, input, question, then user_input and query', () => {
    assert.equal(preferred('{persona} {topic} {human_input}', ['persona', 'topic', 'human_input']), 'human_input');
    assert.equal(preferred('{question} {input}', ['question', 'input']), 'input');
    assert.equal(preferred('{input} {human_input}', ['input', 'human_input']), 'human_input');
    assert.equal(preferred('{context} {question}', ['context', 'question']), 'question');
    assert.equal(preferred('{query} {user_input}', ['query', 'user_input']), 'user_input');
  });

  test('names compare without case or separators', () => {
    assert.equal(preferred('{persona} {humanInput}', ['persona', 'humanInput']), 'humanInput');
    assert.equal(preferred('{persona} {Human-Input}', ['persona', 'Human-Input']), 'Human-Input');
  });

  test('else the last variable of the last human message of a chat prompt', () => {
    const chat = 'system:\nBe {style}.\n\nhuman:\n{first}\n\nai:\nok {x}\n\nhuman:\n{context} then {text}\n\nai:\n{y}\n';
    assert.equal(preferred(chat, ['style', 'first', 'x', 'context', 'text', 'y']), 'text');
  });

  test("else the variable on the last line starting with the memory's human prefix in a text prompt", () => {
    assert.equal(preferred('Be {style}.\n{history}\nHuman: {text}\nAI:\n', ['style', 'text']), 'text');
    assert.equal(preferred('---\nmemory:\n  human_prefix: User\n---\n{history}\n{a}\nuser: {b}\n', ['a', 'b']), 'b');
  });

  test('nothing when no candidate is where the human speaks', () => {
    assert.equal(preferred('{a} and {b}', ['a', 'b']), undefined);
    assert.equal(preferred('system:\n{a}\n\nai:\n{b}\n', ['a', 'b']), undefined);
  });
});
