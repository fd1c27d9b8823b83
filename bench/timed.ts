// For benchmarks whose rounds need untimed work around the timed part (an append before the load being
// measured, stopping a server after its start was timed): each round hands one step to `time`.

import { median, type Sample } from './lib';

export type Stopwatch = <T>(step: () => Promise<T> | T) => Promise<T>;

export async function measureRounds(name: string, runs: number, round: (time: Stopwatch) => Promise<void>, warmup = Math.min(10, runs)): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    let elapsed: number | undefined;
    await round(async (step) => {
      const t0 = performance.now();
      const result = await step();
      elapsed = performance.now() - t0;
      return result;
    });
    if (elapsed === undefined) throw new Error(`benchmark "${name}": a round timed nothing`);
    if (i >= warmup) times.push(elapsed);
  }
  return { name, medianMs: median(times), runs };
}
