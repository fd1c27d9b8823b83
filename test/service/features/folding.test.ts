import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFoldingRanges } from '../../../service/features/folding';
import { fixture } from '../../support/fixture';
import { chatExample, variant } from '../../support/examples';

describe('folding ranges', () => {
  test('front matter, its blocks, and each message up to its last written line', () => {
    const f = fixture(variant(chatExample, 'with a human.\n', 'with a human.\nBe brief.\n'));
    assert.deepEqual(getFoldingRanges(f.ctx), [
      { startLine: 0, endLine: 4 },
      { startLine: 1, endLine: 3 },
      { startLine: 5, endLine: 7 },
      { startLine: 9, endLine: 10 },
      { startLine: 12, endLine: 13 },
    ]);
  });

  test('a completion template has only the front matter to fold', () => {
    const f = fixture('---\nmodel: gpt-4o\n---\nline one\nline two\n{input}\n');
    assert.deepEqual(getFoldingRanges(f.ctx), [{ startLine: 0, endLine: 2 }]);
  });

  test('a header with an empty message does not fold', () => {
    const f = fixture('system:\nhuman:\n{input}\n');
    assert.deepEqual(getFoldingRanges(f.ctx), [{ startLine: 1, endLine: 2 }]);
  });
});
