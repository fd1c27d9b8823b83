import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeHistory, suggestName } from '../../../service/rules/names';

describe('suggestName', () => {
  const provided = { memoryKey: 'chat_history', inputKey: 'question', partials: ['tone'] };

  test('history-like names and near misses point at the memory key', () => {
    assert.equal(suggestName('history', provided)?.name, 'chat_history');
    assert.equal(suggestName('chat_history ', provided)?.name, 'chat_history');
    assert.equal(suggestName('ChatHistory', provided)?.distance, 0);
    assert.equal(suggestName('chat_histroy', provided)?.name, 'chat_history');
    assert.equal(suggestName('messages', provided)?.name, 'chat_history');
  });

  test('typos of the input key and of partials point at them', () => {
    assert.equal(suggestName('questoin', provided)?.name, 'question');
    assert.equal(suggestName('tones', provided)?.name, 'tone');
  });

  test('unrelated names get no suggestion', () => {
    assert.equal(suggestName('topic', provided), undefined);
    assert.equal(suggestName('human_input', provided), undefined);
    assert.equal(suggestName('context', { partials: [] }), undefined);
    assert.equal(looksLikeHistory('user_input'), false);
  });
});
