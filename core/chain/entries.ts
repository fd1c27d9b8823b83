// A conversation's entries — exchanges and lone messages — as the message list LangChain's chat history
// holds (save_context stores an exchange as a human then an AI message; a lone message is itself),
// addressed by message index so memory can work on a range without building the whole list.
//
// A history of exchanges only (every local conversation) keeps the arithmetic it always had: message i
// is half of entry i >> 1. Only once a lone message appears is an index of where each entry starts
// built; it is kept per array and extended as the array grows in place, like memory's other caches.

import type { ChatMessage, HistoryEntry, LoneMessage, Turn } from './types';
import { Attached } from './attached';

export function isLone(entry: HistoryEntry): entry is LoneMessage {
  return (entry as Partial<LoneMessage>).lone !== undefined;
}

/** The entries' layout: how far it was scanned, and (once a lone message appeared) where each entry starts. */
interface Layout {
  scanned: number;
  messages: number;
  lone: number;
  /** starts[i]: the message index entry i starts at; built from the first lone message on. */
  starts?: number[];
}

const layouts = new Attached<readonly HistoryEntry[], Layout>('prompt-chain entry layout');

function layoutOf(entries: readonly HistoryEntry[]): Layout {
  let layout = layouts.get(entries);
  // A shorter array than scanned was refilled: scan again.
  if (!layout || layout.scanned > entries.length) layouts.set(entries, (layout = { scanned: 0, messages: 0, lone: 0 }));
  for (; layout.scanned < entries.length; layout.scanned++) {
    const entry = entries[layout.scanned]!;
    if (isLone(entry) && !layout.starts) layout.starts = Array.from({ length: layout.scanned }, (_, i) => 2 * i);
    layout.starts?.push(layout.messages);
    if (isLone(entry)) layout.lone++;
    layout.messages += isLone(entry) ? 1 : 2;
  }
  return layout;
}

/** Every entry is an exchange: the turn-only fast paths apply. */
export function onlyTurns(entries: readonly HistoryEntry[]): entries is readonly Turn[] {
  return layoutOf(entries).lone === 0;
}

export function loneCount(entries: readonly HistoryEntry[]): number {
  return layoutOf(entries).lone;
}

export function messageCount(entries: readonly HistoryEntry[]): number {
  return layoutOf(entries).messages;
}

/** The message index entry `entryIndex` starts at (the count of messages before it). */
export function messagesBefore(entries: readonly HistoryEntry[], entryIndex: number): number {
  const layout = layoutOf(entries);
  if (entryIndex >= entries.length) return layout.messages;
  return layout.starts ? layout.starts[entryIndex]! : 2 * entryIndex;
}

/** The entry holding message `index`, and the message's place in it (0, or 1 for an exchange's reply). */
export function entryOfMessage(entries: readonly HistoryEntry[], index: number): { entry: number; part: number } {
  const starts = layoutOf(entries).starts;
  if (!starts) return { entry: index >> 1, part: index & 1 };
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return { entry: low, part: index - starts[low]! };
}

export function entryMessage(entry: HistoryEntry, part: number): ChatMessage {
  if (isLone(entry)) return entry.lone;
  return part === 0 ? { type: 'human', content: entry.input } : { type: 'ai', content: entry.output };
}

/** Messages [from, to) of the entries, found once and walked (no search per message). */
export function messageRange(entries: readonly HistoryEntry[], from: number, to: number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (from >= to) return messages;
  let { entry, part } = entryOfMessage(entries, from);
  for (let i = from; i < to; i++) {
    const current = entries[entry]!;
    messages.push(entryMessage(current, part));
    if (isLone(current) || part === 1) {
      entry++;
      part = 0;
    } else part = 1;
  }
  return messages;
}

/** The whole message list: an exchange as its human and AI messages, a lone message as itself. */
export function entryMessages(entries: readonly HistoryEntry[]): ChatMessage[] {
  return messageRange(entries, 0, messageCount(entries));
}
