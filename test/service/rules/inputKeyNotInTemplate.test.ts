import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, check, codes, withCode, messageOf } from './check';

const source = '---\ninput_key: ⟦question⟧\n---\n{history}\nQuery: {query}\n';

describe('input-key-not-in-template', () => {
  test('fires at input_key, and the template variable is not also reported', () => {
    const checked = check(source);
    assert.deepEqual(codes(checked), ['input-key-not-in-template']);
    assert.deepEqual(checked.diagnostics[0]?.range, checked.marked[0]);
    assert.match(messageOf(checked.diagnostics[0]), /input_key `question` is not a variable of the template.*set input_key to one of `query`/);
  });

  test('fix: set input_key to the template variable', () => {
    const fixed = applyFix(check(source), 'input-key-not-in-template', 'Set input_key to `query`');
    assert.equal(fixed.text, '---\ninput_key: query\n---\n{history}\nQuery: {query}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('fix: add the input variable to the template', () => {
    const checked = check('---\ninput_key: question\n---\nSummarise:\n{history}\n');
    const fixed = applyFix(checked, 'input-key-not-in-template', 'Add `{question}` to the template');
    assert.equal(fixed.text, '---\ninput_key: question\n---\nSummarise:\n{history}\n{question}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('does not fire when the template uses input_key', () => {
    assert.deepEqual(withCode(check('---\ninput_key: question\n---\n{history}\n{question}\n'), 'input-key-not-in-template'), []);
  });
});
