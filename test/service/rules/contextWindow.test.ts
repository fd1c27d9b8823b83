import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Turn } from '../../../core/chain/types';
import { check, withCode, messageOf } from './check';

/** Turns of about 200 tokens each (" word" is one token in both encodings). */
function turns(count: number): Turn[] {
  return Array.from({ length: count }, (_, i) => ({ input: `question ${i}:${' word'.repeat(100)}`, output: `answer ${i}:${' word'.repeat(100)}` }));
}

const completion = '---\nmodel: gpt-4\n---\nYou are a chatbot.\n⟦{history}⟧\nHuman: {input}\nAI:\n';

describe('context-window-exceeded', () => {
  test('fires at the memory variable when the stored turns overflow the window', () => {
    const checked = check(completion, { storedTurns: turns(60) });
    const [diagnostic] = withCode(checked, 'context-window-exceeded');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(diagnostic), /^With the 60 turns stored for this workspace, the formatted prompt is [\d,]+ tokens \(cl100k_base\) which exceeds gpt-4's 8,192-token context window/);
    assert.match(messageOf(diagnostic), /buffer_window/);
  });

  test('does not fire while the prompt fits, or when a buffer window keeps only a few turns', () => {
    assert.deepEqual(withCode(check(completion, { storedTurns: turns(10) }), 'context-window-exceeded'), []);
    const windowed = '---\nmodel: gpt-4\nmemory:\n  type: buffer_window\n  k: 5\n---\n{history}\nHuman: {input}\n';
    assert.deepEqual(withCode(check(windowed, { storedTurns: turns(60) }), 'context-window-exceeded'), []);
  });

  test('max_tokens counts against the window', () => {
    const base = '---\nmodel: gpt-4\nparameters:\n  max_tokens: 3000\n---\n{history}\nHuman: {input}\n';
    assert.deepEqual(withCode(check(base.replace('3000', '500'), { storedTurns: turns(30) }), 'context-window-exceeded'), []);
    const [diagnostic] = withCode(check(base, { storedTurns: turns(30) }), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /plus 3,000 reserved for the reply \(max_tokens\)/);
  });

  test("a model the table doesn't know uses the configured window; chat placeholders count too", () => {
    const chat = '---\nmodel: llama3.2\nmemory:\n  return_messages: true\n---\nsystem:\nBe brief.\n\nplaceholder:\n⟦{history}⟧\n\nhuman:\n{input}\n';
    const settings = { contextWindow: 2048 };
    assert.deepEqual(withCode(check(chat, { storedTurns: turns(4), settings }), 'context-window-exceeded'), []);
    const checked = check(chat, { storedTurns: turns(12), settings });
    const [diagnostic] = withCode(checked, 'context-window-exceeded');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /the 2,048-token context window set by the promptChain\.contextWindow setting for llama3\.2/);
    assert.match(messageOf(diagnostic), /Clear the conversation memory \("Prompt Chain: Clear Conversation Memory"\), use “memory\.type: buffer_window” with a small k/);
    const cli = withCode(check(chat, { storedTurns: turns(12), settings: { ...settings, host: 'cli' } }), 'context-window-exceeded')[0];
    assert.match(messageOf(cli), /the 2,048-token context window assumed for llama3\.2: .* Clear the conversation memory \(“prompt-chain memory clear FILE”\)/);
    assert.doesNotMatch(messageOf(cli), /promptChain\./);
  });

  test('a long template alone is enough, pointed at the model', () => {
    const checked = check(`---\nmodel: ⟦gpt-3.5-turbo-instruct⟧\nmemory: false\n---\n${'Say something about {topic}.\n'.repeat(1200)}`);
    const [diagnostic] = withCode(checked, 'context-window-exceeded');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /^The formatted prompt is [\d,]+ tokens \(cl100k_base\) which exceeds gpt-3\.5-turbo-instruct's 4,096-token/);
  });
});

describe('context-window-exceeded on hostile input', () => {
  // Each took seconds to minutes before runs without a word break were counted in pieces; the test
  // timeout is the guard, the figures are in `npm run bench`.
  test('80,000 `x{h}` on one line with the memory in h', () => {
    const [diagnostic] = withCode(check(`---\nmemory:\n  key: h\n---\n${'x{h}'.repeat(80_000)}`), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^The formatted prompt is about [\d,]+ tokens \(cl100k_base; a run of over 1,024 characters without a word break is estimated\) which exceeds/);
  });

  test('200,000 `{`', () => {
    const [diagnostic] = withCode(check('{'.repeat(200_000)), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /about [\d,]+ tokens/);
  });

  test('a stored reply of 80,000 characters without a space', () => {
    const reply = Array.from({ length: 80_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('');
    const [diagnostic] = withCode(check(completion, { storedTurns: [{ input: 'hi', output: reply }] }), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^With the 1 turn stored for this workspace, the formatted prompt is about [\d,]+ tokens/);
  });

  test('an ordinary long prompt on one line is counted exactly', () => {
    const [diagnostic] = withCode(check(`---\nmodel: gpt-4\nmemory: false\n---\n${'Say something about {topic}, briefly. '.repeat(3000)}`), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^The formatted prompt is [\d,]+ tokens \(cl100k_base\) which exceeds/);
  });
});
