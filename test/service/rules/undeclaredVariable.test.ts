import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, check, codes, withCode, messageOf } from './check';

describe('undeclared-variable', () => {
  test('fires at the first use of a variable missing from input_variables', () => {
    const checked = check('---\ninput_variables: [history]\n---\n{history}\nQ: ⟦{question}⟧ {question}\n');
    assert.deepEqual(codes(checked), ['undeclared-variable']);
    assert.deepEqual(checked.diagnostics[0]?.range, checked.marked[0]);
    assert.match(messageOf(checked.diagnostics[0]), /`\{question\}` is used in the template but missing from input_variables \['history'\]/);
  });

  test('fix: add it to a flow list', () => {
    const fixed = applyFix(check('---\ninput_variables: [history]\n---\n{history}\nQ: {question}\n'), 'undeclared-variable', 'Add `question` to input_variables');
    assert.equal(fixed.text, '---\ninput_variables: [history, question]\n---\n{history}\nQ: {question}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('fix: add it to a block list', () => {
    const checked = check('---\ninput_variables:\n  - history\nmodel: gpt-4o\n---\n{history}\nQ: {question}\n');
    const fixed = applyFix(checked, 'undeclared-variable', 'Add `question` to input_variables');
    assert.equal(fixed.text, '---\ninput_variables:\n  - history\n  - question\nmodel: gpt-4o\n---\n{history}\nQ: {question}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('fix: fill an empty list', () => {
    const fixed = applyFix(check('---\ninput_variables: []\n---\n{history}\nQ: {question}\n'), 'undeclared-variable', 'Add `question` to input_variables');
    assert.equal(fixed.text, '---\ninput_variables: [question]\n---\n{history}\nQ: {question}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('the memory key and partials need no declaration; without input_variables nothing is checked', () => {
    assert.deepEqual(codes(check('---\ninput_variables: [question]\npartial_variables:\n  tone: dry\n---\n{history}\n{tone} {question}\n')), []);
    assert.deepEqual(withCode(check('{history}\n{question}\n'), 'undeclared-variable'), []);
  });
});
