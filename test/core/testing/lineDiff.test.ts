// The snapshot diff: the lines it marks rebuild both the baseline and the reply, changes are as few as a
// shortest edit script has, and a reply unlike its baseline past the edit bound still costs linear time.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineDiff } from '../../../core/testing/lineDiff';
import type { DiffLine } from '../../../core/testing/types';

const sides = (diff: readonly DiffLine[]) => ({
  recorded: diff.filter((line) => line.op !== 'added').map((line) => line.text).join('\n'),
  reply: diff.filter((line) => line.op !== 'removed').map((line) => line.text).join('\n'),
});
const changes = (diff: readonly DiffLine[]) => diff.filter((line) => line.op !== 'same').length;

describe('lineDiff', () => {
  test('equal texts are all the same lines', () => {
    assert.deepEqual(lineDiff('a\nb', 'a\nb'), [{ op: 'same', text: 'a' }, { op: 'same', text: 'b' }]);
  });

  test('one changed line in the middle: removed then added, the rest kept', () => {
    assert.deepEqual(lineDiff('Hello\nYour name is Ada.\nBye', 'Hello\nYour name is Grace.\nBye'), [
      { op: 'same', text: 'Hello' },
      { op: 'removed', text: 'Your name is Ada.' },
      { op: 'added', text: 'Your name is Grace.' },
      { op: 'same', text: 'Bye' },
    ]);
  });

  test('an inserted line is one addition, not a rewrite of the lines after it', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nx\nb\nc\nd');
    assert.equal(changes(diff), 1);
    assert.deepEqual(diff[1], { op: 'added', text: 'x' });
  });

  test('empty baseline or reply: one empty line against the other side', () => {
    assert.deepEqual(sides(lineDiff('', 'a\nb')), { recorded: '', reply: 'a\nb' });
    assert.deepEqual(sides(lineDiff('a', '')), { recorded: 'a', reply: '' });
  });

  test('a CRLF reply against an LF baseline differs on every line that has a break (the bytes differ)', () => {
    const diff = lineDiff('a\nb\nc', 'a\r\nb\r\nc');
    assert.deepEqual(sides(diff), { recorded: 'a\nb\nc', reply: 'a\r\nb\r\nc' });
    assert.equal(diff.filter((line) => line.op === 'removed').length, 2);
  });

  test('any two texts: the marks rebuild both sides', () => {
    const line = fc.constantFrom('a', 'b', 'c', '', 'Ada', 'x y');
    const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));
    fc.assert(fc.property(text, text, (recorded, reply) => {
      assert.deepEqual(sides(lineDiff(recorded, reply)), { recorded, reply });
    }), { numRuns: 500 });
  });

  test('changes are never more than a longest common subsequence allows', () => {
    const lcs = (a: string[], b: string[]) => {
      const row = new Array<number>(b.length + 1).fill(0);
      for (const x of a) {
        let diagonal = 0;
        for (let j = 1; j <= b.length; j++) {
          const above = row[j]!;
          row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
          diagonal = above;
        }
      }
      return row[b.length]!;
    };
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 });
    fc.assert(fc.property(lines, lines, (a, b) => {
      const diff = lineDiff(a.join('\n'), b.join('\n'));
      const recorded = a.join('\n').split('\n');
      const reply = b.join('\n').split('\n');
      assert.equal(changes(diff), recorded.length + reply.length - 2 * lcs(recorded, reply));
    }), { numRuns: 500 });
  });

  test('past the edit bound the middle is shown removed then added, and both sides still rebuild', () => {
    const recorded = Array.from({ length: 5000 }, (_, i) => `old ${i}`).join('\n');
    const reply = Array.from({ length: 5000 }, (_, i) => `new ${i}`).join('\n');
    const diff = lineDiff(recorded, reply);
    assert.deepEqual(sides(diff), { recorded, reply });
    assert.equal(diff.findIndex((line) => line.op === 'added'), 5000, 'all 5,000 removals come first');
  });
});
