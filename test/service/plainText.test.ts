import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plainText } from '../../service/plainText';

describe('plainText', () => {
  test('a template variable reads as written; anything else is in typographic quotes', () => {
    assert.equal(plainText('Rename `{history}` to `{chat_history}`'), 'Rename {history} to {chat_history}');
    assert.equal(plainText('Rename `{{history}}`'), 'Rename {{history}}');
    assert.equal(plainText('Set memory.key to `history `'), 'Set memory.key to “history ”');
    assert.equal(plainText("raises `Missing some input keys: {'x'}`."), "raises “Missing some input keys: {'x'}”.");
  });

  test('braces that are not one variable are quoted', () => {
    assert.equal(plainText('a `{` here'), 'a “{” here');
    assert.equal(plainText('`{a} {b}`'), '“{a} {b}”');
    assert.equal(plainText('`{{a}`'), '“{{a}”');
  });

  test('text without code spans, and an unpaired backtick, stay as they are', () => {
    assert.equal(plainText('no code here'), 'no code here');
    assert.equal(plainText('Unknown key `a`b` here'), 'Unknown key “a”b` here');
  });
});
