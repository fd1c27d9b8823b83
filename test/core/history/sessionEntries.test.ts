// A session's messages as the engine's entries: a human message followed by an AI message is an exchange,
// any other message a lone one in place; messages a chain cannot send are refused; the array is reused
// only when the new messages extend the old ones without changing an entry.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionEntries } from '../../../core/history/sessionEntries';
import { HistoryStoreError, type HistoryMessage, type HistoryMessageType } from '../../../core/history/types';

let serial = 0;
const message = (type: HistoryMessageType, content: string): HistoryMessage => ({ type, content, dialect: 'python', raw: `${type}:${content}:${serial++}` });

describe('sessionEntries', () => {
  test('pairs a human message with the AI message right after it; everything else is lone, in place', () => {
    const messages = [message('system', 's'), message('ai', 'hello'), message('human', 'q1'), message('ai', 'a1'), message('human', 'q2'), message('human', 'q3'), message('ai', 'a3'), message('human', 'q4')];
    assert.deepEqual(sessionEntries(messages, undefined, 'session x').entries, [
      { lone: { type: 'system', content: 's' } },
      { lone: { type: 'ai', content: 'hello' } },
      { input: 'q1', output: 'a1' },
      { lone: { type: 'human', content: 'q2' } },
      { input: 'q3', output: 'a3' },
      { lone: { type: 'human', content: 'q4' } },
    ]);
  });

  test('extends the same array when messages are only added, a new one otherwise', () => {
    const start = [message('system', 's'), message('human', 'q1'), message('ai', 'a1')];
    const first = sessionEntries(start, undefined, 'x');
    const grown = sessionEntries([...start, message('human', 'q2'), message('ai', 'a2')], first, 'x');
    assert.equal(grown.entries, first.entries);
    assert.equal(grown.entries.length, 3);
    assert.equal(sessionEntries(grown.messages, grown, 'x'), grown);
    const rewritten = sessionEntries([message('system', 'other'), ...grown.messages.slice(1)], grown, 'x');
    assert.notEqual(rewritten.entries, grown.entries);
    const shorter = sessionEntries(start.slice(0, 1), rewritten, 'x');
    assert.notEqual(shorter.entries, rewritten.entries);
    assert.deepEqual(shorter.entries, [{ lone: { type: 'system', content: 's' } }]);
  });

  test("a lone question answered by another writer becomes an exchange in a new array", () => {
    const asked = sessionEntries([message('human', 'q')], undefined, 'x');
    const answered = sessionEntries([...asked.messages, message('ai', 'a')], asked, 'x');
    assert.notEqual(answered.entries, asked.entries);
    assert.deepEqual(answered.entries, [{ input: 'q', output: 'a' }]);
    assert.deepEqual(asked.entries, [{ lone: { type: 'human', content: 'q' } }]);
  });

  const refusals = [
    ['tool', 'a tool message: a .prompt chain sends only system, human and AI messages'],
    ['function', 'a function message: a .prompt chain sends only system, human and AI messages'],
    ['chat', 'a chat message with role "critic": LangChain\'s ChatOpenAI sends it with that role'],
    ['developer', "a developer message: the engine's messages (system, human, AI) cannot carry the developer role"],
  ] as const;
  for (const [type, what] of refusals) {
    test(`refuses ${what} with kind unsupported, naming its position`, () => {
      const odd = { ...message(type, 'x'), ...(type === 'chat' ? { role: 'critic' } : {}) };
      assert.throws(
        () => sessionEntries([message('human', 'q'), odd], undefined, 'session "s" of sqlite:a.db'),
        (error: unknown) => error instanceof HistoryStoreError && error.kind === 'unsupported' && error.message.startsWith(`Message 2 of session "s" of sqlite:a.db is ${what}`),
      );
    });
  }
});
