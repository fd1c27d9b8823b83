// What a summary or token-pruning memory puts where its variable sits, as the next turn's prompt will see
// it: the summary instead of the history (summary), a system message with the summary and the kept
// messages (summary_buffer), the kept messages only (token_buffer). Built from the host's MemoryView (or,
// when the host has read no state, the view the engine derives from the stored turns alone, kept per turn
// list) and the stored turns; bounded by the summary and `max_token_limit`, never by the length of the
// conversation, so it can be rebuilt per keystroke. buffer and buffer_window are counted per turn
// (./turnTokens.ts).

import { getBufferString } from '../../core/chain/format';
import type { ChatMessage, MemoryConfig, MemoryView, Turn } from '../../core/chain/types';
import { basisOf, memoryViewOf, planUpdate } from '../../core/chain/memoryClasses';
import type { PromptContext } from '../context';

export interface ShownMemory {
  /** The memory variable as text (`return_messages: false`), or the messages' buffer string. */
  readonly text: string;
  /** The memory variable as messages (for a `placeholder:`). */
  readonly messages: readonly ChatMessage[];
  /** The view it was built from. */
  readonly view: MemoryView;
}

const built = new WeakMap<PromptContext, ShownMemory | null>();

/** For summary, summary_buffer and token_buffer; undefined for the buffer types (their turns are counted per turn). */
export function shownMemory(ctx: PromptContext): ShownMemory | undefined {
  let shown = built.get(ctx);
  if (shown === undefined) {
    shown = buildShown(ctx) ?? null;
    built.set(ctx, shown);
  }
  return shown ?? undefined;
}

/** The host's view of the conversation, when it was derived for the memory type the file now has. */
export function currentView(ctx: PromptContext): MemoryView | undefined {
  const view = ctx.facts.memoryView;
  return view && view.type === ctx.config.memory?.type ? view : undefined;
}

function buildShown(ctx: PromptContext): ShownMemory | undefined {
  const memory = ctx.config.memory;
  if (!memory || memory.type === 'buffer' || memory.type === 'buffer_window') return undefined;
  const view = currentView(ctx) ?? derivedView(ctx, memory);
  const summary = view.summary ?? '';
  if (memory.type === 'summary') {
    // ConversationSummaryMemory returns one SystemMessage even while the summary is empty.
    return { text: summary, messages: [{ type: 'system', content: summary }], view };
  }
  const kept = keptMessages(ctx.facts.storedTurns, keptCount(ctx, memory, view));
  const messages: ChatMessage[] = memory.type === 'summary_buffer' && summary !== '' ? [{ type: 'system', content: summary }, ...kept] : kept;
  return { text: bufferText(messages, memory), messages, view };
}

/**
 * The messages the next prompt keeps. A summary owed by summary_buffer is made before that prompt is
 * formatted, and the messages it prunes leave the prompt then: what the engine's plan keeps, not the
 * backlog the view still shows verbatim (a conversation's whole history, after a change of type).
 */
function keptCount(ctx: PromptContext, memory: MemoryConfig, view: MemoryView): number {
  if (memory.type !== 'summary_buffer' || !view.pendingSummary) return view.keptMessages;
  const stored = ctx.facts.storedTurns.length * 2;
  return Math.min(view.keptMessages, stored - derived(ctx, memory).plannedPruned);
}

interface Derived {
  readonly turns: number;
  /** memoryViewOf without a saved state: no summary yet (token_buffer exact). */
  readonly view: MemoryView;
  /** Messages pruned once every owed pruning is done. */
  readonly plannedPruned: number;
}

const derivations = new WeakMap<readonly Turn[], Map<string, Derived>>();

/** What the engine makes of the stored turns alone: once per turn list, configuration and length, so a keystroke does not walk the history again. */
function derived(ctx: PromptContext, memory: MemoryConfig): Derived {
  const turns = ctx.facts.storedTurns;
  let byBasis = derivations.get(turns);
  if (!byBasis) derivations.set(turns, (byBasis = new Map()));
  const key = `${ctx.config.api}\0${JSON.stringify(basisOf(memory, ctx.config))}`;
  const known = byBasis.get(key);
  if (known?.turns === turns.length) return known;
  const view = memoryViewOf(turns, undefined, memory, ctx.config);
  const plannedPruned = planUpdate(turns, undefined, memory, ctx.config).plan.next.prunedMessages;
  const fresh = { turns: turns.length, view, plannedPruned };
  byBasis.set(key, fresh);
  return fresh;
}

function derivedView(ctx: PromptContext, memory: MemoryConfig): MemoryView {
  return derived(ctx, memory).view;
}

/** The last `count` messages of the stored turns (two per turn; pruning may leave half a turn). */
function keptMessages(turns: readonly Turn[], count: number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const firstTurn = Math.max(0, turns.length - Math.ceil(count / 2));
  for (let i = firstTurn; i < turns.length; i++) {
    const turn = turns[i]!;
    messages.push({ type: 'human', content: turn.input }, { type: 'ai', content: turn.output });
  }
  return messages.slice(Math.max(0, messages.length - count));
}

function bufferText(messages: readonly ChatMessage[], memory: MemoryConfig): string {
  return getBufferString(messages, memory.humanPrefix, memory.aiPrefix);
}
