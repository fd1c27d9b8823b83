import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyFix, assertFixedTo, check, codes, fixesFor, messageOf, withCode } from './check';
import { rules } from '../../../service/rules/index';
import { MAX_YAML_LENGTH } from '../../../core/format/frontMatter';

const famous = `---
memory:
  key: ⟦chat_history⟧
---
You are a chatbot having a conversation with a human.

⟦{history}⟧
Human: {human_input}
Chatbot:
`;

describe('unprovided-variable', () => {
  test('`{history}` with memory key `chat_history`: memory-key-unused + did-you-mean, nothing else', () => {
    const checked = check(famous);
    assert.deepEqual(codes(checked), ['memory-key-unused', 'unprovided-variable']);
    assert.deepEqual(checked.diagnostics.map((d) => d.range), checked.marked);
    const [unprovided] = withCode(checked, 'unprovided-variable');
    assert.equal(unprovided?.severity, DiagnosticSeverity.Error);
    assert.equal(
      unprovided?.message,
      "Nothing provides {history}: the memory writes the conversation into {chat_history}, so LLMChain raises “Missing some input keys: {'history'}”. Did you mean {chat_history}?",
    );
  });

  test('fix: rename `{history}` to the memory key, and the file is clean', () => {
    assertFixedTo(check(famous), 'unprovided-variable', 'Rename {history} to {chat_history}', famous.replace(/[⟦⟧]/g, '').replace('{history}', '{chat_history}'));
  });

  test('fix: or point memory.key at `history`', () => {
    const fixed = applyFix(check(famous), 'unprovided-variable', 'Set memory.key to “history”');
    assert.match(fixed.text, /\n {2}key: history\n/);
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('the rename is preferred and renames every use and declaration', () => {
    const checked = check('---\ninput_variables: [history, q]\nmemory:\n  key: chat_history\n---\n⟦{history}⟧ {q} ⟦{history}⟧\n');
    assert.deepEqual(withCode(checked, 'unprovided-variable').map((d) => d.range), checked.marked);
    const [rename] = fixesFor(checked, 'unprovided-variable');
    assert.equal(rename?.isPreferred, true);
    const fixed = applyFix(checked, 'unprovided-variable', 'Rename {history} to {chat_history}', 1);
    assert.equal(fixed.text, '---\ninput_variables: [chat_history, q]\nmemory:\n  key: chat_history\n---\n{chat_history} {q} {chat_history}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('`{chat_history }` with a space: the message says "a trailing space", the fix removes it', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n⟦{chat_history }⟧\nHuman: {input}\n');
    const [diagnostic] = withCode(checked, 'unprovided-variable');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /^\{chat_history \} has a trailing space: the memory writes the conversation into \{chat_history\}, and LangChain matches names exactly, so LLMChain raises “Missing some input keys: \{'chat_history '\}”\. Write \{chat_history\}\.$/);
    assert.doesNotMatch(messageOf(diagnostic), /Did you mean/);
    assert.deepEqual(fixesFor(checked, 'unprovided-variable').map((a) => [a.title, a.isPreferred]), [['Remove the trailing space from {chat_history }', true]]);
    const fixed = applyFix(checked, 'unprovided-variable', 'Remove the trailing space from {chat_history }');
    assert.equal(fixed.text, '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {input}\n');
    assert.deepEqual(fixed.diagnostics, []);
    assert.match(messageOf(withCode(check('---\nmemory:\n  key: chat_history\n---\n{ chat_history}\nHuman: {input}\n'), 'unprovided-variable')[0]), /has a leading space/);
  });

  test('memory.key with a trailing space: the key is trimmed, the variable is not respelt', () => {
    const checked = check('---\nmemory:\n  key: "history "\n---\n⟦{history}⟧\nHuman: {input}\n');
    const [diagnostic] = withCode(checked, 'unprovided-variable');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /memory\.key is “history ”, with a trailing space, so the memory writes the conversation into \{history \}/);
    assert.deepEqual(fixesFor(checked, 'unprovided-variable').map((a) => [a.title, a.isPreferred]), [['Remove the trailing space from memory.key', true]]);
    const fixed = applyFix(checked, 'unprovided-variable', 'Remove the trailing space from memory.key');
    assert.equal(fixed.text, '---\nmemory:\n  key: history\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('input_key with a trailing space, and a partial with one', () => {
    const checked = check('---\ninput_key: "question "\n---\n{history}\n⟦{question}⟧\n');
    assert.match(messageOf(withCode(checked, 'unprovided-variable')[0]), /input_key is “question ”, with a trailing space/);
    assertFixedTo(checked, 'unprovided-variable', 'Remove the trailing space from input_key', '---\ninput_key: question\n---\n{history}\n{question}\n');
    const partial = check('---\npartial_variables:\n  "tone ": dry\n---\n{history}\n{tone} {input}\n');
    const [diagnostic] = withCode(partial, 'unprovided-variable');
    assert.match(messageOf(diagnostic), /the partial is named “tone ”, with a trailing space/);
    // Renaming the variable to a name with a space would copy the mistake into the template.
    assert.deepEqual(fixesFor(partial, 'unprovided-variable'), []);
  });

  test('a near miss by more than whitespace is still a did-you-mean', () => {
    const checked = check('---\nmemory:\n  key: chat_history\n---\n{chat-history}\nHuman: {input}\n');
    assert.match(messageOf(withCode(checked, 'unprovided-variable')[0]), /Did you mean \{chat_history\}\?$/);
  });

  test('a near miss of input_key names the input key, and input-key-not-in-template stays quiet', () => {
    const checked = check('---\ninput_key: question\n---\n{history}\nQ: ⟦{questoin}⟧\n');
    assert.deepEqual(codes(checked), ['unprovided-variable']);
    assert.match(messageOf(checked.diagnostics[0]), /the user's input goes to \{question\} \(input_key\).*Did you mean \{question\}\?/);
    assert.deepEqual(applyFix(checked, 'unprovided-variable', 'Rename {questoin} to {question}').diagnostics, []);
  });

  test('an extra variable beside input_key is a warning saying how to provide it', () => {
    const checked = check('---\ninput_key: question\n---\n{history}\nTopic: ⟦{topic}⟧\nQ: {question}\n');
    const [diagnostic, ...others] = withCode(checked, 'unprovided-variable');
    assert.equal(others.length, 0);
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Warning);
    assert.equal(
      diagnostic?.message,
      "Nothing in this file provides {topic}: it is not the memory key (“history”), the input key (“question”) or a partial, so LLMChain raises “Missing some input keys: {'topic'}” unless every run passes a value for it. Add “topic” to partial_variables, or give it a value in the chat panel, which asks for it before each turn.",
    );
    const cli = check('---\ninput_key: question\n---\n{history}\nTopic: {topic}\nQ: {question}\n', { settings: { host: 'cli' } });
    assert.match(messageOf(cli.diagnostics[0]), /Add “topic” to partial_variables, or pass it with each run \(“--var topic=…”\)\.$/);
  });

  test('does not fire for the single free variable, whatever its name, nor for partials', () => {
    assert.deepEqual(withCode(check('---\nmemory:\n  key: chat_history\n---\n{history}\n'), 'unprovided-variable'), []);
    assert.deepEqual(codes(check('---\nmemory:\n  key: chat_history\n---\n{chat_history}\nHuman: {human_input}\n')), []);
    assert.deepEqual(codes(check('---\npartial_variables:\n  tone: dry\n---\n{history}\nBe {tone}: {question}\n')), []);
  });

  test('numbered variables are not taken for typos of each other', () => {
    const checked = check('---\ninput_key: example_0_input\n---\n{example_0_input}\n{example_1_input}\n{example_2_input}\n');
    const found = withCode(checked, 'unprovided-variable');
    assert.equal(found.length, 2);
    for (const diagnostic of found) {
      assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
      assert.doesNotMatch(messageOf(diagnostic), /Did you mean/);
    }
  });

  test('5,000 run-time variables and as many partials as the front matter holds are analysed in linear time (the test timeout is the guard)', () => {
    const n = 5000;
    // the front matter's size limit bounds the partials: as many as fit
    const partialCount = Math.floor((MAX_YAML_LENGTH - 60) / `  example_${n}_output: answer ${n}\n`.length);
    const partials = Array.from({ length: partialCount }, (_, i) => `  example_${i}_output: answer ${i}`).join('\n');
    const body = Array.from({ length: n }, (_, i) => `Q: {example_${i}_input}` + (i < partialCount ? `\nA: {example_${i}_output}` : '')).join('\n');
    const checked = check(`---\ninput_key: question\npartial_variables:\n${partials}\n---\n{question}\n${body}\n{example_7_ouptut}\n`);
    // the rule finds all; the document lists 100 and sums up the rest (service/diagnostics.ts)
    const found = rules.find((rule) => rule.code === 'unprovided-variable')?.check(checked.ctx) ?? [];
    assert.equal(found.length, n + 1);
    assert.equal(found.filter((f) => /Did you mean `\{example_7_output\}`/.test(f.message)).length, 1);
    assert.equal(withCode(checked, 'unprovided-variable').length, 100);
    assert.deepEqual(withCode(checked, 'more-problems').map((d) => d.data), [{ code: 'unprovided-variable', count: n + 1 - 100 }]);
  });
});

