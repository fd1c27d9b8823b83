import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, assertSingleDiagnostic, check, codes, fixesFor, messageOf, withCode } from './check';

const twoInputs = '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nTopic: {topic}\nHuman: ⟦{human_input}⟧\n';

describe('ambiguous-input-key', () => {
  test("fires once, at the second candidate, with LangChain's error", () => {
    const checked = check(twoInputs);
    assertSingleDiagnostic(checked, 'ambiguous-input-key', /One input key expected got \['topic', 'human_input'\]/);
  });

  test('without memory it quotes the single-input error instead', () => {
    const checked = check('---\nmemory: false\n---\n{a} and ⟦{b}⟧\n');
    const [diagnostic] = withCode(checked, 'ambiguous-input-key');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /A single string input was passed in, but this chain expects multiple inputs/);
  });

  test('fix: one "Set input_key" per candidate; applied, the ambiguity is gone', () => {
    const checked = check(twoInputs);
    assert.deepEqual(fixesFor(checked, 'ambiguous-input-key').map((a) => a.title), ['Set input_key to `topic`', 'Set input_key to `human_input`']);
    const fixed = applyFix(checked, 'ambiguous-input-key', 'Set input_key to `human_input`');
    assert.equal(fixed.text, '---\nmemory:\n  key: chat_history\ninput_key: human_input\n---\n{chat_history}\nTopic: {topic}\nHuman: {human_input}\n');
    // `topic` now has to come from somewhere else: that is the next, different, diagnostic.
    assert.deepEqual(codes(fixed), ['unprovided-variable']);
  });

  test('does not fire with input_key, with one candidate, or when the other variable is a memory-key typo', () => {
    assert.deepEqual(withCode(check('---\ninput_key: b\nmemory: false\n---\n{a} {b}\n'), 'ambiguous-input-key'), []);
    assert.deepEqual(withCode(check('{history}\n{question}\n'), 'ambiguous-input-key'), []);
    assert.deepEqual(withCode(check('---\nmemory:\n  key: chat_history\n---\n{history}\n{question}\n'), 'ambiguous-input-key'), []);
  });
});
