import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryText } from '../../client/src/memoryText';

test('the stored conversation reads as the buffer string the template receives', () => {
  const text = memoryText('chatbot.prompt', {
    memoryKey: 'chat_history',
    turns: [{ input: 'Hi there my friend', output: ' Hi there! How can I help you today?' }],
  });
  assert.equal(text, 'chatbot.prompt: 1 turn stored in this workspace, filling {chat_history}\n\nHuman: Hi there my friend\nAI:  Hi there! How can I help you today?\n');
});

test('damaged records get a line saying how many and the command that repairs them', () => {
  const damaged = { count: 2, lines: [3, 5], repairCommand: 'prompt-chain memory repair /w/a.prompt' };
  const text = memoryText('a.prompt', { memoryKey: 'history', turns: [{ input: 'hi', output: 'yo' }], damaged });
  assert.equal(text, 'a.prompt: 1 turn stored in this workspace, filling {history}\n\n2 damaged records skipped: run `prompt-chain memory repair /w/a.prompt`\n\nHuman: hi\nAI: yo\n');
});

test('an empty conversation says so', () => {
  assert.equal(memoryText('a.prompt', { memoryKey: 'history', turns: [] }), 'a.prompt: 0 turns stored in this workspace, filling {history}\n\n');
});
