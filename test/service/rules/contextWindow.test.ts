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

describe('context-window-exceeded counts what each memory type injects', () => {
  const long = turns(60);
  const typed = (type: string): string => `---\nmodel: gpt-4\nmemory:\n  type: ${type}\n---\nYou are a chatbot.\n⟦{history}⟧\nHuman: {input}\nAI:\n`;

  test('summary: the summary instead of the 60 turns', () => {
    const small = { type: 'summary', storedTurns: 60, keptMessages: 0, prunedMessages: 120, summary: 'They talked about words.' } as const;
    assert.deepEqual(withCode(check(typed('summary'), { storedTurns: long, memoryView: small }), 'context-window-exceeded'), []);
    const big = { ...small, summary: ' word'.repeat(9000) };
    const checked = check(typed('summary'), { storedTurns: long, memoryView: big });
    const [diagnostic] = withCode(checked, 'context-window-exceeded');
    assert.deepEqual(diagnostic?.range, checked.marked[0]);
    assert.match(messageOf(diagnostic), /^With the summary memory holds, the formatted prompt is 9,0\d\d tokens .* The summary itself is that long: clear the conversation memory/);
  });

  test('summary_buffer and token_buffer: only the kept messages (and the summary)', () => {
    const view = { type: 'token_buffer', storedTurns: 60, keptMessages: 9, prunedMessages: 111, tokens: 1800, maxTokenLimit: 2000 } as const;
    assert.deepEqual(withCode(check(typed('token_buffer'), { storedTurns: long, memoryView: view }), 'context-window-exceeded'), []);
    const kept = { ...view, keptMessages: 81 };
    const [diagnostic] = withCode(check(typed('token_buffer'), { storedTurns: long, memoryView: kept }), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^With the 81 messages memory keeps, the formatted prompt is .* Lower “memory\.max_token_limit”/);
    const summarized = { ...kept, type: 'summary_buffer', summary: 'Earlier: words.' } as const;
    const [withSummary] = withCode(check(typed('summary_buffer'), { storedTurns: long, memoryView: summarized }), 'context-window-exceeded');
    assert.match(messageOf(withSummary), /^With the summary and the 81 messages memory keeps, the formatted prompt/);
  });

  test('half a turn kept counts as one message, in a chat placeholder too', () => {
    const chat = '---\nmodel: gpt-4\nmemory:\n  type: token_buffer\n  return_messages: true\n---\nplaceholder:\n{history}\n\nhuman:\n{input}\n';
    const odd = { type: 'token_buffer', storedTurns: 60, keptMessages: 79, prunedMessages: 41 } as const;
    const even = { ...odd, keptMessages: 80 };
    const tokens = (view: typeof odd | typeof even): number => Number(withCode(check(chat, { storedTurns: long, memoryView: view }), 'context-window-exceeded')[0]?.data?.tokens);
    assert.ok(tokens(even) - tokens(odd) > 100, `${tokens(even)} vs ${tokens(odd)}`);
  });

  test('without a view from the host, token_buffer prunes the stored turns as the engine would', () => {
    const limited = (limit: number): string => `---\nmodel: gpt-4\nmemory:\n  type: token_buffer\n  max_token_limit: ${limit}\n---\n{history}\nHuman: {input}\n`;
    assert.deepEqual(withCode(check(limited(2000), { storedTurns: long }), 'context-window-exceeded'), []);
    const [diagnostic] = withCode(check(limited(9000), { storedTurns: long }), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^With the \d+ messages memory keeps, the formatted prompt is [\d,]+ tokens/);
  });

  test('summary_buffer with a summary owed: counts what the catch-up keeps, not the backlog the view shows verbatim', () => {
    const owed = { type: 'summary_buffer', storedTurns: 60, keptMessages: 120, prunedMessages: 0, summary: '', pendingSummary: true } as const;
    assert.deepEqual(withCode(check(typed('summary_buffer'), { storedTurns: long, memoryView: owed }), 'context-window-exceeded'), []);
    const [diagnostic] = withCode(check(typed('summary_buffer'), { storedTurns: long, memoryView: { ...owed, pendingSummary: false } }), 'context-window-exceeded');
    assert.match(messageOf(diagnostic), /^With the 120 messages memory keeps/);
  });

  test('a view derived for another type is not used (the next turn derives it again)', () => {
    const stale = { type: 'buffer', storedTurns: 60, keptMessages: 120, prunedMessages: 0 } as const;
    assert.deepEqual(withCode(check(typed('token_buffer'), { storedTurns: long, memoryView: stale }), 'context-window-exceeded'), []);
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
