import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes, withCode, messageOf } from './check';

describe('stop-variable', () => {
  test('fires at `{stop}` in the template and at `stop` declared in the front matter', () => {
    const checked = check('---\ninput_variables: [question, ⟦stop⟧]\n---\n{history}\nQ: {question} until ⟦{stop}⟧\n');
    const found = withCode(checked, 'stop-variable');
    assert.deepEqual(found.map((d) => d.range), [checked.marked[1], checked.marked[0]]);
    assert.match(messageOf(found[0]), /Cannot have an input variable named 'stop', as it is used internally, please rename\./);
  });

  test('does not fire for stop sequences in parameters', () => {
    assert.deepEqual(codes(check('---\nparameters:\n  stop: ["\\nHuman:"]\n---\n{history}\nHuman: {input}\n')), []);
  });
});
