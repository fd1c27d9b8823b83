import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, withCode } from './check';

const source = '---\ninput_key: ⟦question⟧\n---\n{history}\nQuery: {query}\n';

describe('input-key-not-in-template', () => {
  test('fires at input_key, and the template variable is not also reported', () => {
    const checked = check(source);
    assertSingleDiagnostic(checked, 'input-key-not-in-template', /input_key “question” is not a variable of the template.*set input_key to one of “query”/);
  });

  test('fix: set input_key to the template variable', () => {
    assertFixedTo(check(source), 'input-key-not-in-template', 'Set input_key to “query”', '---\ninput_key: query\n---\n{history}\nQuery: {query}\n');
  });

  test('fix: add the input variable to the template', () => {
    const checked = check('---\ninput_key: question\n---\nSummarise:\n{history}\n');
    assertFixedTo(checked, 'input-key-not-in-template', 'Add {question} to the template', '---\ninput_key: question\n---\nSummarise:\n{history}\n{question}\n');
  });

  test('does not fire when the template uses input_key', () => {
    assert.deepEqual(withCode(check('---\ninput_key: question\n---\n{history}\n{question}\n'), 'input-key-not-in-template'), []);
  });
});
