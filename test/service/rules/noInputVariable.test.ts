import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, codes, withCode } from './check';

describe('no-input-variable', () => {
  test('fires when every variable is memory or a partial', () => {
    const checked = check('---\npartial_variables:\n  tone: dry\n---\n⟦Be {tone}.⟧\n{history}\n');
    assertSingleDiagnostic(checked, 'no-input-variable', /One input key expected got \[\]/);
  });

  test('fix: add `{input}` at the end of a text template', () => {
    assertFixedTo(check('Summarise our conversation:\n{history}\n'), 'no-input-variable', "Add {input} for the user's input", 'Summarise our conversation:\n{history}\n{input}\n');
  });

  test('fix: add a human message to a chat prompt', () => {
    const checked = check('---\nmemory:\n  return_messages: true\n---\n⟦system:⟧\nBe brief.\n\nplaceholder:\n{history}\n');
    assert.deepEqual(withCode(checked, 'no-input-variable').map((d) => d.range), checked.marked);
    assertFixedTo(checked, 'no-input-variable', "Add {input} for the user's input", '---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nplaceholder:\n{history}\n\nhuman:\n{input}\n');
  });

  test('does not fire with an input variable, with input_key, or for an empty body', () => {
    assert.deepEqual(withCode(check('{history}\n{question}\n'), 'no-input-variable'), []);
    assert.deepEqual(withCode(check('---\ninput_key: question\n---\n{history}\n'), 'no-input-variable'), []);
    assert.deepEqual(codes(check('---\nmodel: gpt-4o\n---\n')), []);
  });
});
