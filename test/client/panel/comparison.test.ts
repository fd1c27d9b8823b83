import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { PanelEvent, PanelState } from '../../../client/src/panel/messages';
import { isWebviewToHost } from '../../../client/src/panel/messages';
import { emptyPanelState, panelBusy, reducePanel, resendPlan, restorePanelState } from '../../../client/src/panel/session';
import { costLine, modelCell, modelsComparison, replayCell, replayComparison } from '../../../client/src/panel/comparisonCells';

function play(...events: PanelEvent[]): PanelState {
  return events.reduce(reducePanel, emptyPanelState('file:///w/chat.prompt', 'chat.prompt'));
}

const stored: PanelEvent = { type: 'memory', memory: { memoryKey: 'history', turns: [{ input: 'Hi', output: 'Hello!' }, { input: 'Name?', output: 'Ada.' }] } };

describe('comparisons in the panel', () => {
  test('Compare models: a column per model, each filled as its reply comes, the conversation untouched', () => {
    const comparison = modelsComparison('c1', 'Say hi', ['gpt-4o-mini', 'gpt-4o']);
    assert.equal(comparison.title, 'Compare models · 2 models · memory untouched');
    let state = play(stored, { type: 'comparisonStarted', comparison });
    assert.equal(panelBusy(state), true);
    state = reducePanel(state, { type: 'comparisonCell', id: 'c1', row: 0, column: 1, cell: modelCell({ model: 'gpt-4o', reply: 'Hi!', usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12 }, latencyMs: 840 }) });
    state = reducePanel(state, { type: 'comparisonCell', id: 'c1', row: 0, column: 0, cell: modelCell({ model: 'gpt-4o-mini', latencyMs: 20, failure: { kind: 'model', message: 'The model `gpt-4o-mini` does not exist.' } }) });
    state = reducePanel(state, { type: 'comparisonEnded', id: 'c1', status: 'done' });
    const entry = state.entries.at(-1);
    assert.ok(entry?.kind === 'comparison');
    assert.deepEqual(entry.rows[0]!.cells, [
      { status: 'failed', error: 'The model `gpt-4o-mini` does not exist.' },
      { status: 'done', text: 'Hi!', detail: '12 tokens · 840 ms' },
    ]);
    assert.equal(panelBusy(state), false);
    // Retry still runs the conversation's last turn, not the comparison after it.
    assert.equal(resendPlan(state)?.input, 'Name?');
  });

  test('Replay: the stored reply beside the new one; a changed one says how much; what did not run says why', () => {
    const comparison = replayComparison('r1', [{ input: 'Hi', output: 'Hello!' }, { input: 'Name?', output: 'Ada.' }], 'gpt-4o', false);
    assert.equal(comparison.title, 'Replay on gpt-4o · 2 stored turns · memory untouched');
    assert.deepEqual(comparison.columns, ['Stored reply', 'Replay · gpt-4o']);
    const cell = replayCell({ index: 0, input: 'Hi', stored: 'Hello!', reply: 'Hey.\nWelcome.', latencyMs: 1500, diff: [{ op: 'removed', text: 'Hello!' }, { op: 'added', text: 'Hey.' }, { op: 'added', text: 'Welcome.' }], same: false });
    assert.deepEqual(cell, { status: 'done', text: 'Hey.\nWelcome.', detail: 'changed · 2 lines · 1.50 s', changed: true });
    const state = play(stored, { type: 'comparisonStarted', comparison }, { type: 'comparisonCell', id: 'r1', row: 0, column: 1, cell }, { type: 'comparisonEnded', id: 'r1', status: 'cancelled', error: 'Stopped; memory was not touched.' });
    const entry = state.entries.at(-1);
    assert.ok(entry?.kind === 'comparison');
    assert.deepEqual(entry.rows[1]!.cells, [{ status: 'done', text: 'Ada.' }, { status: 'not-run', error: 'stopped' }]);
    assert.equal(entry.error, 'Stopped; memory was not touched.');
    assert.equal(replayComparison('r2', [{ input: 'Hi', output: 'x' }], 'gpt-4o-mini', true).title, 'Replay on gpt-4o-mini, the prompt as it is now · 1 stored turn · memory untouched');
    assert.equal(replayCell({ index: 0, input: 'Hi', stored: 'x', reply: 'x', latencyMs: 5, diff: [{ op: 'same', text: 'x' }], same: true }).detail, 'same as stored · 5 ms');
  });

  test('a cell for a row or column that is not there changes nothing', () => {
    const state = play({ type: 'comparisonStarted', comparison: modelsComparison('c', 'x', ['a']) });
    assert.equal(reducePanel(state, { type: 'comparisonCell', id: 'c', row: 3, column: 0, cell: { status: 'done', text: 'y' } }), state);
    assert.equal(reducePanel(state, { type: 'comparisonCell', id: 'c', row: 0, column: 1, cell: { status: 'done', text: 'y' } }), state);
    assert.equal(reducePanel(state, { type: 'comparisonCell', id: 'other', row: 0, column: 0, cell: { status: 'done', text: 'y' } }), state);
  });

  test('restored after a reload: a running comparison is shown stopped; a malformed one is dropped', () => {
    const state = play({ type: 'comparisonStarted', comparison: modelsComparison('c', 'x', ['a', 'b']) });
    const restored = restorePanelState(JSON.parse(JSON.stringify(state)));
    const entry = restored?.entries[0];
    assert.ok(entry?.kind === 'comparison');
    assert.equal(entry.status, 'cancelled');
    assert.equal(entry.error, 'Interrupted by a window reload.');
    const broken = { ...state, entries: [{ ...state.entries[0]!, rows: [{ input: 'x', cells: [{ status: 'done' }] }] }] };
    assert.deepEqual(restorePanelState(broken)?.entries, []);
  });

  test('the webview may ask for the three, with their shapes checked', () => {
    assert.equal(isWebviewToHost({ type: 'compareModels', input: 'x', variables: {} }), true);
    assert.equal(isWebviewToHost({ type: 'compareModels', variables: {} }), false);
    assert.equal(isWebviewToHost({ type: 'replay', variables: { a: 'b' } }), true);
    assert.equal(isWebviewToHost({ type: 'saveAsTest', variables: { a: 1 } }), false);
  });

  test('cost line: tokens when the endpoint says, latency always', () => {
    assert.equal(costLine(undefined, 12.4), '12 ms');
    assert.equal(costLine({ promptTokens: 3, completionTokens: 4 }, 2500), '7 tokens · 2.50 s');
  });
});
