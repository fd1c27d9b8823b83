// The panel's view of a shared history: which conversation the header names, and the transcript becoming
// the attached session's stored turns (this panel's turns belonged to the conversation it had before), and what
// the session picker offers (client/src/historyPicks.ts, the picker's content without the vscode calls).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryAttachment, HistoryStoreView, ShowMemoryResult } from '../../../server/src/protocol';
import { isWebviewToHost } from '../../../client/src/panel/messages';
import { describeHistory, describeMemory, emptyPanelState, reducePanel, resendPlan, restorePanelState } from '../../../client/src/panel/session';
import { memoryText } from '../../../client/src/memoryText';
import { sessionPicks, storePicks } from '../../../client/src/historyPicks';

const team: HistoryAttachment = { store: 'team', display: 'redis://app:***@127.0.0.1:6379', sessionId: '8f3c', readonly: false, source: 'attached' };

describe('describeHistory', () => {
  test('the local conversation, or the store, session and URL as the server shows it', () => {
    assert.equal(describeHistory(undefined), 'Local conversation');
    assert.equal(describeHistory(team), 'team · session 8f3c · redis://app:***@127.0.0.1:6379');
    assert.equal(describeHistory({ ...team, readonly: true, source: 'file' }), 'team · session 8f3c · redis://app:***@127.0.0.1:6379 · read-only · named by the file');
  });
});

describe('conversationChanged', () => {
  test('the transcript becomes the new conversation\'s stored turns; the old panel turns and notice go', () => {
    const local: ShowMemoryResult = { memoryKey: 'history', turns: [{ input: 'local q', output: 'local a' }] };
    let state = reducePanel(emptyPanelState('file:///a.prompt', 'a.prompt'), { type: 'memory', memory: local });
    state = reducePanel(state, { type: 'turnStarted', turnId: 't1', input: 'typed here' });
    state = reducePanel(state, { type: 'notice', notice: { message: 'old', actions: [] } });
    const shared: ShowMemoryResult = { memoryKey: 'history', turns: [{ input: 'app q', output: 'app a' }], history: team };
    state = reducePanel(state, { type: 'conversationChanged', memory: shared });
    assert.deepEqual(state.entries, [{ kind: 'stored', id: 'stored-0', input: 'app q', output: 'app a' }]);
    assert.equal(state.memory?.history, team);
    assert.equal(state.notice, undefined);
    assert.equal(state.historyLoaded, true);
  });
});

describe('the session picker (Session…, the status bar item, the palette)', () => {
  const stores: HistoryStoreView[] = [{ name: 'team', display: team.display }, { name: 'app', display: 'sqlite:/srv/bot/chat.db' }];

  test('offers the local conversation first, then each store by name and display URL', () => {
    const picks = storePicks('a.prompt', { stores, store: null, sessions: [] });
    assert.ok(picks && 'items' in picks);
    assert.deepEqual(picks.items.map((item) => [item.label, item.description]), [
      ['Local conversation', 'kept by Prompt Chain in this workspace'],
      ['team', 'redis://app:***@127.0.0.1:6379'],
      ['app', 'sqlite:/srv/bot/chat.db'],
    ]);
    assert.equal(picks.items[0]!.value, null);
    assert.equal(picks.title, 'Prompt Chain: the conversation of a.prompt');
  });

  test("a file whose memory.history names a store goes straight to that store's sessions; no stores: nothing to pick", () => {
    assert.deepEqual(storePicks('a.prompt', { stores, store: null, sessions: [], fileStore: 'app' }), stores[1]);
    assert.equal(storePicks('a.prompt', { stores: [], store: null, sessions: [] }), undefined);
  });

  test("a store's sessions in the server's order after New session…, counted in the placeholder; a session named new is itself", () => {
    const picks = sessionPicks('a.prompt', stores[0]!, ['alpha', 'new']);
    assert.deepEqual(picks.items.map((item) => [item.label, item.value]), [['New session…', null], ['alpha', 'alpha'], ['new', 'new']]);
    assert.equal(picks.placeHolder, '2 sessions in redis://app:***@127.0.0.1:6379');
    assert.equal(sessionPicks('a.prompt', stores[0]!, ['one']).placeHolder, '1 session in redis://app:***@127.0.0.1:6379');
  });

  test('Session… in the panel is a message the host accepts; an unknown one is not', () => {
    assert.equal(isWebviewToHost({ type: 'pickSession' }), true);
    assert.equal(isWebviewToHost({ type: 'pickSessions' }), false);
  });
});

describe('lone messages', () => {
  const memory: ShowMemoryResult = {
    memoryKey: 'history',
    turns: [{ lone: { type: 'system', content: 'You are terse.' } }, { input: 'q', output: 'a' }, { lone: { type: 'human', content: 'unanswered' } }],
    history: team,
  };

  test('are shown in place, as the history holds them; nothing to Retry after one', () => {
    const state = reducePanel(emptyPanelState('file:///a.prompt', 'a.prompt'), { type: 'memory', memory });
    assert.deepEqual(state.entries, [
      { kind: 'lone', id: 'stored-0', message: { type: 'system', content: 'You are terse.' } },
      { kind: 'stored', id: 'stored-1', input: 'q', output: 'a' },
      { kind: 'lone', id: 'stored-2', message: { type: 'human', content: 'unanswered' } },
    ]);
    assert.equal(resendPlan(state), undefined);
  });

  test('survive a reload; a malformed one is dropped', () => {
    const state = reducePanel(emptyPanelState('file:///a.prompt', 'a.prompt'), { type: 'memory', memory });
    const saved = JSON.parse(JSON.stringify({ ...state, entries: [...state.entries, { kind: 'lone', id: 'x', message: { type: 'tool', content: 1 } }] }));
    assert.deepEqual(restorePanelState(saved)?.entries, state.entries);
  });

  test('Show Conversation Memory prints them as get_buffer_string does, naming the session', () => {
    assert.equal(
      memoryText('a.prompt', memory),
      'a.prompt: 1 turn and 2 lone messages stored in team, session 8f3c (redis://app:***@127.0.0.1:6379), filling {history}\n\nSystem: You are terse.\nHuman: q\nAI: a\nHuman: unanswered\n',
    );
  });
});

test('a turn of a read-only history is shown with why it was not saved', () => {
  let state = reducePanel(emptyPanelState('file:///a.prompt', 'a.prompt'), { type: 'turnStarted', turnId: 't', input: 'q' });
  const notSaved = 'not saved: the history is read-only';
  state = reducePanel(state, { type: 'turnFinished', turnId: 't', result: { prompt: 'p', reply: 'r', trace: '', timings: { formatMs: 0, modelMs: 0, totalMs: 0 }, notSaved } });
  assert.equal(state.entries[0]?.kind === 'turn' && state.entries[0].notSaved, notSaved);
});

test('a shared history is append-only here: its stored turns offer no Retry; the header counts turns and lone messages apart', () => {
  const memory: ShowMemoryResult = { memoryKey: 'history', turns: [{ lone: { type: 'system', content: 's' } }, { input: 'q', output: 'a' }], history: team };
  const state = reducePanel(emptyPanelState('file:///a.prompt', 'a.prompt'), { type: 'memory', memory });
  assert.equal(resendPlan(state), undefined);
  assert.equal(describeMemory(memory), '1 turn and 1 lone message stored · fills {history}');
  const local = reducePanel(emptyPanelState('file:///b.prompt', 'b.prompt'), { type: 'memory', memory: { memoryKey: 'history', turns: [{ input: 'q', output: 'a' }] } });
  assert.equal(resendPlan(local)?.input, 'q');
});
