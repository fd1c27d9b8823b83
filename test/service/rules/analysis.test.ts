import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../service/rules/analysis';
import { applyFix, check, codes } from './check';

describe('configReliable', () => {
  test('a memory key written under `parameters:` keeps the variable rules quiet until it is moved', () => {
    const checked = check('---\nparameters:\n  key: chat_history\n---\n{chat_history}\n{question}\n');
    assert.equal(analyze(checked.ctx).configReliable, false);
    assert.deepEqual(codes(checked), ['unknown-key']);
    const moved = applyFix(checked, 'unknown-key', 'Move “key” under “memory:”');
    assert.equal(analyze(moved.ctx).configReliable, true);
    assert.deepEqual(moved.diagnostics, []);
  });

  test('a misplaced key that has nothing to do with memory or input leaves the variable rules speaking', () => {
    const checked = check('---\nparameters:\n  model: gpt-4o\n---\n{chat}\n{question}\n');
    assert.equal(analyze(checked.ctx).configReliable, true);
    assert.deepEqual(codes(checked), ['unknown-key', 'memory-key-unused', 'ambiguous-input-key', 'ambiguous-input-key']);
  });
});
