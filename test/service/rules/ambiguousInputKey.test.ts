import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, check, codes, fixesFor, messageOf, withCode } from './check';
import { getCodeActions } from '../../../service/features/codeActions';

const twoInputs = '---\nmemory:\n  key: chat_history\n---\n{chat_history}\nTopic: ⟦{topic}⟧\nHuman: ⟦{human_input}⟧\n';
const threeInChat = 'system:\nYou are ⟦{persona}⟧.\n\nplaceholder:\n{history}\n\nhuman:\n⟦{topic}⟧: ⟦{question}⟧ (⟦{topic}⟧)\n';

describe('ambiguous-input-key', () => {
  test("marks every use of every candidate, with LangChain's error", () => {
    const checked = check(twoInputs);
    assert.deepEqual(codes(checked), ['ambiguous-input-key', 'ambiguous-input-key']);
    assert.deepEqual(checked.diagnostics.map((d) => d.range), checked.marked);
    assert.match(messageOf(checked.diagnostics[0]), /\(\{topic\}, \{human_input\}\): ConversationBufferMemory raises “One input key expected got \['topic', 'human_input'\]” when it saves the turn/);
    const chat = check(threeInChat);
    assert.deepEqual(withCode(chat, 'ambiguous-input-key').map((d) => d.range), chat.marked);
  });

  test('without memory it quotes the single-input error instead', () => {
    const checked = check('---\nmemory: false\n---\n⟦{a}⟧ and ⟦{b}⟧\n');
    const found = withCode(checked, 'ambiguous-input-key');
    assert.deepEqual(found.map((d) => d.range), checked.marked);
    assert.match(messageOf(found[0]), /“A single string input was passed in, but this chain expects multiple inputs \(\{'a', 'b'\}\)”/);
  });

  test('the fix for the variable that takes the human words comes first and is preferred, at every candidate', () => {
    const checked = check(twoInputs);
    for (const index of [0, 1]) {
      assert.deepEqual(fixesFor(checked, 'ambiguous-input-key', index).map((a) => [a.title, a.isPreferred ?? false]), [
        ['Set input_key to “human_input”', true],
        ['Set input_key to “topic”', false],
      ]);
    }
    assert.match(messageOf(checked.diagnostics[0]), /Set input_key to the one that does \(likely “human_input”\)/);
    const chat = check(threeInChat);
    assert.deepEqual(fixesFor(chat, 'ambiguous-input-key').map((a) => [a.title, a.isPreferred ?? false]), [
      ['Set input_key to “question”', true],
      ['Set input_key to “persona”', false],
      ['Set input_key to “topic”', false],
    ]);
  });

  test('nothing is preselected when no candidate looks like the human input', () => {
    const checked = check('---\nmemory: false\n---\n{a} and {b}\n');
    assert.deepEqual(fixesFor(checked, 'ambiguous-input-key').map((a) => a.isPreferred ?? false), [false, false]);
    assert.match(messageOf(checked.diagnostics[0]), /Set input_key to the one that does, and/);
  });

  test('a range over two candidates offers each fix once, fixing both diagnostics', () => {
    const checked = check('{history}\n{persona} {human_input}\n');
    const diagnostics = withCode(checked, 'ambiguous-input-key');
    const line = { start: { line: 1, character: 0 }, end: { line: 1, character: 22 } };
    const actions = getCodeActions(checked.ctx, line, diagnostics);
    assert.deepEqual(actions.map((a) => a.title), ['Set input_key to “human_input”', 'Set input_key to “persona”']);
    assert.equal(actions[0]?.diagnostics?.length, 2);
  });

  test('with hundreds of candidates the message names five and counts the rest, and five fixes are offered, the likeliest first', () => {
    const names = Array.from({ length: 300 }, (_, i) => `v${i}`);
    const text = `---\nmemory:\n  key: chat_history\n---\n{chat_history}\n${names.map((name) => `{${name}}`).join(' ')}\nHuman: {question}\n`;
    const checked = check(text);
    const found = withCode(checked, 'ambiguous-input-key');
    const message = messageOf(found[0]);
    assert.match(message, /\(\{v0\}, \{v1\}, \{v2\}, \{v3\}, \{v4\} and 296 more\)/);
    assert.match(message, /“One input key expected got \['v0', 'v1', 'v2', 'v3', 'v4', …\]”/);
    assert.ok(message.length < 1_000, `a message of ${message.length} characters`);
    assert.deepEqual(fixesFor(checked, 'ambiguous-input-key').map((a) => a.title), [
      'Set input_key to “question”', 'Set input_key to “v0”', 'Set input_key to “v1”', 'Set input_key to “v2”', 'Set input_key to “v3”',
    ]);
    const everything = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
    assert.equal(getCodeActions(checked.ctx, everything, found).length, 5);
  });

  test('fix applied: the ambiguity is gone', () => {
    const fixed = applyFix(check(twoInputs), 'ambiguous-input-key', 'Set input_key to “human_input”');
    assert.equal(fixed.text, '---\nmemory:\n  key: chat_history\ninput_key: human_input\n---\n{chat_history}\nTopic: {topic}\nHuman: {human_input}\n');
    // `topic` now has to come from somewhere else: that is the next, different, diagnostic.
    assert.deepEqual(codes(fixed), ['unprovided-variable']);
  });

  test('the others are to be given a value in the chat panel (editor) or with --var (CLI)', () => {
    assert.match(messageOf(check(twoInputs).diagnostics[0]), /for the others add partial_variables or give them a value in the chat panel/);
    const cli = check(twoInputs, { settings: { host: 'cli' } });
    assert.match(messageOf(cli.diagnostics[0]), /for the others add partial_variables or pass them with each run \(“--var topic=…”\)/);
  });

  test('does not fire with input_key, with one candidate, or when the other variable is a memory-key typo', () => {
    assert.deepEqual(withCode(check('---\ninput_key: b\nmemory: false\n---\n{a} {b}\n'), 'ambiguous-input-key'), []);
    assert.deepEqual(withCode(check('{history}\n{question}\n'), 'ambiguous-input-key'), []);
    assert.deepEqual(withCode(check('---\nmemory:\n  key: chat_history\n---\n{history}\n{question}\n'), 'ambiguous-input-key'), []);
  });
});
