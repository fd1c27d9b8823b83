import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadMemoryVariables, memoryValue, visibleTurns } from '../../../core/chain/memory';
import type { MemoryConfig, Turn } from '../../../core/chain/types';

const buffer: MemoryConfig = { type: 'buffer', key: 'history', returnMessages: false, humanPrefix: 'Human', aiPrefix: 'AI', scope: 'file' };
const turns: Turn[] = [
  { input: 'Hi there my friend', output: ' Hi there! How can I help you today?' },
  { input: 'Not too bad - how are you?', output: "I'm an AI,\nso always fine." },
  { input: 'Bye', output: 'Goodbye!' },
];

describe('ConversationBufferMemory', () => {
  test('the buffer of an empty conversation is the empty string', () => {
    assert.deepEqual(loadMemoryVariables([], buffer), { history: '' });
  });

  test('the buffer is "{prefix}: {content}" lines joined by \\n, contents raw', () => {
    assert.equal(
      memoryValue(turns, buffer),
      "Human: Hi there my friend\nAI:  Hi there! How can I help you today?\nHuman: Not too bad - how are you?\nAI: I'm an AI,\nso always fine.\nHuman: Bye\nAI: Goodbye!",
    );
  });

  test('human_prefix and ai_prefix name the lines', () => {
    const memory = { ...buffer, humanPrefix: 'User', aiPrefix: 'Chatbot' };
    assert.equal(memoryValue(turns.slice(0, 1), memory), 'User: Hi there my friend\nChatbot:  Hi there! How can I help you today?');
  });

  test('return_messages gives human then ai messages per turn, under the memory key', () => {
    const memory = { ...buffer, key: 'chat_history', returnMessages: true, humanPrefix: 'Ignored' };
    assert.deepEqual(loadMemoryVariables(turns.slice(0, 1), memory), {
      chat_history: [
        { type: 'human', content: 'Hi there my friend' },
        { type: 'ai', content: ' Hi there! How can I help you today?' },
      ],
    });
  });
});

describe('ConversationBufferWindowMemory', () => {
  const window = (k?: number): MemoryConfig => ({ ...buffer, type: 'buffer_window', k });

  test('keeps the last k exchanges', () => {
    assert.deepEqual(visibleTurns(turns, window(2)), turns.slice(1));
    assert.equal(memoryValue(turns, window(1)), 'Human: Bye\nAI: Goodbye!');
  });

  test('k = 0 shows nothing, as Python special-cases it', () => {
    assert.equal(memoryValue(turns, window(0)), '');
  });

  test('k defaults to 5', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ input: `q${i}`, output: `a${i}` }));
    assert.deepEqual(visibleTurns(many, window()), many.slice(2));
  });

  test('plain buffer memory ignores k', () => {
    assert.equal(visibleTurns(turns, { ...buffer, k: 1 }).length, 3);
  });
});

describe('memory rendered incrementally', () => {
  test('one growing conversation read as text and as messages, in turn, gives each form in full', () => {
    const live: Turn[] = [turns[0]!];
    const messages = { ...buffer, returnMessages: true };
    assert.equal(memoryValue(live, buffer), 'Human: Hi there my friend\nAI:  Hi there! How can I help you today?');
    live.push(turns[1]!);
    assert.equal((memoryValue(live, messages) as readonly unknown[]).length, 4);
    live.push(turns[2]!);
    assert.equal(memoryValue(live, buffer), memoryValue([...live], buffer));
    assert.deepEqual(memoryValue(live, messages), memoryValue([...live], messages));
    assert.equal(memoryValue(live, { ...buffer, humanPrefix: 'User' }), memoryValue([...live], { ...buffer, humanPrefix: 'User' }));
  });

  test('a conversation cleared and refilled to fewer turns is rendered from the start', () => {
    const live: Turn[] = [...turns];
    memoryValue(live, buffer);
    live.length = 0;
    live.push(turns[2]!);
    assert.equal(memoryValue(live, buffer), 'Human: Bye\nAI: Goodbye!');
  });
});
