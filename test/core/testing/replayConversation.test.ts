import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { replayConversation } from '../../../core/testing/replayConversation';
import { ComparisonCancelled } from '../../../core/testing/compareModels';
import type { HistoryEntry } from '../../../core/chain/types';
import { chatExample } from '../../support/examples';
import { loadPrompt } from '../chain/helpers';
import { useFakeOpenAI } from '../../support/useFakeOpenAI';

const stored: HistoryEntry[] = [
  { input: 'My name is Ada.', output: 'Hello Ada!' },
  { input: 'What is my name?', output: 'Your name is Ada.' },
];

describe('replayConversation', () => {
  const { fake, model } = useFakeOpenAI({ timeoutMs: 5000 });

  test('each stored input again, in order, each new reply seeing the new ones before it', async () => {
    const { prompt, config } = loadPrompt(chatExample);
    fake.enqueue({ reply: 'Hello Ada!' }, { reply: 'You are Ada.\nNice to meet you.' });
    const seen: number[] = [];
    const result = await replayConversation({ prompt, config: { ...config, model: 'gpt-4o' }, entries: stored, model: model(), onTurn: (turn) => seen.push(turn.index) });
    assert.deepEqual(seen, [0, 1]);
    assert.equal(result.notRun, 0);
    assert.deepEqual(result.turns.map((turn) => [turn.input, turn.stored, turn.reply, turn.same]), [
      ['My name is Ada.', 'Hello Ada!', 'Hello Ada!', true],
      ['What is my name?', 'Your name is Ada.', 'You are Ada.\nNice to meet you.', false],
    ]);
    assert.deepEqual(result.turns[1]!.diff, [
      { op: 'removed', text: 'Your name is Ada.' },
      { op: 'added', text: 'You are Ada.' },
      { op: 'added', text: 'Nice to meet you.' },
    ]);
    // The second request carries the replayed first turn, on the chosen model.
    assert.equal(fake.requests[1]!.body.model, 'gpt-4o');
    assert.deepEqual(fake.requests[1]!.body.messages.slice(-3).map((m: { content: string }) => m.content), ['My name is Ada.', 'Hello Ada!', 'What is my name?']);
  });

  test('a failing turn ends the replay there; the rest is counted as not run', async () => {
    const { prompt, config } = loadPrompt(chatExample);
    fake.enqueue({ fault: 'status', status: 401 });
    const result = await replayConversation({ prompt, config, entries: stored, model: model() });
    assert.equal(result.turns.length, 1);
    assert.equal(result.turns[0]!.failure?.kind, 'auth');
    assert.equal(result.notRun, 1);
    assert.equal(fake.requests.length, 1);
  });

  test("a shared history's lone messages stay in their places", async () => {
    const { prompt, config } = loadPrompt(chatExample);
    const entries: HistoryEntry[] = [{ lone: { type: 'system', content: 'Be brief.' } }, stored[0]!];
    await replayConversation({ prompt, config, entries, model: model() });
    assert.deepEqual(fake.requests[0]!.body.messages.map((m: { role: string; content: string }) => `${m.role}: ${m.content}`).slice(-2), ['system: Be brief.', 'user: My name is Ada.']);
  });

  test('a cancel ends the replay without a result', async () => {
    const { prompt, config } = loadPrompt(chatExample);
    fake.enqueue({ fault: 'hang' });
    const abort = new AbortController();
    const replaying = replayConversation({ prompt, config, entries: stored, model: model(), signal: abort.signal });
    await fake.waitForHang();
    abort.abort();
    await assert.rejects(replaying, ComparisonCancelled);
  });
});
