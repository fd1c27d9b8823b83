// Latency of each LSP method under fuzzing: p50 / p99 / max, and the requests over the 100 ms budget on
// files under 1 MB (the bar: no such request may be slower; a file of 1 MB or more may be).

export const slowMs = 100;
export const smallFileBytes = 1024 * 1024;

export interface SlowRequest {
  method: string;
  ms: number;
  bytes: number;
  file: number;
  /** The document's text, kept for the first few slow requests so they can be reproduced. */
  text?: string;
}

const keptTexts = 20;

export class LatencyStats {
  private readonly times = new Map<string, number[]>();
  readonly slow: SlowRequest[] = [];

  record(method: string, ms: number, bytes: number, file: number, text: () => string): void {
    let times = this.times.get(method);
    if (!times) this.times.set(method, (times = []));
    times.push(ms);
    if (ms > slowMs && bytes < smallFileBytes) this.slow.push({ method, ms, bytes, file, ...(this.slow.length < keptTexts && { text: text() }) });
  }

  sum(): number {
    return [...this.times.values()].flat().reduce((a, b) => a + b, 0);
  }

  get requests(): number {
    return [...this.times.values()].reduce((sum, times) => sum + times.length, 0);
  }

  /** One line per method, slowest p99 first. */
  table(): string[] {
    const rows = [...this.times.entries()].map(([method, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return { method, count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1]! };
    });
    rows.sort((a, b) => b.p99 - a.p99);
    const header = `  ${'method'.padEnd(58)} ${'count'.padStart(7)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`;
    return [header, ...rows.map((r) => `  ${r.method.padEnd(58)} ${String(r.count).padStart(7)} ${ms(r.p50)} ${ms(r.p99)} ${ms(r.max)}`)];
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`.padStart(9);
}
