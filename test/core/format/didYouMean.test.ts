import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closestMatch, editDistance } from '../../../core/format/didYouMean';

describe('closestMatch', () => {
  test('suggests the closest candidate for a typo, transpositions included', () => {
    assert.equal(closestMatch('memroy', ['model', 'memory', 'name']), 'memory');
    assert.equal(closestMatch('temprature', ['temperature', 'top_p']), 'temperature');
    assert.equal(closestMatch('chat_histroy', ['human_input', 'chat_history']), 'chat_history');
  });

  test('suggests nothing when nothing is close', () => {
    assert.equal(closestMatch('foo', ['temperature', 'max_tokens']), undefined);
    assert.equal(closestMatch('x', ['x']), undefined);
  });

  test('editDistance', () => {
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('abc', 'acb'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});
