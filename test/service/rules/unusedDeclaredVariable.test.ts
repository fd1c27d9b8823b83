import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, check, codes, withCode, messageOf } from './check';

describe('unused-declared-variable', () => {
  test('fires at each declared name the template does not use', () => {
    const checked = check('---\ninput_variables: [⟦topic⟧, question, ⟦tone⟧]\n---\n{history}\nQ: {question}\n');
    assert.deepEqual(codes(checked), ['unused-declared-variable', 'unused-declared-variable']);
    assert.deepEqual(checked.diagnostics.map((d) => d.range), checked.marked);
    assert.match(messageOf(checked.diagnostics[0]), /“topic” is declared in input_variables but the template never uses \{topic\}/);
  });

  test('fix: drop it from a flow list (first, last, only)', () => {
    const first = applyFix(check('---\ninput_variables: [topic, question]\n---\n{history}\n{question}\n'), 'unused-declared-variable', 'Remove “topic” from input_variables');
    assert.equal(first.text, '---\ninput_variables: [question]\n---\n{history}\n{question}\n');
    assert.deepEqual(first.diagnostics, []);
    const last = applyFix(check('---\ninput_variables: [question, topic]\n---\n{history}\n{question}\n'), 'unused-declared-variable', 'Remove “topic” from input_variables');
    assert.equal(last.text, '---\ninput_variables: [question]\n---\n{history}\n{question}\n');
    const only = applyFix(check('---\ninput_variables: [topic]\n---\nSummarise {history}\n'), 'unused-declared-variable', 'Remove “topic” from input_variables');
    assert.equal(only.text, '---\ninput_variables: []\n---\nSummarise {history}\n');
    assert.deepEqual(withCode(only, 'unused-declared-variable'), []);
  });

  test('fix: drop it from a block list', () => {
    const checked = check('---\ninput_variables:\n  - question\n  - topic\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    const fixed = applyFix(checked, 'unused-declared-variable', 'Remove “topic” from input_variables');
    assert.equal(fixed.text, '---\ninput_variables:\n  - question\nmodel: gpt-4o\n---\n{history}\n{question}\n');
    assert.deepEqual(fixed.diagnostics, []);
    const only = applyFix(check('---\ninput_variables:\n  - topic\n---\nSummarise {history}\n'), 'unused-declared-variable', 'Remove “topic” from input_variables');
    assert.equal(only.text, '---\ninput_variables: []\n---\nSummarise {history}\n');
  });

  test('does not fire for used names, nor for the memory key, a partial or a misspelt use', () => {
    assert.deepEqual(codes(check('---\ninput_variables: [history, question]\n---\n{history}\n{question}\n')), []);
    assert.deepEqual(withCode(check('---\ninput_variables: [history, question]\n---\n{question}\n'), 'unused-declared-variable'), []);
    const misspelt = check('---\ninput_key: question\ninput_variables: [question]\n---\n{history} {questoin}\n');
    assert.deepEqual(codes(misspelt), ['unprovided-variable']);
  });
});
