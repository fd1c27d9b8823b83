// Brings a stateful memory class up to date with the stored turns, as a turn runs: before formatting (a
// summary owed by an earlier turn, or a configuration change: one call at most), and after the reply is
// stored (this turn's summary or pruning). The state is saved only once its call succeeded: a failed,
// timed-out or cancelled call leaves the old state, and the turns stay owed to the next turn.

import type { Conversation, LanguageModel, MemoryCall, MemoryCallReason, MemoryConfig, MemoryState, HistoryEntry } from '../types';
import type { ChainConfig } from '../types';
import { planUpdate } from './index';
import { emptyState, sameState } from './state';
import { callSummary } from './summarize';

export interface UpdateContext {
  conversation: Conversation<HistoryEntry>;
  memory: MemoryConfig;
  chain: Pick<ChainConfig, 'api' | 'model' | 'parameters'>;
  model: LanguageModel;
  signal?: AbortSignal;
}

export interface UpdateResult {
  /** The state to format with (up to date, or the old one when the call failed). */
  state: MemoryState;
  /** The summary call made, with its failure if it failed. */
  call?: MemoryCall;
}

/**
 * `phase` names why turns are owed: 'after-turn' for the turn just stored, 'before-turn' for turns an
 * earlier run stored without their summary (its call failed, or the process died before it).
 */
export async function bringUpToDate(
  turns: readonly HistoryEntry[],
  state: MemoryState | undefined,
  phase: 'before-turn' | 'after-turn',
  context: UpdateContext,
): Promise<UpdateResult> {
  const { basis, valid, plan } = planUpdate(turns, state, context.memory, context.chain);
  if (!plan.summarize) {
    // A conversation with nothing stored has nothing to account for: no state is written for it.
    if (!sameState(state, plan.next) && plan.next.turns > 0) await context.conversation.saveState(plan.next);
    return { state: plan.next };
  }
  const reason: MemoryCallReason = !valid ? 're-derive' : phase === 'after-turn' ? 'turn' : 'catch-up';
  const call = await callSummary({ ...plan.summarize, reason }, context);
  if (call.failure || call.reply === undefined) {
    const old = valid ?? emptyState(basis);
    // The first turn's summary failed: record that nothing is summarized yet under this configuration, so
    // the next turn's call is a catch-up, not taken for a change of type.
    if (phase === 'after-turn' && state === valid && old.turns === 0 && !(await context.conversation.loadState())) await context.conversation.saveState(old);
    return { state: old, call };
  }
  const next: MemoryState = { ...plan.next, summary: call.reply };
  await context.conversation.saveState(next);
  return { state: next, call };
}
