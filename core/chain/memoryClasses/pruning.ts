// The pruning ConversationTokenBufferMemory and ConversationSummaryBufferMemory do after saving a turn:
// count the buffer with the model's counter (get_num_tokens_from_messages) and, while it is over
// max_token_limit, pop the oldest message. The count of a list is the empty list's plus each message's, so
// it is kept per message — each stored message is counted once per counting rule, and a turn costs the
// messages it adds plus the kept ones, never the whole history.
//
// Popping after every turn and popping once after many turns stop at the same message (each step pops
// while the suffix up to that turn is over the limit; the suffix up to a later turn only counts more), so
// a catch-up over several pending turns, or a derivation from the full history, is one pass.

import type { HistoryEntry } from '../types';
import type { MessageCounter } from '../../tokens/messageTokens';
import { entryMessage, entryOfMessage, isLone } from '../entries';
import { messageCount } from './messages';

export interface Pruned {
  /** Messages pruned from the start of the list (popped, oldest first). */
  prunedMessages: number;
  /** get_num_tokens_from_messages of the kept messages. */
  tokens: number;
  /** Every count involved was exact (see MessageCounter.approximate). */
  exact: boolean;
}

/** Per entry, per counting rule: [first message's tokens, second's (0 for a lone message), all exact]. */
const entryCounts = new WeakMap<HistoryEntry, Map<string, readonly [number, number, boolean]>>();

function countsOf(entry: HistoryEntry, counter: MessageCounter): readonly [number, number, boolean] {
  let byRule = entryCounts.get(entry);
  if (!byRule) entryCounts.set(entry, (byRule = new Map()));
  let counts = byRule.get(counter.key);
  if (!counts) {
    const first = counter.count(entryMessage(entry, 0));
    const second = isLone(entry) ? { tokens: 0, exact: true } : counter.count(entryMessage(entry, 1));
    counts = [first.tokens, second.tokens, first.exact && second.exact];
    byRule.set(counter.key, counts);
  }
  return counts;
}

/**
 * Calls `visit` with the token count of each message [from, to), in order: found once and walked entry by
 * entry, so a turn costs one cached lookup per kept entry.
 */
function eachMessageTokens(entries: readonly HistoryEntry[], from: number, to: number, counter: MessageCounter, visit: (tokens: number, exact: boolean) => boolean | void): void {
  if (from >= to) return;
  let { entry, part } = entryOfMessage(entries, from);
  for (let i = from; i < to; entry++, part = 0) {
    const current = entries[entry]!;
    const counts = countsOf(current, counter);
    const size = isLone(current) ? 1 : 2;
    for (; part < size && i < to; part++, i++) if (visit(counts[part === 0 ? 0 : 1], counts[2]) === false) return;
  }
}

/** The kept messages' count when the first `prunedMessages` are pruned. */
export function keptTokens(entries: readonly HistoryEntry[], prunedMessages: number, counter: MessageCounter): Pruned {
  let tokens = counter.base;
  let exact = !counter.approximate;
  eachMessageTokens(entries, prunedMessages, messageCount(entries), counter, (counted, countedExact) => {
    tokens += counted;
    exact &&= countedExact;
  });
  return { prunedMessages, tokens, exact };
}

/**
 * Pops from `alreadyPruned` on while the kept messages count more than `limit`. Where LangChain would pop
 * from an empty list (a limit below the empty list's count) it raises IndexError; here the pruning stops
 * with nothing kept (the diagnostics flag such a limit).
 */
export function prune(entries: readonly HistoryEntry[], alreadyPruned: number, limit: number, counter: MessageCounter): Pruned {
  const kept = keptTokens(entries, alreadyPruned, counter);
  let { prunedMessages, tokens } = kept;
  if (tokens <= limit) return { prunedMessages, tokens, exact: kept.exact };
  eachMessageTokens(entries, prunedMessages, messageCount(entries), counter, (counted) => {
    tokens -= counted;
    prunedMessages++;
    return tokens > limit;
  });
  return { prunedMessages, tokens, exact: kept.exact };
}
