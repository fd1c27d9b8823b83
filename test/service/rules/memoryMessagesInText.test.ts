import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, codes, fixesFor, withCode } from './check';

describe('memory-messages-in-text', () => {
  test('fires at the memory variable in a text template when return_messages is true', () => {
    const checked = check('---\nmemory:\n  return_messages: true\n---\nConversation:\n⟦{history}⟧\nHuman: {input}\n');
    assertSingleDiagnostic(checked, 'memory-messages-in-text', /pastes the list's repr/);
  });

  test('fix: set return_messages to false in a completion prompt', () => {
    const checked = check('---\nmemory:\n  return_messages: true\n---\n{history}\nHuman: {input}\n');
    assertFixedTo(checked, 'memory-messages-in-text', 'Set memory.return_messages to false', '---\nmemory:\n  return_messages: false\n---\n{history}\nHuman: {input}\n');
  });

  test('fix: a message holding only the memory becomes a placeholder', () => {
    const checked = check('---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nhuman:\n⟦{history}⟧\n\nhuman:\n{input}\n');
    assert.deepEqual(withCode(checked, 'memory-messages-in-text').map((d) => d.range), checked.marked);
    assert.deepEqual(fixesFor(checked, 'memory-messages-in-text').map((a) => [a.title, a.isPreferred]), [
      ['Make this message a “placeholder:”', true],
      ['Set memory.return_messages to false', undefined],
    ]);
    assertFixedTo(checked, 'memory-messages-in-text', 'Make this message a “placeholder:”', '---\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nplaceholder:\n{history}\n\nhuman:\n{input}\n');
  });

  test('does not offer return_messages: false while a placeholder needs the list', () => {
    const checked = check('---\nmemory:\n  return_messages: true\n---\nsystem:\nSo far: {history}\n\nplaceholder:\n{history}\n\nhuman:\n{input}\n');
    assert.deepEqual(withCode(checked, 'memory-messages-in-text').length, 1);
    assert.deepEqual(fixesFor(checked, 'memory-messages-in-text'), []);
  });

  test('the summary memories: a list around the summary', () => {
    const summary = check('---\nmemory:\n  type: summary\n  return_messages: true\n---\nSummary: ⟦{history}⟧\nHuman: {input}\n');
    assertSingleDiagnostic(summary, 'memory-messages-in-text', /a list holding one SystemMessage with the summary.*\[SystemMessage\(content='…'\)\]/);
    const buffered = check('---\nmemory:\n  type: summary_buffer\n  return_messages: true\n---\nsystem:\n⟦{history}⟧\n\nhuman:\n{input}\n');
    assertSingleDiagnostic(buffered, 'memory-messages-in-text', /\[SystemMessage\(content='…'\), HumanMessage\(content='…'\), …\]/);
    assertFixedTo(buffered, 'memory-messages-in-text', 'Make this message a “placeholder:”', '---\nmemory:\n  type: summary_buffer\n  return_messages: true\n---\nplaceholder:\n{history}\n\nhuman:\n{input}\n');
  });

  test('does not fire with return_messages false, or for a placeholder', () => {
    assert.deepEqual(codes(check('{history}\nHuman: {input}\n')), []);
    assert.deepEqual(codes(check('---\nmemory:\n  return_messages: true\n---\nplaceholder:\n{history}\n\nhuman:\n{input}\n')), []);
  });
});
