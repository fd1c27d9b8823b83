import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { assertFixedTo, check, codes, fixesFor, messageOf, withCode } from './check';

describe('memory-key-unused', () => {
  test('fires at memory.key when the template never uses the key', () => {
    const checked = check('---\nmemory:\n  key: ⟦chat_history⟧\n---\nAnswer: {question}\n');
    const [diagnostic, ...others] = withCode(checked, 'memory-key-unused');
    assert.equal(others.length, 0);
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(diagnostic), /“chat_history” is used nowhere in the template/);
    assert.match(messageOf(diagnostic), /never sees earlier turns/);
    assert.deepEqual(codes(checked), ['memory-key-unused']);
  });

  test('is information on the first line when memory is only the default', () => {
    const checked = check('⟦Tell me a joke about {topic}.⟧\n');
    const [diagnostic] = withCode(checked, 'memory-key-unused');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Information);
    assert.match(messageOf(diagnostic), /memory: false/);
  });

  test('points at the opening fence when the front matter has no memory block', () => {
    const checked = check('⟦---⟧\nmodel: gpt-4o\n---\nTell me about {topic}.\n');
    assert.deepEqual(withCode(checked, 'memory-key-unused').map((d) => d.range), checked.marked);
  });

  test('points at `memory` when the block names no key', () => {
    const checked = check('---\n⟦memory⟧:\n  type: buffer\n---\n{question}\n');
    const [diagnostic] = withCode(checked, 'memory-key-unused');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Warning);
  });

  test('does not fire when the key is used, memory is off, the body is empty or a template is broken', () => {
    assert.deepEqual(codes(check('---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n')), []);
    assert.deepEqual(codes(check('---\nmemory: false\n---\nTell me about {topic}.\n')), []);
    assert.deepEqual(withCode(check('---\nmemory:\n  key: chat_history\n---\n\n'), 'memory-key-unused'), []);
    assert.deepEqual(withCode(check('---\nmemory:\n  key: chat_history\n---\n{chat_history\n'), 'memory-key-unused'), []);
  });

  test('fix: insert the memory variable above the line holding the input', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\nYou are a chatbot.\n\nHuman: {human_input}\nChatbot:\n');
    assertFixedTo(checked, 'memory-key-unused', 'Insert {chat_history} into the template', '---\nmemory:\n  key: chat_history\n---\nYou are a chatbot.\n\n{chat_history}\nHuman: {human_input}\nChatbot:\n');
  });

  test('fix: insert a placeholder message in a chat prompt, turning return_messages on', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\nsystem:\nYou are a chatbot.\n\nhuman:\n{human_input}\n');
    const title = 'Insert a “placeholder:” message for {chat_history} (return_messages: true)';
    assert.equal(fixesFor(checked, 'memory-key-unused').find((a) => a.title === title)?.isPreferred, true);
    assertFixedTo(checked, 'memory-key-unused', title, '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nYou are a chatbot.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{human_input}\n');
  });

  test('fix: insert a placeholder when return_messages is already on', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nBe brief.\n\nhuman:\n{q}\n');
    assertFixedTo(checked, 'memory-key-unused', 'Insert a “placeholder:” message for {chat_history}', '---\nmemory:\n  key: chat_history\n  return_messages: true\n---\nsystem:\nBe brief.\n\nplaceholder:\n{chat_history}\n\nhuman:\n{q}\n');
  });

  test('fix: turn the default memory off', () => {
    const checked = check('Tell me a joke about {topic}.\n');
    assertFixedTo(checked, 'memory-key-unused', 'Turn memory off (“memory: false”)', '---\nmemory: false\n---\nTell me a joke about {topic}.\n');
  });

  test('fix: point memory.key at the near miss the template uses', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{history}\nHuman: {input}\n');
    assertFixedTo(checked, 'memory-key-unused', 'Set memory.key to “history”', '---\nmemory:\n  key: history\n---\n{history}\nHuman: {input}\n');
  });

  test('fix: with the default memory, setting memory.key writes the front matter', () => {
    const checked = check('{chat_history}\nHuman: {input}\n');
    assert.deepEqual(codes(checked), ['memory-key-unused', 'unprovided-variable']);
    assertFixedTo(checked, 'memory-key-unused', 'Set memory.key to “chat_history”', '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
  });
  test('a memory key with a trailing space says so, and the fix trims the key', () => {
    const checked = check('---\nmemory:\n  key: ⟦"history "⟧\n---\n{history}\nHuman: {input}\n');
    const [diagnostic] = withCode(checked, 'memory-key-unused');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /^The memory key “history ” has a trailing space, so the template's \{history\} is not it:/);
    assert.deepEqual(fixesFor(checked, 'memory-key-unused').map((a) => [a.title, a.isPreferred]), [['Remove the trailing space from memory.key', true]]);
    assertFixedTo(checked, 'memory-key-unused', 'Remove the trailing space from memory.key', '---\nmemory:\n  key: history\n---\n{history}\nHuman: {input}\n');
  });

  test('a template variable with a trailing space says so, and the fix trims the variable', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{chat_history }\nHuman: {input}\n');
    const [diagnostic] = withCode(checked, 'memory-key-unused');
    assert.match(messageOf(diagnostic), /\{chat_history \} has a trailing space, and LangChain matches names exactly/);
    assert.deepEqual(fixesFor(checked, 'memory-key-unused').map((a) => [a.title, a.isPreferred]), [['Remove the trailing space from {chat_history }', true]]);
    assertFixedTo(checked, 'memory-key-unused', 'Remove the trailing space from {chat_history }', '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
  });
});
