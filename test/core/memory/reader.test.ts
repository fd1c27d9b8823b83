import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordReader } from '../../../core/memory/reader';
import { encodeRecord } from '../../../core/memory/records';

function records(...pairs: [string, string][]): string {
  return pairs.map(([input, output]) => encodeRecord({ input, output })).join('');
}

describe('RecordReader', () => {
  const folder = mkdtempSync(join(tmpdir(), 'pc-reader-'));
  const file = (name: string) => join(folder, name);

  test('reads only what was appended since the last read, onto the same array', async () => {
    const path = file('grow.jsonl');
    writeFileSync(path, records(['a', '1']));
    const reader = new RecordReader(path);
    const first = await reader.read();
    assert.deepEqual(first.turns, [{ input: 'a', output: '1' }]);
    appendFileSync(path, records(['b', '2'], ['c', '3']));
    const second = await reader.read();
    assert.equal(second.turns, first.turns, 'the same array, appended to');
    assert.deepEqual(second.turns.map((t) => t.input), ['a', 'b', 'c']);
  });

  test('a torn tail is reported and picked up once it is complete', async () => {
    const path = file('torn.jsonl');
    const line = records(['b', '2']);
    writeFileSync(path, records(['a', '1']) + line.slice(0, 5));
    const reader = new RecordReader(path);
    const torn = await reader.read();
    assert.equal(torn.tornTail, true);
    assert.equal(torn.turns.length, 1);
    appendFileSync(path, line.slice(5));
    const whole = await reader.read();
    assert.equal(whole.tornTail, false);
    assert.deepEqual(whole.turns.map((t) => t.input), ['a', 'b']);
  });

  test('a cleared and refilled file is read from the start into a new array', async () => {
    const path = file('cleared.jsonl');
    writeFileSync(path, records(['old', '1']));
    const reader = new RecordReader(path);
    const before = await reader.read();
    unlinkSync(path);
    writeFileSync(path, records(['new', '1'], ['newer', '2'], ['newest', '3']));
    const after = await reader.read();
    assert.notEqual(after.turns, before.turns);
    assert.deepEqual(after.turns.map((t) => t.input), ['new', 'newer', 'newest']);
  });

  test('a missing file is an empty conversation', async () => {
    const reader = new RecordReader(file('missing.jsonl'));
    assert.deepEqual((await reader.read()).turns, []);
  });

  test('damaged lines are numbered in the whole file', async () => {
    const path = file('damaged.jsonl');
    writeFileSync(path, records(['a', '1']));
    const reader = new RecordReader(path);
    await reader.read();
    appendFileSync(path, `not json\n${records(['b', '2'])}`);
    const outcome = await reader.read();
    assert.deepEqual(outcome.unreadableLines, [2]);
    assert.deepEqual(outcome.turns.map((t) => t.input), ['a', 'b']);
  });

  after(() => rmSync(folder, { recursive: true, force: true }));
});

describe('RecordReader, overlapping reads', () => {
  test('two reads at once take each new record once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pc-reader-overlap-'));
    try {
      const path = join(folder, 'overlap.jsonl');
      writeFileSync(path, records(['a', '1']));
      const reader = new RecordReader(path);
      await reader.read();
      appendFileSync(path, records(['b', '2']));
      const [first, second] = await Promise.all([reader.read(), reader.read()]);
      assert.deepEqual(second.turns.map((t) => t.input), ['a', 'b']);
      assert.equal(first.turns, second.turns);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
