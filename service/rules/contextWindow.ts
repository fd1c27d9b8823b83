// g. The prompt this file would send now — templates, partials and the conversation stored for this
// workspace — no longer fits the model's context window once the reply's `max_tokens` is reserved. The
// endpoint rejects such a request (`context_length_exceeded`), or a local server silently truncates it.
// Counted with the model's real tokenizer, and only when it could plausibly be near: a sound upper bound
// first, then a generous estimate from sampled characters (which only misses text denser than three ASCII
// characters a token), then the exact count.

import type { Span } from '../../core/format/model';
import { lineEndOf } from '../../core/format/text';
import type { PromptContext } from '../context';
import { modelWindow, type ModelWindow } from '../tokens/contextWindows';
import { countPromptTokens, promptSize, roughSize, type PromptSize } from '../tokens/promptTokens';
import { analyze } from './analysis';
import type { Rule } from './rule';

export const contextWindowExceeded: Rule = {
  code: 'context-window-exceeded',
  severity: 'warning',
  check(ctx) {
    const window = modelWindow(ctx.config.model, ctx.settings.contextWindow);
    const reserved = ctx.config.parameters.max_tokens ?? 0;
    const budget = window.contextWindow - reserved;
    const rough = roughSize(ctx);
    if (rough.upperBound <= budget || rough.plausibleMaximum <= budget) return [];
    const size = promptSize(ctx);
    const counted = countPromptTokens(size, window.encoding);
    const tokens = counted ?? rough.estimate;
    if (tokens <= budget) return [];
    const measure = counted === undefined ? `about ${count(tokens)} tokens (estimated: the tokenizer is not installed)` : `${count(tokens)} tokens (${window.encoding})`;
    return [{ span: anchor(ctx, size), message: message(ctx, window, size, measure, reserved), data: { tokens, contextWindow: window.contextWindow } }];
  },
};

function message(ctx: PromptContext, window: ModelWindow, size: PromptSize, measure: string, reserved: number): string {
  const model = ctx.config.model ?? 'the model';
  const history = size.turnsInPrompt > 0 ? `With the ${count(size.turnsInPrompt)} turns stored for this workspace, the` : 'The';
  const withReply = reserved > 0 ? `, plus ${count(reserved)} reserved for the reply (max_tokens),` : '';
  const windowText = window.known
    ? `${model}'s ${count(window.contextWindow)}-token context window`
    : `the ${count(window.contextWindow)}-token context window configured for ${model} (setting promptChain.contextWindow)`;
  const advice = size.turnsInPrompt > 0
    ? 'Clear the conversation memory, use `memory.type: buffer_window` with a small `k`, or choose a model with a larger window.'
    : 'Shorten the prompt or choose a model with a larger window.';
  return `${history} formatted prompt is ${measure}${withReply} which exceeds ${windowText}: the endpoint will reject the request (context_length_exceeded) or cut the prompt. ${advice}`;
}

/** Where the history enters the prompt when it is the history that grew, else the model, else the body's start. */
function anchor(ctx: PromptContext, size: PromptSize): Span {
  const analysis = analyze(ctx);
  const memoryRef = analysis.memoryKey === undefined ? undefined : analysis.refsByName.get(analysis.memoryKey)?.[0];
  if (size.turnsInPrompt > 0 && memoryRef) return memoryRef.span;
  const model = ctx.prompt.frontMatter?.model;
  if (model) return model.span;
  const start = ctx.prompt.body.span.start;
  return { start, end: lineEndOf(ctx.prompt.text, start) };
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
