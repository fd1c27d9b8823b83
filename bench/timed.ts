// For benchmarks whose rounds need untimed work around the timed part (an append before the load being
// measured, stopping a server after its start was timed): each round hands one step to `time`.
// Figures meant to be compared (10 vs 10,000 stored turns) are measured interleaved, round by round, so
// warm-up, disk caches and the load of a shared machine weigh on both alike.

import { median, type Sample } from './lib';

export type Stopwatch = <T>(step: () => Promise<T> | T) => Promise<T>;
export type Round = (time: Stopwatch) => Promise<void>;

export interface Contender {
  name: string;
  round: Round;
}

export async function measureRounds(name: string, runs: number, round: Round, warmup = Math.min(10, runs)): Promise<Sample> {
  const [sample] = await measureInterleaved(runs, [{ name, round }], warmup);
  return sample!;
}

/** Runs one round of each contender in turn, `warmup + runs` times; medians of the timed steps. */
export async function measureInterleaved(runs: number, contenders: readonly Contender[], warmup = Math.min(10, runs)): Promise<Sample[]> {
  const times = contenders.map((): number[] => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (const [index, contender] of contenders.entries()) {
      const elapsed = await timeRound(contender);
      if (i >= warmup) times[index]!.push(elapsed);
    }
  }
  return contenders.map((contender, index) => ({ name: contender.name, medianMs: median(times[index]!), runs }));
}

async function timeRound(contender: Contender): Promise<number> {
  let elapsed: number | undefined;
  await contender.round(async (step) => {
    const t0 = performance.now();
    const result = await step();
    elapsed = performance.now() - t0;
    return result;
  });
  if (elapsed === undefined) throw new Error(`benchmark "${contender.name}": a round timed nothing`);
  return elapsed;
}

/** Two figures to compare, interleaved. */
export async function measurePair(runs: number, first: Contender, second: Contender, warmup?: number): Promise<[Sample, Sample]> {
  const [a, b] = await measureInterleaved(runs, [first, second], warmup);
  return [a!, b!];
}
