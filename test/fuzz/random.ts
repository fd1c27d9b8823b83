// A seeded pseudo-random source (mulberry32): the same seed gives the same files, edits and requests on
// every machine, so a failure is reproduced by its seed and file number alone. Each file draws from a
// source of its own, derived from (seed, file number): file 137 is the same whether it runs alone or
// after 136 others.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The source of one file of a run. */
  static forFile(seed: number, file: number): Random {
    return new Random(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(file + 1, 0xc2b2ae35));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, below). */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `[[3, a], [1, b]]` gives a three times in four. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let roll = this.next() * choices.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, choice] of choices) {
      roll -= weight;
      if (roll < 0) return choice;
    }
    return choices[choices.length - 1]![1];
  }
}

/** The seed of a run: `PROMPT_CHAIN_FUZZ_SEED` when set, else `fallback`. */
export function seedFromEnv(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PROMPT_CHAIN_FUZZ_SEED;
  if (text === undefined || text === '') return fallback;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`PROMPT_CHAIN_FUZZ_SEED must be a non-negative integer, not ${JSON.stringify(text)}`);
  return seed;
}
