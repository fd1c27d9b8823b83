import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, codes, withCode } from './check';

describe('undeclared-variable', () => {
  test('fires at the first use of a variable missing from input_variables', () => {
    const checked = check('---\ninput_variables: [history]\n---\n{history}\nQ: ⟦{question}⟧ {question}\n');
    assertSingleDiagnostic(checked, 'undeclared-variable', /\{question\} is used in the template but missing from input_variables \['history'\]/);
  });

  test('fix: add it to a flow list', () => {
    assertFixedTo(check('---\ninput_variables: [history]\n---\n{history}\nQ: {question}\n'), 'undeclared-variable', 'Add “question” to input_variables', '---\ninput_variables: [history, question]\n---\n{history}\nQ: {question}\n');
  });

  test('fix: add it to a block list', () => {
    const checked = check('---\ninput_variables:\n  - history\nmodel: gpt-4o\n---\n{history}\nQ: {question}\n');
    assertFixedTo(checked, 'undeclared-variable', 'Add “question” to input_variables', '---\ninput_variables:\n  - history\n  - question\nmodel: gpt-4o\n---\n{history}\nQ: {question}\n');
  });

  test('fix: fill an empty list', () => {
    assertFixedTo(check('---\ninput_variables: []\n---\n{history}\nQ: {question}\n'), 'undeclared-variable', 'Add “question” to input_variables', '---\ninput_variables: [question]\n---\n{history}\nQ: {question}\n');
  });

  test('the memory key and partials need no declaration; without input_variables nothing is checked', () => {
    assert.deepEqual(codes(check('---\ninput_variables: [question]\npartial_variables:\n  tone: dry\n---\n{history}\n{tone} {question}\n')), []);
    assert.deepEqual(withCode(check('{history}\n{question}\n'), 'undeclared-variable'), []);
  });
});
