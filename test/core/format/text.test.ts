import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  lineBreakOf,
  lineEndOf,
  lineStartOf,
  lineStarts,
  linesBetween,
  nextLineStart,
  normalizedSlice,
  normalizeLineBreaks,
  withLineBreak,
} from '../../../core/format/text';

const mixed = 'ab\ncd\r\nef\rgh\n\rij';

describe('lines', () => {
  test('`\\n`, `\\r\\n` and a lone `\\r` each end a line; `\\n\\r` is two line breaks', () => {
    const lines = linesBetween(mixed, 0, mixed.length).map((line) => mixed.slice(line.start, line.end));
    assert.deepEqual(lines, ['ab', 'cd', 'ef', 'gh', '', 'ij']);
    assert.deepEqual(lineStarts(mixed), [0, 3, 7, 10, 13, 14]);
  });

  test('line starts agree with the editor’s TextDocument', () => {
    const doc = TextDocument.create('test://a', 'prompt', 1, mixed);
    assert.deepEqual(lineStarts(mixed), Array.from({ length: doc.lineCount }, (_, line) => doc.offsetAt({ line, character: 0 })));
  });

  test('start, end and next line of any offset, the middle of a `\\r\\n` included', () => {
    const text = 'ab\r\ncd';
    assert.deepEqual([0, 1, 2, 3].map((offset) => lineStartOf(text, offset)), [0, 0, 0, 0]);
    assert.deepEqual([0, 2, 3].map((offset) => lineEndOf(text, offset)), [2, 2, 2]);
    assert.deepEqual([0, 2, 3].map((offset) => nextLineStart(text, offset)), [4, 4, 4]);
    assert.equal(lineStartOf(text, 4), 4);
    assert.equal(lineEndOf(text, 4), 6);
    assert.equal(nextLineStart(text, 5), 6, 'the last line has no next one: the end of the text');
    assert.equal(lineStartOf('a\rb', 2), 2);
    assert.equal(lineEndOf('a\rb', 0), 1);
  });

  test('the file’s line break is its first one', () => {
    assert.equal(lineBreakOf('one line'), '\n');
    assert.equal(lineBreakOf('a\nb\r\n'), '\n');
    assert.equal(lineBreakOf('a\r\nb\n'), '\r\n');
    assert.equal(lineBreakOf('a\rb\r\n'), '\r');
    assert.equal(withLineBreak('a\nb\n', '\r'), 'a\rb\r');
    assert.equal(withLineBreak('a\nb', '\r\n'), 'a\r\nb');
  });
});

describe('normalized text', () => {
  test('every `\\r\\n` and lone `\\r` becomes `\\n`', () => {
    assert.equal(normalizeLineBreaks(mixed), 'ab\ncd\nef\ngh\n\nij');
  });

  test('offsets map back to the file, never between a `\\r` and its `\\n`', () => {
    const text = 'xx\r\nab\r\n\rcd';
    const { source, offsets } = normalizedSlice(text, 2, text.length);
    assert.equal(source, '\nab\n\ncd');
    for (let offset = 0; offset <= source.length; offset++) {
      const fileOffset = offsets.toFile(offset);
      assert.ok(!(text[fileOffset - 1] === '\r' && text[fileOffset] === '\n'), `offset ${offset} -> ${fileOffset}`);
      if (offset < source.length && source[offset] !== '\n') assert.equal(text[fileOffset], source[offset]);
    }
    assert.equal(offsets.toFile(source.length), text.length);
  });
});
