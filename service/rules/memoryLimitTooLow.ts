// A `max_token_limit` too low for the pruning memories (summary_buffer, token_buffer). After each turn
// LangChain pops the oldest message while the buffer counts more than the limit; a chat model counts an
// empty buffer as 3 tokens, so a limit below that pops from an empty list (IndexError) after the reply was
// paid for — an error. A limit below what the smallest exchange counts prunes every exchange as soon as it
// is saved: the prompt never sees a message verbatim (and summary_buffer calls the model every turn).
// Counted with the memory's own counter (core/tokens/messageTokens.ts), as the engine prunes.

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { MemoryConfig } from '../../core/chain/types';
import { counterFor } from '../../core/chain/memoryClasses';
import { countsTokens } from '../../core/chain/memoryClasses/kinds';
import { countMessages } from '../../core/tokens/messageTokens';
import { setFrontMatterValue } from './frontMatterEdits';
import { quickFix } from './edits';
import { langChainClass, memoryDecl } from './memorySettings';
import type { Rule } from './rule';

/** The shortest exchange there is: a one-token input and a one-token reply (`x` is one token in every encoding). */
const shortestExchange = [{ type: 'human', content: 'x' }, { type: 'ai', content: 'x' }] as const;
/** Above what the shortest exchange counts under any counting rule (15 at most): nothing to count. */
const surelyEnough = 64;

export const memoryLimitTooLow: Rule = {
  code: 'memory-limit-too-low',
  severity: 'error',
  check(ctx) {
    const written = memoryDecl(ctx)?.maxTokenLimit;
    const memory = ctx.config.memory;
    if (!written || !memory || !countsTokens(memory.type)) return [];
    const limit = written.value;
    if (limit >= surelyEnough) return [];
    const counter = counterFor(memory, ctx.config);
    const smallest = countMessages(counter, shortestExchange).tokens;
    const data = { minimum: smallest };
    if (limit < counter.base) return [{ span: written.span, message: belowEmpty(memory, limit, counter.base, smallest), data }];
    if (limit < smallest) return [{ span: written.span, severity: 'information', message: belowExchange(memory, limit, smallest), data }];
    return [];
  },
  fixes(ctx, diagnostic) {
    const minimum = (diagnostic.data as { minimum?: unknown } | undefined)?.minimum;
    if (typeof minimum !== 'number') return [];
    const edits = setFrontMatterValue(ctx, ['memory', 'max_token_limit'], String(minimum));
    return edits ? [quickFix(ctx, `Set memory.max_token_limit to ${minimum}`, edits, diagnostic, diagnostic.severity === DiagnosticSeverity.Error)] : [];
  },
};

function belowEmpty(memory: MemoryConfig, limit: number, empty: number, smallest: number): string {
  return `\`max_token_limit: ${limit}\` is below what an empty chat buffer counts (${empty} tokens, to prime the reply): after the first reply ${langChainClass[memory.type]} pops every message and then pops from the empty list, raising \`IndexError: pop from empty list\` after the model was paid for. Set \`max_token_limit\` well above ${empty} (one short exchange counts ${smallest}).`;
}

function belowExchange(memory: MemoryConfig, limit: number, smallest: number): string {
  const effect = memory.type === 'summary_buffer'
    ? 'moves every exchange into the summary as soon as it is saved: one summary call per turn, and the prompt sees only the summary'
    : 'drops every exchange as soon as it is saved: the prompt never sees any history';
  return `\`max_token_limit: ${limit}\` is below what the shortest exchange counts (${smallest} tokens), so ${langChainClass[memory.type]} ${effect}. Raise \`max_token_limit\` if you meant to keep recent messages.`;
}
