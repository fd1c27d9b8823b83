import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../../core/format/lineIndex';

describe('LineIndex', () => {
  test('converts offsets to 0-based line/character across \\n, \\r\\n and lone \\r', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 4);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 1 });
    assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(10), { line: 3, character: 0 });
    assert.deepEqual(index.positionAt(text.length), { line: 3, character: 2 });
  });

  test('a position never lands inside a line break', () => {
    const index = new LineIndex('ab\r\ncd');
    assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
  });

  test('clamps out-of-range input', () => {
    const index = new LineIndex('ab\ncd');
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
    assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 5);
  });

  test('round-trips and agrees with the editor TextDocument on every offset', () => {
    const text = '---\r\nmemory:\n  key: x\r---\n\nhuman:\r\n{x}\n\r\n';
    const index = new LineIndex(text);
    const doc = TextDocument.create('test://a.prompt', 'prompt', 1, text);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = index.positionAt(offset);
      assert.deepEqual(position, doc.positionAt(offset), `offset ${offset}`);
      assert.equal(index.offsetAt(position), doc.offsetAt(position));
    }
  });

  test('rangeAt converts a span', () => {
    const index = new LineIndex('one\ntwo {x}');
    assert.deepEqual(index.rangeAt({ start: 8, end: 11 }), { start: { line: 1, character: 4 }, end: { line: 1, character: 7 } });
  });

  test('an empty text has one line', () => {
    const index = new LineIndex('');
    assert.equal(index.lineCount, 1);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  });
});
