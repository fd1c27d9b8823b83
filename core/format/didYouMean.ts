// "Did you mean" for misspelt keys and variable names: the closest candidate by edit distance (with
// adjacent transpositions, so `memroy` is one edit from `memory`), if it is close enough to be a typo.

/** Words longer than this are never taken for typos: nothing in the schema is that long. */
const maxWordLength = 64;

export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > maxWordLength) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length * 0.4));
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === word || Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Three rows of the distance table, reused by every call (grown when a longer string comes). */
let rows = [new Int32Array(66), new Int32Array(66), new Int32Array(66)] as const;

/**
 * Optimal string alignment distance; returns a value > `cap` as soon as it can't be <= cap. Only the
 * band of cells within `cap` of the diagonal is computed, so a small cap costs O(length × cap).
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  if (a === b) return 0;
  const n = b.length;
  const limit = Math.min(cap, Math.max(a.length, n));
  const over = limit + 1;
  if (rows[0].length < n + 2) rows = [new Int32Array(n + 2), new Int32Array(n + 2), new Int32Array(n + 2)];
  let [beforePrevious, previous, current] = rows;
  for (let j = 0; j <= n; j++) previous[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(n, i + limit);
    current[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = current[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      value = Math.min(value, over);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (hi < n) current[hi + 1] = over;
    if (rowMin > cap) return cap + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[n]!;
}
