import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFixedTo, assertSingleDiagnostic, check, codes, fixesFor } from './check';

describe('memory-k-ignored', () => {
  test('fires at k under a type without a window, naming what that type keeps', () => {
    assertSingleDiagnostic(check('---\nmemory:\n  ⟦k⟧: 3\n---\n{history}\nHuman: {input}\n'), 'memory-k-ignored', /ConversationBufferMemory \(“type: buffer”\) ignores it and keeps every turn/);
    assertSingleDiagnostic(check('---\nmemory:\n  type: summary\n  ⟦k⟧: 3\n---\n{history}\nHuman: {input}\n'), 'memory-k-ignored', /ConversationSummaryMemory .* keeps one running summary/);
  });

  test('fixes: remove k (preferred), or make the memory a buffer window', () => {
    const checked = check('---\nmemory:\n  type: token_buffer\n  k: 3\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(fixesFor(checked, 'memory-k-ignored').map((a) => [a.title, a.isPreferred]), [
      ['Remove memory.k', true],
      ['Set memory.type to “buffer_window”', undefined],
    ]);
    assertFixedTo(checked, 'memory-k-ignored', 'Remove memory.k', '---\nmemory:\n  type: token_buffer\n---\n{history}\nHuman: {input}\n');
    assertFixedTo(check('---\nmemory:\n  k: 3\n---\n{history}\nHuman: {input}\n'), 'memory-k-ignored', 'Set memory.type to “buffer_window”', '---\nmemory:\n  k: 3\n  type: buffer_window\n---\n{history}\nHuman: {input}\n');
  });

  test('does not fire for buffer_window', () => {
    assert.deepEqual(codes(check('---\nmemory:\n  type: buffer_window\n  k: 3\n---\n{history}\nHuman: {input}\n')), []);
  });
});

describe('memory-limit-ignored', () => {
  test('fires at max_token_limit under a type that never counts tokens', () => {
    for (const type of ['buffer', 'buffer_window', 'summary']) {
      const checked = check(`---\nmemory:\n  type: ${type}\n  ⟦max_token_limit⟧: 500\n---\n{history}\nHuman: {input}\n`);
      assertSingleDiagnostic(checked, 'memory-limit-ignored', /“max_token_limit” only applies to “type: summary_buffer” and “token_buffer”/);
    }
  });

  test('fixes: remove it, or pick a pruning type', () => {
    const checked = check('---\nmemory:\n  max_token_limit: 500\n---\n{history}\nHuman: {input}\n');
    assert.deepEqual(fixesFor(checked, 'memory-limit-ignored').map((a) => a.title), ['Remove memory.max_token_limit', 'Set memory.type to “summary_buffer”', 'Set memory.type to “token_buffer”']);
    assertFixedTo(checked, 'memory-limit-ignored', 'Set memory.type to “token_buffer”', '---\nmemory:\n  max_token_limit: 500\n  type: token_buffer\n---\n{history}\nHuman: {input}\n');
  });

  test('does not fire for summary_buffer or token_buffer', () => {
    for (const type of ['summary_buffer', 'token_buffer']) {
      assert.deepEqual(codes(check(`---\nmemory:\n  type: ${type}\n  max_token_limit: 500\n---\n{history}\nHuman: {input}\n`)), []);
    }
  });
});

describe('memory-summary-ignored', () => {
  test('fires at each summary setting under a type without a summarizer', () => {
    const checked = check('---\nmemory:\n  type: token_buffer\n  ⟦summary_model⟧: gpt-4o-mini\n---\n{history}\nHuman: {input}\n');
    assertSingleDiagnostic(checked, 'memory-summary-ignored', /ConversationTokenBufferMemory .* drops the older ones/);
    assertFixedTo(checked, 'memory-summary-ignored', 'Remove memory.summary_model', '---\nmemory:\n  type: token_buffer\n---\n{history}\nHuman: {input}\n');
  });

  test('does not fire for the summary types', () => {
    assert.deepEqual(codes(check('---\nmemory:\n  type: summary\n  summary_model: gpt-4o-mini\n---\n{history}\nHuman: {input}\n')), []);
  });
});
