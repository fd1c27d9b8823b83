import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { RunTurnResult } from '../../../server/src/protocol';
import type { PanelEvent, PanelState, TurnEntry } from '../../../client/src/panel/messages';
import { isWebviewToHost } from '../../../client/src/panel/messages';
import {
  describeCost,
  describeMemory,
  describeMemoryCall,
  emptyPanelState,
  maxEntriesKept,
  reducePanel,
  resendPlan,
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
const noHistory: PanelEvent = { type: 'memory', memory: { memoryKey: 'chat_history', turns: [] } };

function play(...events: PanelEvent[]): PanelState {
  return events.reduce(reducePanel, emptyPanelState('file:///w/chatbot.prompt', 'chatbot.prompt'));
}

function turns(state: PanelState): TurnEntry[] {
  return state.entries.filter((entry): entry is TurnEntry => entry.kind === 'turn');
}

function completed(turnId: string, input: string, reply: string): PanelEvent[] {
  return [
    { type: 'turnStarted', turnId, input },
    { type: 'turnFinished', turnId, result: { ...result, reply } },
  ];
}

describe('reducePanel', () => {
  test('a turn streams its prompt and reply, then finishes with the trace and its cost', () => {
    const streaming = play(
      noHistory,
      { type: 'turnStarted', turnId: 't1', input: 'Hi there my friend' },
      { type: 'turnPrompt', turnId: 't1', prompt },
      { type: 'turnToken', turnId: 't1', text: ' Hi there!' },
      { type: 'turnToken', turnId: 't1', text: ' How can I help you today?' },
    );
    assert.equal(runningTurn(streaming)?.reply, ' Hi there! How can I help you today?');
    assert.equal(traceText(runningTurn(streaming)!), `> Entering new LLMChain chain...\nPrompt after formatting:\n${prompt}`);

    const done = reducePanel(streaming, { type: 'turnFinished', turnId: 't1', result });
    assert.equal(runningTurn(done), undefined);
    assert.equal(turns(done)[0]?.status, 'done');
    assert.equal(traceText(turns(done)[0]!), `> Entering new LLMChain chain...\nPrompt after formatting:\n${prompt}\n\n> Finished chain.`);
  });

  test('the turns stored before the panel opened come first, once, and a later memory refresh adds none', () => {
    const memory = { memoryKey: 'chat_history', turns: [{ input: 'a', output: 'b' }] };
    const state = play({ type: 'memory', memory }, ...completed('t1', 'c', 'd'), { type: 'memory', memory: { ...memory, turns: [...memory.turns, { input: 'c', output: 'd' }] } });
    assert.deepEqual(state.entries.map((entry) => entry.kind), ['stored', 'turn']);
    assert.equal(state.memory?.turns.length, 2);
  });

  test('chat turns keep their role-labelled messages', () => {
    const messages = [{ type: 'system' as const, content: 'Be brief.' }, { type: 'human' as const, content: 'hi' }];
    const state = play(
      { type: 'turnStarted', turnId: 't1', input: 'hi' },
      { type: 'turnPrompt', turnId: 't1', prompt: 'System: Be brief.\nHuman: hi', messages },
      { type: 'turnFinished', turnId: 't1', result: { ...result, messages: undefined } },
    );
    assert.deepEqual(turns(state)[0]?.messages, messages);
  });

  test('a failed turn keeps what streamed, its error and its actions', () => {
    const actions = [{ id: 'retry' as const, label: 'Retry' }];
    const state = play(
      { type: 'turnStarted', turnId: 't1', input: 'hi' },
      { type: 'turnToken', turnId: 't1', text: 'Hel' },
      { type: 'turnFailed', turnId: 't1', message: 'The endpoint is down.', cancelled: false, actions },
    );
    const [turn] = turns(state);
    assert.deepEqual([turn?.status, turn?.reply, turn?.error, turn?.actions], ['failed', 'Hel', 'The endpoint is down.', actions]);
  });

  test('a refused turn leaves no entry behind, only the notice', () => {
    const notice = { message: 'a.prompt has 2 problems to fix before a turn can run (see the Problems panel). Nothing was sent.', actions: [] };
    const state = play(noHistory, { type: 'turnStarted', turnId: 't1', input: 'hi' }, { type: 'turnRefused', turnId: 't1', notice });
    assert.deepEqual(state.entries, []);
    assert.equal(state.notice, notice);
    assert.equal(reducePanel(state, { type: 'turnStarted', turnId: 't2', input: 'hi' }).notice, undefined, 'the next turn clears it');
  });

  test('clearing leaves a marker after the turns it forgot', () => {
    const state = play(noHistory, ...completed('t1', 'a', 'b'), { type: 'cleared', id: 'c1', count: 1 });
    assert.deepEqual(state.entries.map((entry) => entry.kind), ['turn', 'cleared']);
  });

  test('progress of an unknown turn changes nothing', () => {
    const state = play({ type: 'turnStarted', turnId: 't1', input: 'hi' });
    assert.equal(reducePanel(state, { type: 'turnToken', turnId: 'other', text: 'x' }), state);
  });

  test('keeps the last entries only', () => {
    const events: PanelEvent[] = Array.from({ length: maxEntriesKept + 5 }, (_, i) => ({ type: 'turnStarted', turnId: `t${i}`, input: `${i}` }));
    const state = play(...events);
    assert.equal(state.entries.length, maxEntriesKept);
    assert.equal(state.entries[0]?.id, 't5');
  });

  test('memory replaces a previous error', () => {
    const state = play(
      { type: 'memoryFailed', message: 'unreadable' },
      { type: 'memory', memory: { memoryKey: 'chat_history', turns: [{ input: 'a', output: 'b' }] } },
    );
    assert.equal(state.memoryError, undefined);
    assert.equal(state.memory?.turns.length, 1);
    assert.equal(describeMemory(state.memory!), '1 turn stored · fills {chat_history}');
  });
});

describe('resendPlan (Retry, Edit and resend)', () => {
  test('a completed last turn is replaced: the new turn carries it, and takes its place only when it completes', () => {
    const state = play(noHistory, ...completed('t1', 'a', 'b'), ...completed('t2', 'c', 'd'));
    const plan = resendPlan(state);
    assert.deepEqual(plan, { input: 'c', replaceLast: { input: 'c', output: 'd' }, replaces: 't2' });

    const started = reducePanel(state, { type: 'turnStarted', turnId: 't3', input: 'c!', replaces: plan?.replaces });
    assert.deepEqual(started.entries.map((entry) => entry.id), ['t1', 't2', 't3'], 'the old reply stays while the new one streams');
    assert.equal(resendPlan(started), undefined, 'nothing to resend while a turn runs');
    const failed = reducePanel(started, { type: 'turnFailed', turnId: 't3', message: 'down', cancelled: false, actions: [] });
    assert.deepEqual(failed.entries.map((entry) => entry.id), ['t1', 't2', 't3'], 'a failed replacement replaces nothing');
    const done = reducePanel(started, { type: 'turnFinished', turnId: 't3', result: { ...result, reply: 'e' } });
    assert.deepEqual(done.entries.map((entry) => entry.id), ['t1', 't3']);
  });

  test('a failed last turn is run again in its place, replacing what it was meant to replace', () => {
    const state = play(noHistory, ...completed('t1', 'a', 'b'), { type: 'turnStarted', turnId: 't2', input: 'a2', replaces: 't1' },
      { type: 'turnFailed', turnId: 't2', message: 'down', cancelled: false, actions: [] });
    const plan = resendPlan(state);
    assert.deepEqual(plan, { input: 'a2', retracts: 't2', replaceLast: { input: 'a', output: 'b' }, replaces: 't1' });
    const retried = reducePanel(state, { type: 'turnStarted', turnId: 't3', input: 'a2', replaces: plan?.replaces, retracts: plan?.retracts });
    assert.deepEqual(retried.entries.map((entry) => entry.id), ['t1', 't3']);
  });

  test('a failed new turn is simply run again; a stored turn from before the panel can be replaced too', () => {
    const failed = play(noHistory, { type: 'turnStarted', turnId: 't1', input: 'a' }, { type: 'turnFailed', turnId: 't1', message: 'x', cancelled: true, actions: [] });
    assert.deepEqual(resendPlan(failed), { input: 'a', retracts: 't1' });
    const stored = play({ type: 'memory', memory: { memoryKey: 'history', turns: [{ input: 'q', output: 'r' }] } });
    assert.deepEqual(resendPlan(stored), { input: 'q', replaceLast: { input: 'q', output: 'r' }, replaces: 'stored-0' });
  });

  test('nothing to resend in an empty panel or right after a clear', () => {
    assert.equal(resendPlan(play(noHistory)), undefined);
    assert.equal(resendPlan(play(noHistory, ...completed('t1', 'a', 'b'), { type: 'cleared', id: 'c', count: 1 })), undefined);
  });
});

describe('memory calls', () => {
  const summaryCall = { purpose: 'summary', model: 'gpt-4o-mini', prompt: 'Progressively summarize…\n\nNew summary:', reply: 'The human greets the AI.', usage: { promptTokens: 30, completionTokens: 15, totalTokens: 45 } } as const;
  const failedCall = { purpose: 'summary', model: 'gpt-4o-mini', prompt: 'Progressively summarize…', failure: { kind: 'timeout', message: 'The summary call timed out after 60 s.' } } as const;

  test('a finished turn keeps its memory calls; a turn without any has none', () => {
    const done = play(noHistory, { type: 'turnStarted', turnId: 't1', input: 'hi' }, { type: 'turnFinished', turnId: 't1', result: { ...result, memoryCalls: [summaryCall] } });
    assert.deepEqual(turns(done)[0]?.memoryCalls, [summaryCall]);
    assert.equal(turns(play(noHistory, ...completed('t2', 'a', 'b')))[0]?.memoryCalls, undefined);
  });

  test("the turn's cost adds the summary calls' tokens and says a failed one left the summary pending", () => {
    assert.equal(describeCost(result.usage, result.timings, [summaryCall]), '79 tokens (34 chain + 45 summary) · 842 ms, first token after 310 ms');
    assert.equal(describeCost(result.usage, undefined, [failedCall]), '34 tokens (24 prompt + 10 completion) · summary pending');
  });

  test('each call has a heading: its model and tokens, or that it failed', () => {
    assert.equal(describeMemoryCall(summaryCall), 'Summary call · gpt-4o-mini · 45 tokens (30 prompt + 15 completion)');
    const stored = Array.from({ length: 6 }, () => ({ input: 'q', output: 'a' }));
    const view = { type: 'summary_buffer', storedTurns: 6, keptMessages: 3, prunedMessages: 9, summary: 'So far.', pendingSummary: true } as const;
    assert.equal(describeMemory({ memoryKey: 'history', turns: stored, view }), '6 turns stored · summary + 3 messages kept, 9 pruned · summary pending · fills {history}');
    assert.equal(describeMemory({ memoryKey: 'history', turns: stored, view: { type: 'summary', storedTurns: 6, keptMessages: 0, prunedMessages: 12, summary: 'So far.' } }), '6 turns stored · all in the summary · fills {history}');
    assert.match(describeMemoryCall(failedCall), /^Summary call failed · gpt-4o-mini · the summary is pending: it is brought up to date before the next turn$/);
    assert.equal(describeMemoryCall({ ...summaryCall, reason: 'catch-up' }), 'Summary call (owed by an earlier turn) · gpt-4o-mini · 45 tokens (30 prompt + 15 completion)');
    assert.match(describeMemoryCall({ ...failedCall, reason: 're-derive' }), /^Summary call \(derived again from the whole history: the memory settings changed\) failed/);
  });

  test('a restored panel keeps well-formed calls and drops malformed ones', () => {
    const entry = { kind: 'turn', id: 't', input: 'a', reply: 'b', status: 'done' };
    const kept = restorePanelState({ uri: 'file:///a.prompt', entries: [{ ...entry, memoryCalls: [summaryCall] }] });
    assert.deepEqual((kept?.entries[0] as TurnEntry).memoryCalls, [summaryCall]);
    const dropped = restorePanelState({ uri: 'file:///a.prompt', entries: [{ ...entry, memoryCalls: [{ prompt: 3 }] }, { ...entry, id: 'u', memoryCalls: 'x' }] });
    assert.deepEqual(dropped?.entries.map((e) => (e as TurnEntry).memoryCalls), [undefined, undefined]);
  });
});

describe('restorePanelState', () => {
  test('rebuilds the saved panel and marks a turn cut off by the reload as cancelled', () => {
    const saved = JSON.parse(JSON.stringify(play(noHistory, { type: 'turnStarted', turnId: 't1', input: 'hi' })));
    const restored = restorePanelState(saved);
    assert.equal(restored?.uri, 'file:///w/chatbot.prompt');
    assert.equal(restored?.historyLoaded, true);
    assert.equal(turns(restored!)[0]?.status, 'cancelled');
  });

  test('rejects what is not a saved panel and drops malformed entries', () => {
    for (const junk of [undefined, null, 42, 'x', {}, { uri: '' }, { uri: 7 }]) assert.equal(restorePanelState(junk), undefined);
    const restored = restorePanelState({ uri: 'file:///a.prompt', entries: [{ id: 1 }, null, 'x', { kind: 'turn', id: 't', input: 'a' }, { kind: 'cleared', id: 'c', count: 2 }] });
    assert.deepEqual(restored, { uri: 'file:///a.prompt', fileName: 'file:///a.prompt', historyLoaded: false, entries: [{ kind: 'cleared', id: 'c', count: 2 }] });
  });
});

describe('isWebviewToHost', () => {
  test('accepts the messages the webview sends and nothing else', () => {
    const valid = [
      { type: 'ready' }, { type: 'retry' }, { type: 'stop' }, { type: 'clearMemory' },
      { type: 'send', input: 'hi', variables: { persona: 'pirate' }, editLast: false },
      { type: 'action', action: 'openSettings' }, { type: 'openLink', href: 'https://x' }, { type: 'copy', text: 'x' },
    ];
    for (const message of valid) assert.equal(isWebviewToHost(message), true, JSON.stringify(message));
    const invalid = [
      null, 'send', { type: 'send' }, { type: 'send', input: 3 }, { type: 'send', input: 'hi', variables: { a: 1 }, editLast: false },
      { type: 'send', input: 'hi', variables: {} }, { type: 'action', action: 'runShell' }, { type: 'openLink' }, { type: 'runTurn', uri: 'file:///x' },
    ];
    for (const message of invalid) assert.equal(isWebviewToHost(message), false, JSON.stringify(message));
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
