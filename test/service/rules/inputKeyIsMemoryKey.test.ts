import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, check, codes, withCode, messageOf } from './check';

const source = '---\ninput_key: ⟦chat_history⟧\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {question}\n';

describe('input-key-is-memory-key', () => {
  test('fires at input_key, alone', () => {
    const checked = check(source);
    assert.deepEqual(codes(checked), ['input-key-is-memory-key']);
    assert.deepEqual(checked.diagnostics[0]?.range, checked.marked[0]);
    assert.match(messageOf(checked.diagnostics[0]), /the user's message is replaced by the history/);
  });

  test('fix: set input_key to the other variable', () => {
    const fixed = applyFix(check(source), 'input-key-is-memory-key', 'Set input_key to `question`');
    assert.equal(fixed.text, '---\ninput_key: question\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {question}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('does not fire when they differ, or without memory', () => {
    assert.deepEqual(withCode(check('---\ninput_key: question\n---\n{history}\n{question}\n'), 'input-key-is-memory-key'), []);
    assert.deepEqual(withCode(check('---\ninput_key: history\nmemory: false\n---\n{history}\n'), 'input-key-is-memory-key'), []);
  });
});
