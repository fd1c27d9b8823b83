// A `max_token_limit` too low for the pruning memories (summary_buffer, token_buffer). After each turn
// LangChain pops the oldest message while the buffer counts more than the limit; a chat model counts an
// empty buffer as 3 tokens, so a limit below that pops from an empty list (IndexError) after the reply was
// paid for — an error. A limit below what the smallest exchange counts prunes every exchange as soon as it
// is saved: the prompt never sees a message verbatim (and summary_buffer calls the model every turn).

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { MemoryConfig } from '../../core/chain/types';
import { modelWindow } from '../../core/tokens/contextWindows';
import type { PromptContext } from '../context';
import { emptyBufferTokens, smallestExchangeTokens } from '../tokens/memoryTokens';
import { setFrontMatterValue } from './frontMatterEdits';
import { quickFix } from './edits';
import { langChainClass, memoryDecl, prunesByTokens } from './memorySettings';
import type { Rule } from './rule';

export const memoryLimitTooLow: Rule = {
  code: 'memory-limit-too-low',
  severity: 'error',
  check(ctx) {
    const written = memoryDecl(ctx)?.maxTokenLimit;
    const memory = ctx.config.memory;
    if (!written || !memory || !prunesByTokens(memory.type)) return [];
    const limit = written.value;
    const empty = emptyBufferTokens(ctx.config.api);
    const smallest = smallestExchangeTokens(ctx.config.api, memory, modelWindow(countingModel(ctx, memory), ctx.settings.contextWindow).encoding);
    const span = written.span;
    if (limit < empty) return [{ span, message: belowEmpty(memory, limit, empty, smallest), data: fixData(smallest) }];
    if (smallest !== undefined && limit < smallest) return [{ span, severity: 'information', message: belowExchange(memory, limit, smallest), data: fixData(smallest) }];
    return [];
  },
  fixes(ctx, diagnostic) {
    const minimum = (diagnostic.data as { minimum?: unknown } | undefined)?.minimum;
    if (typeof minimum !== 'number') return [];
    const edits = setFrontMatterValue(ctx, ['memory', 'max_token_limit'], String(minimum));
    return edits ? [quickFix(ctx, `Set memory.max_token_limit to ${minimum}`, edits, diagnostic, diagnostic.severity === DiagnosticSeverity.Error)] : [];
  },
};

/** The model whose counter the memory uses: the summarizer's for summary_buffer, else the chain's. */
function countingModel(ctx: PromptContext, memory: MemoryConfig): string | undefined {
  return memory.type === 'summary_buffer' ? memory.summaryModel ?? ctx.config.model : ctx.config.model;
}

function fixData(smallest: number | undefined): Record<string, unknown> | undefined {
  return smallest === undefined ? undefined : { minimum: smallest };
}

function belowEmpty(memory: MemoryConfig, limit: number, empty: number, smallest: number | undefined): string {
  const at = smallest === undefined ? '' : ` (one short exchange counts ${smallest})`;
  return `\`max_token_limit: ${limit}\` is below what an empty chat buffer counts (${empty} tokens, to prime the reply): after the first reply ${langChainClass[memory.type]} pops every message and then pops from the empty list, raising \`IndexError: pop from empty list\` after the model was paid for. Set \`max_token_limit\` well above ${empty}${at}.`;
}

function belowExchange(memory: MemoryConfig, limit: number, smallest: number): string {
  const effect = memory.type === 'summary_buffer'
    ? 'moves every exchange into the summary as soon as it is saved: one summary call per turn, and the prompt sees only the summary'
    : 'drops every exchange as soon as it is saved: the prompt never sees any history';
  return `\`max_token_limit: ${limit}\` is below what the shortest exchange counts (${smallest} tokens), so ${langChainClass[memory.type]} ${effect}. Raise \`max_token_limit\` if you meant to keep recent messages.`;
}
