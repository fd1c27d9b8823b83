// A line diff of a recorded baseline and a new reply, for the report: Myers' O((N+M)·D) shortest edit
// script over the lines left once the common head and tail are cut. D is bounded: past `maxEdits` the
// middle is shown as all removed then all added, so a reply unlike its baseline costs linear time, never
// (N+M)·D on megabytes.

import type { DiffLine } from './types';

const maxEdits = 200;

export function lineDiff(recorded: string, reply: string): DiffLine[] {
  const a = recorded.split('\n');
  const b = reply.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (text: string): DiffLine => ({ op: 'same', text });
  const middle = editScript(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const trace = myersTrace(a, b);
  if (!trace) return [...a.map((text): DiffLine => ({ op: 'removed', text })), ...b.map((text): DiffLine => ({ op: 'added', text }))];
  return backtrack(trace, a, b);
}

/** The furthest-reaching x per diagonal after each edit count d, until the end is reached (undefined past maxEdits). */
function myersTrace(a: readonly string[], b: readonly string[]): Map<number, number>[] | undefined {
  const trace: Map<number, number>[] = [];
  let v = new Map<number, number>([[1, 0]]);
  for (let d = 0; d <= Math.min(a.length + b.length, maxEdits); d++) {
    trace.push(new Map(v));
    const next = new Map(v);
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
      let x = down ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) (x++, y++);
      next.set(k, x);
      if (x >= a.length && y >= b.length) {
        trace[d] = new Map(v);
        trace.push(next);
        return trace;
      }
    }
    v = next;
  }
  return undefined;
}

function backtrack(trace: Map<number, number>[], a: readonly string[], b: readonly string[]): DiffLine[] {
  const lines: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 2; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) lines.push({ op: 'same', text: a[--x]! }), y--;
    if (d > 0) lines.push(down ? { op: 'added', text: b[--y]! } : { op: 'removed', text: a[--x]! });
  }
  return lines.reverse();
}
