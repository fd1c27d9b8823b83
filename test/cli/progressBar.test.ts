// The pull's progress bar: drawn only on a terminal, redrawn at most every 100 ms (the last state always),
// erased at the end; and its line.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalIo, type ProcessIo } from '../../cli/src/output';
import { downloadProgressBar, progressLine } from '../../cli/src/progressBar';

function io(stderrIsTTY: boolean) {
  const written: string[] = [];
  const streams: ProcessIo = { out: () => undefined, err: (text) => void written.push(text), env: {}, cwd: '/', stderrIsTTY, signal: new AbortController().signal };
  return { io: terminalIo(streams), written };
}

describe('downloadProgressBar', () => {
  test('redraws with \\r at most every 100 ms, always the finished state, then erases the line', () => {
    const { io: terminal, written } = io(true);
    let clock = 1_000;
    const bar = downloadProgressBar(terminal, () => clock);
    const file = '/m/x.gguf';
    bar.update({ file, received: 0, total: 4_000_000 });
    clock += 50;
    bar.update({ file, received: 1_000_000, total: 4_000_000 }); // too soon: not drawn
    clock += 50;
    bar.update({ file, received: 2_000_000, total: 4_000_000 });
    clock += 10;
    bar.update({ file, received: 4_000_000, total: 4_000_000 }); // the end is drawn however soon
    bar.end();
    assert.equal(written.length, 4);
    assert.match(written[0]!, /^\r {2}0% \[\.{24}\] {2}0\.0\/4\.0 MB {2}0\.0 MB\/s$/);
    assert.match(written[1]!, /^\r 50% \[#{12}\.{12}\] {2}2\.0\/4\.0 MB {2}20\.0 MB\/s$/);
    assert.match(written[2]!, /^\r100% \[#{24}\] {2}4\.0\/4\.0 MB {2}36\.4 MB\/s$/);
    assert.equal(written[3], `\r${' '.repeat(written[2]!.length - 1)}\r`);
  });

  test('draws nothing when stderr is not a terminal', () => {
    const { io: pipe, written } = io(false);
    const bar = downloadProgressBar(pipe);
    bar.update({ file: '/m/x.gguf', received: 10, total: 10 });
    bar.end();
    assert.deepEqual(written, []);
  });

  test('without a total: the bytes and the speed', () => {
    assert.equal(progressLine({ file: '/m/x.gguf', received: 12_345_678 }, 2_000_000), '12.3 MB  2.0 MB/s');
  });
});
