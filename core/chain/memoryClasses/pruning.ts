// The pruning ConversationTokenBufferMemory and ConversationSummaryBufferMemory do after saving a turn:
// count the buffer with the model's counter (get_num_tokens_from_messages) and, while it is over
// max_token_limit, pop the oldest message. The count of a list is the empty list's plus each message's, so
// it is kept per message — each stored message is counted once per counting rule, and a turn costs the
// messages it adds plus the kept ones, never the whole history.
//
// Popping after every turn and popping once after many turns stop at the same message (each step pops
// while the suffix up to that turn is over the limit; the suffix up to a later turn only counts more), so
// a catch-up over several pending turns, or a derivation from the full history, is one pass.

import type { Turn } from '../types';
import type { MessageCounter } from '../../tokens/messageTokens';
import { messageAt, messageCount } from './messages';

export interface Pruned {
  /** Messages pruned from the start of the list (popped, oldest first). */
  prunedMessages: number;
  /** get_num_tokens_from_messages of the kept messages. */
  tokens: number;
  /** Every count involved was exact (see MessageCounter.approximate). */
  exact: boolean;
}

/** Per turn, per counting rule: [input tokens, output tokens, both exact]. */
const turnCounts = new WeakMap<Turn, Map<string, readonly [number, number, boolean]>>();

function countsOf(turns: readonly Turn[], turnIndex: number, counter: MessageCounter): readonly [number, number, boolean] {
  const turn = turns[turnIndex]!;
  let byRule = turnCounts.get(turn);
  if (!byRule) turnCounts.set(turn, (byRule = new Map()));
  let counts = byRule.get(counter.key);
  if (!counts) {
    const input = counter.count(messageAt(turns, turnIndex * 2));
    const output = counter.count(messageAt(turns, turnIndex * 2 + 1));
    counts = [input.tokens, output.tokens, input.exact && output.exact];
    byRule.set(counter.key, counts);
  }
  return counts;
}

/** The tokens message `index` adds to a list, and whether exactly. */
export function messageTokens(turns: readonly Turn[], index: number, counter: MessageCounter): { tokens: number; exact: boolean } {
  const counts = countsOf(turns, index >> 1, counter);
  return { tokens: index % 2 === 0 ? counts[0] : counts[1], exact: counts[2] };
}

/** The kept messages' count when the first `prunedMessages` are pruned. */
export function keptTokens(turns: readonly Turn[], prunedMessages: number, counter: MessageCounter): Pruned {
  let tokens = counter.base;
  let exact = !counter.approximate;
  for (let i = prunedMessages; i < messageCount(turns); i++) {
    const counted = messageTokens(turns, i, counter);
    tokens += counted.tokens;
    exact &&= counted.exact;
  }
  return { prunedMessages, tokens, exact };
}

/**
 * Pops from `alreadyPruned` on while the kept messages count more than `limit`. Where LangChain would pop
 * from an empty list (a limit below the empty list's count) it raises IndexError; here the pruning stops
 * with nothing kept (the diagnostics flag such a limit).
 */
export function prune(turns: readonly Turn[], alreadyPruned: number, limit: number, counter: MessageCounter): Pruned {
  const kept = keptTokens(turns, alreadyPruned, counter);
  let { prunedMessages, tokens } = kept;
  const total = messageCount(turns);
  while (tokens > limit && prunedMessages < total) {
    tokens -= messageTokens(turns, prunedMessages, counter).tokens;
    prunedMessages++;
  }
  return { prunedMessages, tokens, exact: kept.exact };
}
