// The memory state a class derived from the stored turns, and when it still holds: it was derived under the
// same configuration (type, limit, summary prompt, counting model) and for no more turns than are stored
// (a Retry or Edit formats with the turns before the one it replaces). Any other state is derived again
// from the full history.

import type { ChainConfig, MemoryBasis, MemoryConfig, MemoryState, HistoryEntry } from '../types';
import { countingModelOf, countsTokens, summarizes } from './kinds';
import { messagesBefore } from './messages';

/** What a state's validity depends on, for this configuration: only what changes the class's result. */
export function basisOf(memory: MemoryConfig, chain: Pick<ChainConfig, 'model'>): MemoryBasis {
  const basis: MemoryBasis = { type: memory.type };
  if (countsTokens(memory.type)) {
    basis.maxTokenLimit = memory.maxTokenLimit;
    const model = countingModelOf(memory, chain);
    if (model !== undefined) basis.model = model;
  }
  if (summarizes(memory.type)) basis.summaryPrompt = memory.summaryPrompt;
  return basis;
}

export function sameBasis(a: MemoryBasis, b: MemoryBasis): boolean {
  return a.type === b.type && a.maxTokenLimit === b.maxTokenLimit && a.summaryPrompt === b.summaryPrompt && a.model === b.model;
}

/** Nothing derived yet: no turn accounted for, nothing pruned, the empty summary for summary kinds. */
export function emptyState(basis: MemoryBasis): MemoryState {
  return summarizes(basis.type) ? { basis, turns: 0, prunedMessages: 0, summary: '' } : { basis, turns: 0, prunedMessages: 0 };
}

/** `state` when it holds for these turns under `basis`, else undefined (to be derived from scratch). */
export function validState(turns: readonly HistoryEntry[], state: MemoryState | undefined, basis: MemoryBasis): MemoryState | undefined {
  if (!state || !sameBasis(state.basis, basis)) return undefined;
  if (state.turns > turns.length || state.prunedMessages > messagesBefore(turns, state.turns)) return undefined;
  return state;
}

export function sameState(a: MemoryState | undefined, b: MemoryState): boolean {
  return a !== undefined && sameBasis(a.basis, b.basis) && a.turns === b.turns && a.prunedMessages === b.prunedMessages && a.summary === b.summary;
}
