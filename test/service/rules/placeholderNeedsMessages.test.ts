import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, withCode } from './check';

const source = '---\nmemory:\n  key: chat_history\n---\nsystem:\nYou are a chatbot.\n\nplaceholder:\n⟦{chat_history}⟧\n\nhuman:\n{human_input}\n';

describe('placeholder-needs-messages', () => {
  test("fires at the placeholder's variable with LangChain's error", () => {
    const checked = check(source);
    assertSingleDiagnostic(checked, 'placeholder-needs-messages', /variable chat_history should be a list of base messages, got … of type <class 'str'>/);
  });

  test('fix: set return_messages to true', () => {
    assertFixedTo(check(source), 'placeholder-needs-messages', 'Set memory.return_messages to true', source.replace(/[⟦⟧]/g, '').replace('  key: chat_history\n', '  key: chat_history\n  return_messages: true\n'));
  });

  test('fix: replaces an explicit `return_messages: false`', () => {
    const checked = check('---\nmemory:\n  return_messages: false\n---\nplaceholder:\n{history}\n\nhuman:\n{q}\n');
    assertFixedTo(checked, 'placeholder-needs-messages', 'Set memory.return_messages to true', '---\nmemory:\n  return_messages: true\n---\nplaceholder:\n{history}\n\nhuman:\n{q}\n');
  });

  test('does not fire with return_messages: true', () => {
    assert.deepEqual(withCode(check(source.replace('  key: chat_history\n', '  key: chat_history\n  return_messages: true\n')), 'placeholder-needs-messages'), []);
  });
});
