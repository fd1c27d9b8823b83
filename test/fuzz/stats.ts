// Latency of each LSP method under fuzzing: p50 / p99 / max, and the requests over the 100 ms budget on
// files under 1 MB (the bar: no such request may be slower; a file of 1 MB or more may be). An
// answer of megabytes (a rename of 40,000 occurrences to a 300-character name is a 12 MB edit) takes time
// to serialize, send and parse whatever the server does: such a request's budget grows by
// msPerAnswerMegabyte per megabyte of answer (at least 40 MB/s end to end), so it is still held to linear
// time in what it answers, and its answer's size is printed with it.

export const slowMs = 100;
export const smallFileBytes = 1024 * 1024;
/** The budget's growth with the answer's size: what moving 1 MB of JSON over stdio may take. */
export const msPerAnswerMegabyte = 25;

/** How long a request answered with `answerBytes` of JSON may take. */
export function budgetMs(answerBytes: number): number {
  return slowMs + (msPerAnswerMegabyte * answerBytes) / (1024 * 1024);
}

export interface SlowRequest {
  method: string;
  ms: number;
  bytes: number;
  file: number;
  /** The size of the answer's JSON. */
  answerBytes: number;
  /** The document's text, kept for the first few slow requests so they can be reproduced. */
  text?: string;
}

const keptTexts = 20;

export class LatencyStats {
  private readonly times = new Map<string, number[]>();
  readonly slow: SlowRequest[] = [];

  /** `answer` is what came back (measured only when the request took longer than slowMs). */
  record(method: string, ms: number, bytes: number, file: number, text: () => string, answer?: unknown): void {
    let times = this.times.get(method);
    if (!times) this.times.set(method, (times = []));
    times.push(ms);
    if (ms <= slowMs || bytes >= smallFileBytes) return;
    const answerBytes = answer === undefined ? 0 : Buffer.byteLength(JSON.stringify(answer) ?? '');
    if (ms > budgetMs(answerBytes)) this.slow.push({ method, ms, bytes, file, answerBytes, ...(this.slow.length < keptTexts && { text: text() }) });
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
