import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pyList, pySet, pyStr } from '../../../core/chain/pyRepr';

test('repr of strings follows Python quoting', () => {
  assert.equal(pyStr('a'), "'a'");
  assert.equal(pyStr("it's"), `"it's"`);
  assert.equal(pyStr(`it's "x"`), `'it\\'s "x"'`);
  assert.equal(pyStr('a\nb\\'), "'a\\nb\\\\'");
});

test('repr of lists and sets', () => {
  assert.equal(pyList(['a', 'b']), "['a', 'b']");
  assert.equal(pyList([]), '[]');
  assert.equal(pySet(['x']), "{'x'}");
  assert.equal(pySet([]), 'set()');
});

test('control characters are written as Python writes them: C0, DEL and C1 as \\xhh, the rest as they are', () => {
  // Python: repr('a\x00\x1b[0m\x7f\x85\x9fé') == "'a\\x00\\x1b[0m\\x7f\\x85\\x9fé'"
  assert.equal(pyStr('a\x00\x1b[0m\x7f\x85\x9fé'), "'a\\x00\\x1b[0m\\x7f\\x85\\x9fé'");
  assert.equal(pyStr('\t'), "'\\t'");
  assert.equal(pyStr('human_input'), "'human_input'");
});
