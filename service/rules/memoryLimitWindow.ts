// summary_buffer and token_buffer keep messages up to `max_token_limit` tokens (2000 when the file says
// nothing). When that limit, the templates and the reply's `max_tokens` together pass the model's context
// window, the prompt outgrows the window as the conversation grows, however well pruning works: the
// endpoint rejects the request (`context_length_exceeded`) long before the memory prunes anything.
// Tokenizes only when a sound upper bound of the templates does not already settle it.

import type { Located, Span } from '../../core/format/model';
import { turnWindow } from '../../core/tokens/contextWindows';
import type { Steps } from '../../core/steps';
import { countedRule } from './countedRule';
import type { PromptContext } from '../context';
import { layoutWithoutHistory, promptLayout, promptTokensSteps, templatesUpperBound } from '../tokens/promptTokens';
import { quickFix } from './edits';
import { setFrontMatterValue } from './frontMatterEdits';
import { countsTokens } from '../../core/chain/memoryClasses/kinds';
import { DEFAULT_MAX_TOKEN_LIMIT } from '../../core/chain/memoryClasses/summaryPrompt';
import { langChainClass, memoryDecl } from './memorySettings';
import type { Rule, RuleFinding } from './rule';
import { groupedCount } from '../../core/text/count';

export const memoryLimitWindow: Rule = {
  code: 'memory-limit-exceeds-window',
  severity: 'warning',
  ...countedRule({
    findings: findingsOf,
    settledUncounted,
    // Nothing is said before the templates are counted: the warning is only ever given on a real count.
    provisional: () => [],
  }),
  fixes(ctx, diagnostic) {
    const limit = (diagnostic.data as { limit?: unknown } | undefined)?.limit;
    if (typeof limit !== 'number') return [];
    const edits = setFrontMatterValue(ctx, ['memory', 'max_token_limit'], String(limit));
    return edits ? [quickFix(ctx, `Set memory.max_token_limit to ${limit}`, edits, diagnostic, true)] : [];
  },
};

interface Limits {
  readonly written: Located<number> | undefined;
  readonly limit: number;
  readonly window: ReturnType<typeof turnWindow>;
  readonly reserved: number;
  readonly budget: number;
}

/** The limit and the window, or undefined when the type keeps no token limit. */
function limitsOf(ctx: PromptContext): Limits | undefined {
  const memory = ctx.config.memory;
  if (!memory || !countsTokens(memory.type)) return undefined;
  const written = memoryDecl(ctx)?.maxTokenLimit;
  const limit = written?.value ?? memory.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT;
  const window = turnWindow(ctx.config.model, ctx.settings.contextWindow, ctx.settings.local, ctx.textDocument.uri);
  const reserved = ctx.config.parameters.max_tokens ?? 0;
  return { written, limit, window, reserved, budget: window.contextWindow - reserved };
}

/** Whether the answer is known without counting: no limit, or one that fits with any templates' count. */
function settledUncounted(ctx: PromptContext): boolean {
  const limits = limitsOf(ctx);
  return !limits || limits.limit + templatesUpperBound(ctx) <= limits.budget;
}

function* findingsOf(ctx: PromptContext): Steps<RuleFinding[]> {
  const limits = limitsOf(ctx);
  if (!limits || settledUncounted(ctx)) return [];
  const memory = ctx.config.memory;
  if (!memory) return [];
  const { written, limit, window, reserved, budget } = limits;
  const counted = yield* promptTokensSteps(layoutWithoutHistory(promptLayout(ctx)), window.encoding);
  if (!counted || limit + counted.tokens <= budget) return [];
  const model = window.model ?? 'the model';
  const fits = budget - counted.tokens;
  const limitText = written ? `\`max_token_limit: ${limit}\`` : `\`max_token_limit\` (not set: LangChain's default ${limit})`;
  const reply = reserved > 0 ? ` and ${groupedCount(reserved)} reserved for the reply (max_tokens)` : '';
  const advice = fits > 0 ? `Set \`max_token_limit\` to ${groupedCount(fits)} or less` : 'Shorten the prompt';
  const message = `${langChainClass[memory.type]} keeps messages up to ${limitText} tokens; with the prompt's ${groupedCount(counted.tokens)} tokens${reply} that passes ${model}'s ${groupedCount(window.contextWindow)}-token context window${window.known ? '' : ' (assumed)'}, so once the conversation grows the endpoint rejects the request (context_length_exceeded) before the memory prunes. ${advice}, or choose a model with a larger window.`;
  return [{ span: anchor(ctx, written?.span), message, ...(fits > 0 && { data: { limit: fits } }) }];
}

/** At the limit when it is written, else at `type:`. */
function anchor(ctx: PromptContext, limitSpan: Span | undefined): Span {
  const type = memoryDecl(ctx)?.type;
  return limitSpan ?? type?.span ?? memoryDecl(ctx)?.span ?? { start: 0, end: 0 };
}
