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
