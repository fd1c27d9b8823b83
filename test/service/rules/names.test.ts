import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extraSpace, looksLikeHistory, nameMatcher, suggestName, typoDistance } from '../../../service/rules/names';

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

  test('names that differ only in their digits are siblings, not typos', () => {
    assert.equal(suggestName('example_1_input', { inputKey: 'example_0_input', partials: [] }), undefined);
    assert.equal(suggestName('input2', { inputKey: 'input', partials: ['input_3'] }), undefined);
    assert.equal(typoDistance('step10', 'step01'), undefined);
    assert.equal(suggestName('example_1_inptu', { partials: ['example_1_input'] })?.name, 'example_1_input');
    assert.equal(suggestName('histroy', { memoryKey: 'history', partials: [] })?.name, 'history');
  });

  test('thousands of partials: each name is compared with the few that could be one typo away', () => {
    const partials = [...Array.from({ length: 5000 }, (_, i) => `example_${i}_output`), 'tone', ...Array.from({ length: 5000 }, (_, i) => `p${i.toString(36).replace(/\d/g, 'x')}`)];
    const suggest = nameMatcher({ memoryKey: 'history', partials });
    assert.equal(suggest('tones')?.name, 'tone');
    assert.equal(suggest('example_42_ouptut')?.name, 'example_42_output');
    assert.equal(suggest('example_42_input'), undefined);
    // The first declared of equally close names wins, as before the index.
    assert.equal(nameMatcher({ partials: ['alpha1', 'alpah1', 'alhpa1'] })('alpxa1')?.name, 'alpha1');
  });
});


describe('extraSpace', () => {
  test('names the whitespace around a name, on each side', () => {
    assert.equal(extraSpace('chat_history ', 'chat_history'), 'a trailing space');
    assert.equal(extraSpace(' chat_history', 'chat_history'), 'a leading space');
    assert.equal(extraSpace(' x  ', 'x'), 'a leading space and trailing spaces');
    assert.equal(extraSpace('x\t', 'x'), 'a trailing tab');
    assert.equal(extraSpace('x\u00a0', 'x'), 'trailing whitespace');
  });

  test('nothing when the names are equal or differ by more than surrounding whitespace', () => {
    assert.equal(extraSpace('x', 'x'), undefined);
    assert.equal(extraSpace('chat history', 'chat_history'), undefined);
    assert.equal(extraSpace('history', 'history '), undefined);
    assert.equal(extraSpace('  ', ''), undefined);
  });
});

describe('nameMatcher', () => {
  test('a memory key is matched by its leading or trailing words, whatever separates them', () => {
    const match = nameMatcher({ memoryKey: 'chat_history', partials: [] });
    assert.equal(match('history')?.name, 'chat_history');
    assert.equal(match('Chat-')?.name, 'chat_history');
    assert.equal(match('chat_model'), undefined);
  });
});
