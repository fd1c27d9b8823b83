import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getCodeLenses } from '../../../service/features/codeLens';
import { fixture } from '../../support/fixture';

const chat = '---\nmemory:\n  key: chat_history\n---\n\nsystem:\nBe brief.\n\nhuman:\n{input}\n';

describe('code lenses', () => {
  test('run a chat turn and clear memory, on the first message header', () => {
    const f = fixture(chat, { uri: 'file:///w/chat.prompt', storedTurns: [{ input: 'a', output: 'b' }, { input: 'c', output: 'd' }] });
    const range = { start: { line: 5, character: 0 }, end: { line: 5, character: 7 } };
    assert.deepEqual(getCodeLenses(f.ctx), [
      { range, command: { title: '▶ Run chat turn', command: 'promptChain.runChatTurn', arguments: ['file:///w/chat.prompt'] } },
      { range, command: { title: 'Clear memory (2 turns)', command: 'promptChain.clearConversationMemory', arguments: ['file:///w/chat.prompt'] } },
    ]);
  });

  test('one turn is singular, none is zero', () => {
    const titles = (turns: number) =>
      getCodeLenses(fixture(chat, { storedTurns: Array.from({ length: turns }, () => ({ input: 'a', output: 'b' })) }).ctx).map((l) => l.command?.title);
    assert.deepEqual(titles(1), ['▶ Run chat turn', 'Clear memory (1 turn)']);
    assert.deepEqual(titles(0), ['▶ Run chat turn', 'Clear memory (0 turns)']);
  });

  test('without memory only the run lens', () => {
    const f = fixture('---\nmemory: false\n---\n{input}\n');
    assert.deepEqual(getCodeLenses(f.ctx).map((l) => l.command?.title), ['▶ Run chat turn']);
  });

  test('a completion template: at its first line', () => {
    const f = fixture('---\nmodel: x\n---\nYou are a bot.\n{history}\n{input}\n');
    assert.deepEqual(getCodeLenses(f.ctx).map((l) => l.range), [
      { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
      { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
    ]);
  });
});
