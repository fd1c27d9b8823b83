// ConversationBufferMemory and ConversationBufferWindowMemory over stored turns: what
// load_memory_variables returns, computed from the entries the memory store hands back. A history of
// exchanges only (every local conversation) is rendered incrementally; one with lone messages (a shared
// history's system message, an unpaired question) as LangChain's buffer would: the window keeps the last
// 2k *messages*, and the text is get_buffer_string (`System: …` for a system message).

import type { ChatMessage, HistoryEntry, MemoryConfig, Turn } from './types';
import { Attached } from './attached';
import { getBufferString, rememberBufferString, type PromptValue } from './format';
import { messageCount, messageRange, onlyTurns } from './entries';

/** LangChain's ConversationBufferWindowMemory default. */
export const defaultWindowSize = 5;

/** The turns the memory shows: all of them, or the last k exchanges for buffer_window. */
export function visibleTurns(turns: readonly Turn[], memory: MemoryConfig): readonly Turn[] {
  if (memory.type !== 'buffer_window') return turns;
  const k = memory.k ?? defaultWindowSize;
  // Python slices messages[-k * 2:] only when k > 0; k = 0 shows nothing.
  return k > 0 ? turns.slice(-k) : [];
}

/**
 * How many of the latest messages the buffer shows: all, or buffer_window's `messages[-k * 2:]` (only
 * when k > 0; k = 0 shows nothing). For exchanges only, twice visibleTurns.
 */
export function visibleMessageCount(entries: readonly HistoryEntry[], memory: MemoryConfig): number {
  const total = messageCount(entries);
  if (memory.type !== 'buffer_window') return total;
  const k = memory.k ?? defaultWindowSize;
  return k > 0 ? Math.min(total, 2 * k) : 0;
}

/** save_context stores the input as a human message, then the output as an ai message, raw. */
export function turnMessages(turns: readonly Turn[]): ChatMessage[] {
  // A plain loop: this runs over every stored turn on every turn, and flatMap is several times slower.
  const messages: ChatMessage[] = [];
  for (const turn of turns) messages.push({ type: 'human', content: turn.input }, { type: 'ai', content: turn.output });
  return messages;
}

/**
 * The memory variable: the message list with return_messages, else the buffer string ("" when empty).
 * Computed incrementally: a conversation's turns only ever grow (the store hands back the same array,
 * appended to), so each turn renders only what was added since the last one, not the whole history,
 * and only the form the prompt uses (a completion prompt never builds the message list).
 */
export function memoryValue(turns: readonly HistoryEntry[], memory: MemoryConfig): PromptValue {
  if (!onlyTurns(turns)) return mixedValue(turns, memory);
  const shown = visibleTurns(turns, memory);
  const history = historyOf(shown);
  return memory.returnMessages ? history.messages(shown) : history.text(shown, memory.humanPrefix, memory.aiPrefix);
}

/** The buffer of a history with lone messages: built from the message list, as LangChain builds it. */
function mixedValue(entries: readonly HistoryEntry[], memory: MemoryConfig): PromptValue {
  const total = messageCount(entries);
  const shown = messageRange(entries, total - visibleMessageCount(entries, memory), total);
  return memory.returnMessages ? shown : getBufferString(shown, memory.humanPrefix, memory.aiPrefix);
}

const histories = new Attached<readonly Turn[], HistoryCache>('prompt-chain history');

function historyOf(turns: readonly Turn[]): HistoryCache {
  const cache = histories.get(turns);
  // A shorter array than last time was cleared and refilled: start over.
  if (cache && cache.seen <= turns.length) return cache;
  const fresh = new HistoryCache();
  histories.set(turns, fresh);
  return fresh;
}

interface RenderedText {
  /** Turns rendered into `text`. */
  seen: number;
  text: string;
}

class HistoryCache {
  /** Turns made into `messageList`. */
  private messagesSeen = 0;
  private readonly messageList: ChatMessage[] = [];
  private readonly texts = new Map<string, RenderedText>();

  /** The most turns either form has seen: a shorter array than this was refilled. */
  get seen(): number {
    let seen = this.messagesSeen;
    for (const rendered of this.texts.values()) seen = Math.max(seen, rendered.seen);
    return seen;
  }

  messages(turns: readonly Turn[]): readonly ChatMessage[] {
    for (; this.messagesSeen < turns.length; this.messagesSeen++) {
      const turn = turns[this.messagesSeen]!;
      this.messageList.push({ type: 'human', content: turn.input }, { type: 'ai', content: turn.output });
    }
    // A chat prompt shows this list as get_buffer_string (default prefixes), which only a trace or a
    // preview reads: rendered then, for the turns there are now (the turn is appended before it is read).
    const count = turns.length;
    rememberBufferString(this.messageList, () => this.textOf(turns, count, 'Human', 'AI'));
    return this.messageList;
  }

  text(turns: readonly Turn[], humanPrefix: string, aiPrefix: string): string {
    return this.textOf(turns, turns.length, humanPrefix, aiPrefix);
  }

  /** The buffer string of turns[0..count), rendered only where it grew since it was last asked for. */
  private textOf(turns: readonly Turn[], count: number, humanPrefix: string, aiPrefix: string): string {
    const key = `${humanPrefix}\u0000${aiPrefix}`;
    let rendered = this.texts.get(key);
    if (!rendered) this.texts.set(key, (rendered = { seen: 0, text: '' }));
    if (rendered.seen < count) {
      const added = turnsBufferString(turns, rendered.seen, count, humanPrefix, aiPrefix);
      rendered.text = rendered.seen === 0 ? added : `${rendered.text}\n${added}`;
      rendered.seen = count;
    }
    if (rendered.seen === count) return rendered.text;
    // Rendered further already (a later turn's text was asked for first): this one is its start.
    if (count === 0) return '';
    let cut = 0;
    for (let i = count; i < rendered.seen; i++) cut += turnLength(turns[i]!, humanPrefix, aiPrefix);
    return rendered.text.slice(0, rendered.text.length - cut);
  }
}

/** The length a turn after the first adds to a buffer string: `\n{human}: {input}\n{ai}: {output}`. */
function turnLength(turn: Turn, humanPrefix: string, aiPrefix: string): number {
  return humanPrefix.length + aiPrefix.length + turn.input.length + turn.output.length + 6;
}

/**
 * get_buffer_string of turns[from..to) as human and ai messages, built with one join: the contents are
 * copied once into the result, with no per-message string made and thrown away.
 */
function turnsBufferString(turns: readonly Turn[], from: number, to: number, humanPrefix: string, aiPrefix: string): string {
  const human = `${humanPrefix}: `;
  const nextHuman = `\n${human}`;
  const ai = `\n${aiPrefix}: `;
  const parts = new Array<string>((to - from) * 4);
  for (let i = from, at = 0; i < to; i++, at += 4) {
    const turn = turns[i]!;
    parts[at] = i === from ? human : nextHuman;
    parts[at + 1] = turn.input;
    parts[at + 2] = ai;
    parts[at + 3] = turn.output;
  }
  return parts.join('');
}

/** load_memory_variables: `{ [memory.key]: value }`. */
export function loadMemoryVariables(turns: readonly HistoryEntry[], memory: MemoryConfig): Record<string, PromptValue> {
  return { [memory.key]: memoryValue(turns, memory) };
}
