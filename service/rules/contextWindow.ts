// g. The prompt this file would send now — templates, partials and the conversation stored for this
// workspace — no longer fits the model's context window once the reply's `max_tokens` is reserved. The
// endpoint rejects such a request (`context_length_exceeded`), or a local server silently truncates it.
// Counted with the model's real tokenizer, and only when it could plausibly be near: a sound upper bound
// first, then a generous estimate from sampled characters (which only misses text denser than three ASCII
// characters a token), then the exact count — in steps (`prepare`), so the server can answer other requests
// while a big prompt or a long stored conversation is tokenized the first time. Each memory type counts
// what it really injects: the whole history, the last k turns, the summary, or the kept messages.

import type { Span } from '../../core/format/model';
import { lineEndOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { hintsFor } from '../hosts';
import { turnWindow } from '../../core/tokens/contextWindows';
import { promptLayout, promptTokensSteps, roughSize, type PromptLayout } from '../tokens/promptTokens';
import type { Steps } from '../../core/steps';
import { countedRule } from './countedRule';
import { maxRun } from '../../core/tokens/tokenCounter';
import { analyze } from './analysis';
import type { Rule, RuleFinding } from './rule';
import { groupedCount } from '../../core/text/count';

export const contextWindowExceeded: Rule = {
  code: 'context-window-exceeded',
  severity: 'warning',
  ...countedRule({
    findings: findingsOf,
    // Most prompts are far from their window: the bounds say so, and there is nothing to count.
    settledUncounted: (ctx) => sizeOf(ctx).fits,
    provisional(ctx) {
      const size = sizeOf(ctx);
      if (size.fits || size.rough.estimate <= size.budget) return [];
      return [finding(ctx, size, size.rough.estimate, 'about %s tokens (estimated; the exact count follows)')];
    },
  }),
};

interface Size {
  readonly window: ReturnType<typeof turnWindow>;
  readonly reserved: number;
  readonly budget: number;
  readonly rough: ReturnType<typeof roughSize>;
  /** The bounds alone tell the prompt fits: nothing to count. */
  readonly fits: boolean;
}

function sizeOf(ctx: PromptContext): Size {
  const window = turnWindow(ctx.config.model, ctx.settings.contextWindow, ctx.settings.local, ctx.textDocument.uri);
  const reserved = ctx.config.parameters.max_tokens ?? 0;
  const budget = window.contextWindow - reserved;
  const rough = roughSize(ctx);
  return { window, reserved, budget, rough, fits: rough.upperBound <= budget || rough.plausibleMaximum <= budget };
}

function* findingsOf(ctx: PromptContext): Steps<RuleFinding[]> {
  const size = sizeOf(ctx);
  if (size.fits) return [];
  const layout = promptLayout(ctx);
  const counted = yield* promptTokensSteps(layout, size.window.encoding);
  const tokens = counted?.tokens ?? size.rough.estimate;
  if (tokens <= size.budget) return [];
  const measure = counted === undefined
    ? 'about %s tokens (estimated: the tokenizer is not installed)'
    : counted.exact
      ? `%s tokens (${size.window.encoding})`
      : `about %s tokens (${size.window.encoding}; a run of over ${groupedCount(maxRun)} characters without a word break is estimated)`;
  return [finding(ctx, size, tokens, measure, layout)];
}

/** The finding for a prompt of `tokens`, measured as `measure` says (`%s` is the count). */
function finding(ctx: PromptContext, size: Size, tokens: number, measure: string, layout: PromptLayout = promptLayout(ctx)): RuleFinding {
  const { window, reserved } = size;
  return { span: anchor(ctx, layout), message: message(ctx, window, layout, measure.replace('%s', groupedCount(tokens)), reserved), data: { tokens, contextWindow: window.contextWindow } };
}

function message(ctx: PromptContext, window: ReturnType<typeof turnWindow>, size: PromptLayout, measure: string, reserved: number): string {
  const hints = hintsFor(ctx.settings);
  const model = window.model ?? 'the model';
  const history = historyPhrase(size);
  const withReply = reserved > 0 ? `, plus ${groupedCount(reserved)} reserved for the reply (max_tokens),` : '';
  const windowText = window.known
    ? `${model}'s ${groupedCount(window.contextWindow)}-token context window`
    : `the ${groupedCount(window.contextWindow)}-token context window ${hints.unknownWindow} for ${model}`;
  const advice = !historyInPrompt(size)
    ? 'Shorten the prompt or choose a model with a larger window.'
    : size.shown?.view?.type === 'summary'
      ? `The summary itself is that long: ${lowerFirst(hints.clearMemory)}, or choose a model with a larger window.`
      : size.shown
        ? `Lower \`memory.max_token_limit\`, ${lowerFirst(hints.clearMemory)}, or choose a model with a larger window.`
        : `${hints.clearMemory}, use \`memory.type: buffer_window\` with a small k, or \`summary_buffer\` with a \`max_token_limit\`, or choose a model with a larger window.`;
  return `${history} formatted prompt is ${measure}${withReply} which exceeds ${windowText}: the endpoint will reject the request (context_length_exceeded) or cut the prompt. ${advice}`;
}

/** "With the 12 turns stored for this workspace, the", "With the summary and the 6 messages memory keeps, the", or "The". */
function historyPhrase(size: PromptLayout): string {
  if (!historyInPrompt(size)) return 'The';
  const view = size.shown?.view;
  if (!view) return `With the ${groupedCount(size.turnsInPrompt)} ${size.turnsInPrompt === 1 ? 'turn' : 'turns'} stored for this workspace, the`;
  const kept = `the ${groupedCount(view.keptMessages)} ${view.keptMessages === 1 ? 'message' : 'messages'} memory keeps`;
  if (view.type === 'summary') return 'With the summary memory holds, the';
  if (view.type === 'summary_buffer' && view.summary) return `With the summary and ${kept}, the`;
  return `With ${kept}, the`;
}

/** Whether the stored conversation is part of the prompt now (the turns, the summary, the kept messages). */
function historyInPrompt(size: PromptLayout): boolean {
  return size.turnsInPrompt > 0 || (size.shown !== undefined && size.shown.text !== '');
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** Where the history enters the prompt when it is the history that grew, else the model, else the body's start. */
function anchor(ctx: PromptContext, size: PromptLayout): Span {
  const analysis = analyze(ctx);
  const memoryRef = analysis.memoryKey === undefined ? undefined : analysis.refsByName.get(analysis.memoryKey)?.[0];
  if (historyInPrompt(size) && memoryRef) return memoryRef.span;
  const model = ctx.prompt.frontMatter?.model;
  if (model) return model.span;
  const start = ctx.prompt.body.span.start;
  return { start, end: lineEndOf(ctx.prompt.text, start) };
}
