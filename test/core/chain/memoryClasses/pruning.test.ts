// Pruning as Python does it (pop the oldest message while over the limit), in linear time: each stored
// message is counted once per counting rule, so a turn counts only the messages it adds.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prune } from '../../../../core/chain/memoryClasses/pruning';
import type { ChatMessage, Turn } from '../../../../core/chain/types';
import type { MessageCounter } from '../../../../core/tokens/messageTokens';

/** One token per word plus one per message, with the empty list at `base`; counts how often it counts. */
function wordCounter(base: number): MessageCounter & { counted: number } {
  const counter = {
    key: `words:${base}:${Math.random()}`,
    base,
    approximate: false,
    counted: 0,
    count(message: ChatMessage) {
      counter.counted++;
      return { tokens: 1 + message.content.split(' ').length, exact: true };
    },
  };
  return counter;
}

const turn = (words: number): Turn => ({ input: Array(words).fill('w').join(' '), output: Array(words).fill('w').join(' ') });

describe('pruning', () => {
  test('pops single messages, oldest first, until the rest count no more than the limit', () => {
    const counter = wordCounter(3);
    // messages count 3, 3, 5, 5 (+3 for the list): 19
    const turns = [turn(2), turn(4)];
    assert.deepEqual(prune(turns, 0, 19, counter), { prunedMessages: 0, tokens: 19, exact: true });
    assert.deepEqual(prune(turns, 0, 18, counter), { prunedMessages: 1, tokens: 16, exact: true });
    assert.deepEqual(prune(turns, 0, 10, counter), { prunedMessages: 3, tokens: 8, exact: true });
    assert.deepEqual(prune(turns, 1, 100, counter), { prunedMessages: 1, tokens: 16, exact: true }, 'never un-prunes');
  });

  test('a limit below the empty list stops with nothing kept (Python would raise IndexError)', () => {
    assert.deepEqual(prune([turn(1)], 0, 2, wordCounter(3)), { prunedMessages: 2, tokens: 3, exact: true });
  });

  test('one pass over many turns stops where pruning after every turn would', () => {
    const counter = wordCounter(3);
    const turns = Array.from({ length: 40 }, (_, i) => turn(1 + ((i * 7) % 5)));
    let stepwise = 0;
    for (let n = 1; n <= turns.length; n++) stepwise = prune(turns.slice(0, n), stepwise, 30, counter).prunedMessages;
    assert.equal(prune(turns, 0, 30, counter).prunedMessages, stepwise);
  });

  test('a turn counts only the messages it adds, however long the history', () => {
    const counter = wordCounter(3);
    const turns = Array.from({ length: 20_000 }, () => turn(3));
    const first = prune(turns, 0, 50, counter);
    assert.equal(counter.counted, 40_000);
    turns.push(turn(3));
    prune(turns, first.prunedMessages, 50, counter);
    assert.equal(counter.counted, 40_002);
  });
});
