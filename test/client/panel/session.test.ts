import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { RunTurnResult } from '../../../server/src/protocol';
import type { PanelEvent, PanelState } from '../../../client/src/panel/messages';
import { isWebviewToHost } from '../../../client/src/panel/messages';
import {
  describeCost,
  emptyPanelState,
  maxTurnsKept,
  reducePanel,
  restorePanelState,
  runningTurn,
  stripAnsi,
  traceText,
} from '../../../client/src/panel/session';

const prompt = 'You are a chatbot having a conversation with a human.\n\n\nHuman: Hi there my friend\nChatbot:';
const trace = `\n\n\x1b[1m> Entering new LLMChain chain...\x1b[0m\nPrompt after formatting:\n\x1b[32;1m\x1b[1;3m${prompt}\x1b[0m\n\n\x1b[1m> Finished chain.\x1b[0m\n`;
const result: RunTurnResult = {
  prompt,
  reply: ' Hi there! How can I help you today?',
  usage: { promptTokens: 24, completionTokens: 10, totalTokens: 34 },
  timings: { formatMs: 1, firstTokenMs: 310, modelMs: 830, totalMs: 842 },
  trace,
};

function play(...events: PanelEvent[]): PanelState {
  return events.reduce(reducePanel, emptyPanelState('file:///w/chatbot.prompt', 'chatbot.prompt'));
}

describe('reducePanel', () => {
  test('a turn streams its prompt and reply, then finishes with the trace and its cost', () => {
    const streaming = play(
      { type: 'turnStarted', turnId: 't1', input: 'Hi there my friend' },
      { type: 'turnPrompt', turnId: 't1', prompt },
      { type: 'turnToken', turnId: 't1', text: ' Hi there!' },
      { type: 'turnToken', turnId: 't1', text: ' How can I help you today?' },
    );
    assert.equal(runningTurn(streaming)?.reply, ' Hi there! How can I help you today?');
    assert.equal(traceText(streaming.turns[0]!), `> Entering new LLMChain chain...\nPrompt after formatting:\n${prompt}`);

    const done = reducePanel(streaming, { type: 'turnFinished', turnId: 't1', result });
    assert.equal(runningTurn(done), undefined);
    assert.equal(done.turns[0]?.status, 'done');
    assert.equal(traceText(done.turns[0]!), `> Entering new LLMChain chain...\nPrompt after formatting:\n${prompt}\n\n> Finished chain.`);
  });

  test('chat turns keep their role-labelled messages', () => {
    const messages = [{ type: 'system' as const, content: 'Be brief.' }, { type: 'human' as const, content: 'hi' }];
    const state = play(
      { type: 'turnStarted', turnId: 't1', input: 'hi' },
      { type: 'turnPrompt', turnId: 't1', prompt: 'System: Be brief.\nHuman: hi', messages },
      { type: 'turnFinished', turnId: 't1', result: { ...result, messages: undefined } },
    );
    assert.deepEqual(state.turns[0]?.messages, messages);
  });

  test('a cancelled turn says so and keeps what streamed', () => {
    const state = play(
      { type: 'turnStarted', turnId: 't1', input: 'hi' },
      { type: 'turnToken', turnId: 't1', text: 'Hel' },
      { type: 'turnFailed', turnId: 't1', message: 'Turn cancelled.', cancelled: true },
    );
    assert.deepEqual([state.turns[0]?.status, state.turns[0]?.reply, state.turns[0]?.error], ['cancelled', 'Hel', 'Turn cancelled.']);
  });

  test('progress of an unknown turn changes nothing', () => {
    const state = play({ type: 'turnStarted', turnId: 't1', input: 'hi' });
    assert.equal(reducePanel(state, { type: 'turnToken', turnId: 'other', text: 'x' }), state);
  });

  test('keeps the last turns only', () => {
    const events: PanelEvent[] = Array.from({ length: maxTurnsKept + 5 }, (_, i) => ({ type: 'turnStarted', turnId: `t${i}`, input: `${i}` }));
    const state = play(...events);
    assert.equal(state.turns.length, maxTurnsKept);
    assert.equal(state.turns[0]?.turnId, 't5');
  });

  test('memory replaces a previous error', () => {
    const state = play(
      { type: 'memoryFailed', message: 'unreadable' },
      { type: 'memory', memory: { memoryKey: 'chat_history', turns: [{ input: 'a', output: 'b' }] } },
    );
    assert.equal(state.memoryError, undefined);
    assert.equal(state.memory?.turns.length, 1);
  });
});

describe('restorePanelState', () => {
  test('rebuilds the saved panel and marks a turn cut off by the reload as cancelled', () => {
    const saved = JSON.parse(JSON.stringify(play({ type: 'turnStarted', turnId: 't1', input: 'hi' })));
    const restored = restorePanelState(saved);
    assert.equal(restored?.uri, 'file:///w/chatbot.prompt');
    assert.equal(restored?.turns[0]?.status, 'cancelled');
  });

  test('rejects what is not a saved panel and drops malformed turns', () => {
    for (const junk of [undefined, null, 42, 'x', {}, { uri: '' }, { uri: 7 }]) assert.equal(restorePanelState(junk), undefined);
    const restored = restorePanelState({ uri: 'file:///a.prompt', turns: [{ turnId: 1 }, null, 'x'] });
    assert.deepEqual(restored, { uri: 'file:///a.prompt', fileName: 'file:///a.prompt', turns: [] });
  });
});

describe('isWebviewToHost', () => {
  test('accepts the four messages and nothing else', () => {
    for (const message of [{ type: 'ready' }, { type: 'send', input: 'hi' }, { type: 'stop' }, { type: 'clearMemory' }]) {
      assert.equal(isWebviewToHost(message), true, JSON.stringify(message));
    }
    for (const message of [null, 'send', { type: 'send' }, { type: 'send', input: 3 }, { type: 'runTurn', uri: 'file:///x' }]) {
      assert.equal(isWebviewToHost(message), false, JSON.stringify(message));
    }
  });
});

describe('describeCost', () => {
  test('tokens used and latency', () => {
    assert.equal(describeCost(result.usage, result.timings), '34 tokens (24 prompt + 10 completion) · 842 ms, first token after 310 ms');
    assert.equal(describeCost({ totalTokens: 5 }, { formatMs: 0, modelMs: 1500, totalMs: 1520 }), '5 tokens · 1.52 s');
    assert.equal(describeCost(undefined, undefined), '');
  });
});

test('stripAnsi removes the colour codes of a TTY trace', () => {
  assert.equal(stripAnsi(trace).includes('\x1b'), false);
});
