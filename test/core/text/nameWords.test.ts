import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nameWords, normalizeName } from '../../../core/text/nameWords';

const pieces = fc.constantFrom('a', 'B', 'é', 'İ', '_', '-', ' ', '\t', '\u00a0', '\u2003', '\ufeff', '\u3000', '7', '\u0085');
const names = fc.array(pieces, { maxLength: 12 }).map((chars) => chars.join(''));

describe('name words', () => {
  test('normalizeName drops case, white space, `_` and `-` exactly as the regular expression it replaced', () => {
    fc.assert(
      fc.property(names, (name) => {
        assert.equal(normalizeName(name), name.toLowerCase().replace(/[\s_-]+/g, ''));
      }),
      { numRuns: 2000 },
    );
  });

  test('nameWords joins the lower-case words by `_`, as splitting at the separators would', () => {
    fc.assert(
      fc.property(names, (name) => {
        const words = name.trim().toLowerCase().split(/[\s_-]+/).filter((word) => word !== '');
        assert.equal(nameWords(name, '_'), words.join('_'));
      }),
      { numRuns: 2000 },
    );
    assert.equal(nameWords('Chat-History ', '_'), 'chat_history');
    assert.equal(nameWords('chat_history', '_'), 'chat_history');
    assert.equal(nameWords('_chat__history_', '_'), 'chat_history');
  });
});
