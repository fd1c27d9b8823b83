import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { coalescing } from '../../client/src/testing/coalesce';

/** A task whose runs finish when the test says, recording which key each run was for. */
function controlledTask() {
  const runs: string[] = [];
  const pending: (() => void)[] = [];
  const task = (key: string) => {
    runs.push(key);
    return new Promise<void>((resolve) => pending.push(resolve));
  };
  return { runs, task, finishNext: () => pending.shift()?.() };
}

describe('coalescing', () => {
  test('asks while a run is under way make one more run after it, not one each', async () => {
    const { runs, task, finishNext } = controlledTask();
    const relist = coalescing(task);
    const first = relist('a');
    const asks = [relist('a'), relist('a'), relist('a')];
    assert.deepEqual(runs, ['a'], 'the second run waits for the first');
    finishNext();
    await first;
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(runs, ['a', 'a']);
    finishNext();
    await Promise.all(asks);
    assert.deepEqual(runs, ['a', 'a']);
  });

  test('keys do not wait for each other', () => {
    const { runs, task } = controlledTask();
    const relist = coalescing(task);
    void relist('a');
    void relist('b');
    assert.deepEqual(runs, ['a', 'b']);
  });

  test('a failed run does not stop the next', async () => {
    let calls = 0;
    const relist = coalescing(async () => {
      calls++;
      if (calls === 1) throw new Error('server down');
    });
    const first = relist('a');
    const second = relist('a');
    await assert.rejects(first, /server down/);
    await second;
    assert.equal(calls, 2);
  });
});
