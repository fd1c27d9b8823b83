// What the hover over the memory variable says: the LangChain class and its parameters, the shape the
// prompt receives, and — from the host's MemoryView — what it holds now: the summary, how many messages
// are kept and pruned, the kept messages' tokens against `max_token_limit` (approximate for a model the
// tokenizer does not know), and a summary still owed.

import type { MemoryConfig, MemoryView } from '../../core/chain/types';
import type { PromptContext } from '../context';
import { countsTokens } from '../../core/chain/memoryClasses/kinds';
import { DEFAULT_MAX_TOKEN_LIMIT } from '../../core/chain/memoryClasses/summaryPrompt';
import { langChainClass } from '../rules/memorySettings';
import { currentView } from '../tokens/shownMemory';
import { groupedCount } from '../../core/text/count';

/** The hover's title after `{key}` — */
export function memoryTitle(memory: MemoryConfig | undefined): string {
  return memory?.type === 'summary' ? "the conversation's summary from memory" : 'conversation history from memory';
}

export function memoryDoc(ctx: PromptContext): string {
  const memory = ctx.config.memory;
  if (!memory) return '';
  return `${classLine(memory)}, ${shapeLine(memory)}\n\n${nowDoc(ctx, memory)}`;
}

function classLine(memory: MemoryConfig): string {
  const key = `\`memory_key="${memory.key}"\``;
  const limit = memory.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT;
  switch (memory.type) {
    case 'buffer':
      return `${langChainClass.buffer} (${key}): every exchange`;
    case 'buffer_window':
      return `${langChainClass.buffer_window} (${key}, \`k=${memory.k ?? 5}\`): the last ${memory.k ?? 5} exchanges`;
    case 'summary':
      return `${langChainClass.summary} (${key}): a running summary, rewritten by one model call after each turn`;
    case 'summary_buffer':
      return `${langChainClass.summary_buffer} (${key}, \`max_token_limit=${limit}\`): the latest messages within ${limit} tokens, older ones folded into a summary by a model call`;
    case 'token_buffer':
      return `${langChainClass.token_buffer} (${key}, \`max_token_limit=${limit}\`): the latest messages within ${limit} tokens; older ones leave the prompt (the store keeps them)`;
  }
}

function shapeLine(memory: MemoryConfig): string {
  if (memory.type === 'summary') {
    return memory.returnMessages
      ? 'as a list holding one SystemMessage with the summary (`return_messages: true`).'
      : 'as the summary text (`return_messages: false`), empty on the first turn.';
  }
  const summaryFirst = memory.type === 'summary_buffer' ? ', after a SystemMessage with the summary once there is one' : '';
  const summaryLine = memory.type === 'summary_buffer' ? ` (after a \`System: …\` line with the summary once there is one)` : '';
  return memory.returnMessages
    ? `as a list of messages (\`return_messages: true\`), one HumanMessage and one AIMessage per exchange${summaryFirst}.`
    : `as one string (\`return_messages: false\`): \`${memory.humanPrefix}: …\` and \`${memory.aiPrefix}: …\` lines${summaryLine}, empty on the first turn.`;
}

/** What the memory holds now, as far as the host has read the store. */
function nowDoc(ctx: PromptContext, memory: MemoryConfig): string {
  const stored = ctx.facts.storedTurns.length;
  if (memory.type === 'buffer' || memory.type === 'buffer_window') return turnsStored(stored);
  const view = currentView(ctx);
  const written = ctx.facts.memoryView;
  if (!view) {
    const rederive = written ? ` Its stored state was derived for \`type: ${written.type}\`: the next turn derives it again from the full history (one summary call at most).` : '';
    return `${turnsStored(stored)}${rederive}`;
  }
  return [keptLine(view), tokensLine(view, memory), summaryBlock(view), pendingLine(view)].filter((line) => line !== '').join('\n\n');
}

function turnsStored(count: number): string {
  if (count === 0) return 'No turns stored for this workspace yet.';
  return `${count} ${count === 1 ? 'turn' : 'turns'} stored for this workspace.`;
}

function keptLine(view: MemoryView): string {
  const stored = turnsStored(view.storedTurns);
  if (view.storedTurns === 0) return stored;
  if (view.type === 'summary') return `${stored.slice(0, -1)}, all of them in the summary.`;
  const kept = plural(view.keptMessages, 'message');
  const pruned = view.prunedMessages === 0 ? 'none pruned' : `${plural(view.prunedMessages, 'message')} pruned (${view.type === 'summary_buffer' ? 'summarized' : 'dropped from the prompt, kept in the store'})`;
  return `${stored.slice(0, -1)}: the prompt sees ${kept} verbatim, ${pruned}.`;
}

function tokensLine(view: MemoryView, memory: MemoryConfig): string {
  if (!countsTokens(view.type) || view.tokens === undefined) return '';
  const limit = view.maxTokenLimit ?? memory.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT;
  const approximate = view.approximate ? ' (approximate: the model is not one the tokenizer knows, so a fallback encoding counted them)' : '';
  return `Kept messages: ${groupedCount(view.tokens)} of ${groupedCount(limit)} tokens (\`max_token_limit\`)${approximate}.`;
}

function summaryBlock(view: MemoryView): string {
  if (view.type === 'token_buffer' || view.summary === undefined) return '';
  if (view.summary === '') return 'No summary yet.';
  const shown = view.summary.length > 500 ? `${view.summary.slice(0, 500)}…` : view.summary;
  const fence = shown.includes('```') ? '~~~~' : '```';
  return `Summary now:\n\n${fence}text\n${shown}\n${fence}`;
}

function pendingLine(view: MemoryView): string {
  if (!view.pendingSummary) return '';
  return '**Summary pending:** its call failed or was cancelled, or the type or limit changed; it is brought up to date before the next turn is formatted.';
}

function plural(value: number, noun: string): string {
  return `${groupedCount(value)} ${value === 1 ? noun : `${noun}s`}`;
}
