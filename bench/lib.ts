// Tiny benchmark helpers: run a function many times, report the median. No assertions: numbers are
// printed for people (and the closing note), never used to pass or fail a build.

export interface Sample {
  name: string;
  medianMs: number;
  runs: number;
}

export async function measure(name: string, runs: number, fn: () => unknown | Promise<unknown>, warmup = Math.min(20, runs)): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { name, medianMs: median(times), runs };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function report(title: string, samples: readonly Sample[]): void {
  console.log(`\n## ${title}`);
  for (const s of samples) console.log(`  ${s.name.padEnd(58)} median ${formatMs(s.medianMs).padStart(10)}  (${s.runs} runs)`);
}

export function ratio(label: string, slower: Sample, faster: Sample): void {
  console.log(`  ${label.padEnd(58)} ratio  ${(slower.medianMs / faster.medianMs).toFixed(2)}x`);
}

export function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}
