import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, withCode } from './check';

const source = '---\ninput_key: ⟦chat_history⟧\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {question}\n';

describe('input-key-is-memory-key', () => {
  test('fires at input_key, alone', () => {
    const checked = check(source);
    assertSingleDiagnostic(checked, 'input-key-is-memory-key', /the user's message is replaced by the history/);
  });

  test('fix: set input_key to the other variable', () => {
    assertFixedTo(check(source), 'input-key-is-memory-key', 'Set input_key to “question”', '---\ninput_key: question\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {question}\n');
  });

  test('does not fire when they differ, or without memory', () => {
    assert.deepEqual(withCode(check('---\ninput_key: question\n---\n{history}\n{question}\n'), 'input-key-is-memory-key'), []);
    assert.deepEqual(withCode(check('---\ninput_key: history\nmemory: false\n---\n{history}\n'), 'input-key-is-memory-key'), []);
  });
});
