// The size of the prompt this file would send right now: the templates with the partials filled in, the
// stored conversation where the memory variable sits, and the user's input left empty. Chat prompts add
// the per-message overhead of OpenAI's chat format (3 tokens a message, 3 to prime the reply).
//
// The stored turns are never rendered into one string here: their tokens are kept per turn and per
// conversation (./turnTokens.ts), so a keystroke costs the template, not the history. A summary or
// token-pruning memory puts in what it really shows (./shownMemory.ts): the summary, the kept messages.

import type { Template } from '../../core/format/model';
import { visibleTurns } from '../../core/chain/memory';
import type { PromptContext } from '../context';
import { analyze } from '../rules/analysis';
import type { EncodingName } from '../../core/tokens/contextWindows';
import { isSafeCut } from '../../core/tokens/safeCuts';
import type { Steps } from '../../core/steps';
import { countSteps, type TokenCount } from '../../core/tokens/tokenCounter';
import { linesCutApart, turnLine, turnStats, turnsTokens, sampleShares, type BufferFormat, type TurnStats, type TurnWindow } from './turnTokens';
import { shownMemory, type ShownMemory } from './shownMemory';

const tokensPerMessage = 3;
const tokensToPrimeReply = 3;

/** Where the buffer string of the stored turns goes in a message. */
const history = { kind: 'history' } as const;
type Piece = string | typeof history;

export interface PromptLayout {
  /** Per message the model receives (one for a completion prompt): its text in pieces. */
  readonly messages: readonly (readonly Piece[])[];
  /** How many chat placeholders put the stored turns in as messages of their own (two per turn). */
  readonly turnsAsMessages: number;
  /** The stored turns the prompt shows, and how their buffer string is written. */
  readonly window: TurnWindow;
  readonly format: BufferFormat;
  /** Chat format overhead, in tokens. */
  readonly overhead: number;
  /** The stored turns that are in the prompt (all of them, or the last k of a buffer window). */
  readonly turnsInPrompt: number;
  /** summary, summary_buffer, token_buffer: what the memory shows instead of the turns (none of them is in `window`). */
  readonly shown?: ShownMemory;
}

/** What the formatted prompt is made of, piece by piece, for the exact count; once per context (several rules ask). */
export function promptLayout(ctx: PromptContext): PromptLayout {
  let layout = layouts.get(ctx);
  if (!layout) layouts.set(ctx, (layout = computeLayout(ctx)));
  return layout;
}

const layouts = new WeakMap<PromptContext, PromptLayout>();

function computeLayout(ctx: PromptContext): PromptLayout {
  const window = turnWindow(ctx);
  const memory = shownMemory(ctx);
  const shownTurns = window.turns.length - window.from;
  const format = bufferFormat(ctx);
  const body = ctx.prompt.body;
  const turnsInPrompt = memoryUsed(ctx) ? shownTurns : 0;
  const shown = memory && memoryUsed(ctx) ? { shown: memory } : undefined;
  // With nothing stored (and no summary), the memory's references add nothing to the text.
  const historyShown = memory !== undefined || shownTurns > 0;
  if (body.kind === 'completion') return { messages: [templatePieces(ctx, body.template, historyShown)], turnsAsMessages: 0, window, format, overhead: 0, turnsInPrompt, ...shown };
  const messages: Piece[][] = [];
  const memoryKey = ctx.config.memory?.key;
  let turnsAsMessages = 0;
  for (const message of body.messages) {
    if (message.role !== 'placeholder') messages.push(templatePieces(ctx, message.template, historyShown));
    else if (memoryKey !== undefined && message.placeholder?.name === memoryKey) turnsAsMessages++;
  }
  const historyMessages = memory ? memory.messages.length : shownTurns * 2;
  const count = messages.length + turnsAsMessages * historyMessages;
  return { messages, turnsAsMessages, window, format, overhead: count * tokensPerMessage + tokensToPrimeReply, turnsInPrompt, ...shown };
}

/** The layout without the memory's history: what the templates and partials alone count. */
export function layoutWithoutHistory(layout: PromptLayout): PromptLayout {
  const { turns } = layout.window;
  const templates = layout.messages.length;
  const overhead = layout.overhead === 0 ? 0 : templates * tokensPerMessage + tokensToPrimeReply;
  return { messages: layout.messages, turnsAsMessages: 0, window: { turns, from: turns.length }, format: layout.format, overhead, turnsInPrompt: 0 };
}

/** How big the prompt can be, from the templates' sources and the stored turns, without building it. */
export interface RoughSize {
  /** Never below the real token count: a token is at least one UTF-8 byte, a UTF-16 unit at most three. */
  readonly upperBound: number;
  /**
   * A generous estimate from a sample of the characters: 3 ASCII characters or 1 other character per token
   * (real text averages about 4 and 1). A prompt whose estimate fits is not worth tokenizing.
   */
  readonly plausibleMaximum: number;
  /** A typical-text estimate (4 ASCII characters or 1 other character per token), for when no tokenizer loads. */
  readonly estimate: number;
}

export function roughSize(ctx: PromptContext): RoughSize {
  const body = ctx.prompt.body;
  const templates = templatesOf(ctx);
  const window = turnWindow(ctx);
  const shown = shownMemory(ctx);
  const turns = shown ? shown.messages.length / 2 : window.turns.length - window.from;
  const stats = shown ? shownStats(shown) : turnStats(window);
  const memory = ctx.config.memory;
  const refsByName = analyze(ctx).refsByName;
  const placeholders = body.kind === 'chat' ? body.messages.filter((m) => m.role === 'placeholder' && m.placeholder?.name === memory?.key).length : 0;
  let units = templates.reduce((sum, template) => sum + template.source.length, 0);
  if (memory && turns > 0) {
    const bufferLength = shown ? shown.text.length : stats.chars + turns * (memory.humanPrefix.length + memory.aiPrefix.length + 5);
    units += (refsByName.get(memory.key)?.length ?? 0) * bufferLength;
  }
  for (const [name, value] of Object.entries(ctx.config.partialVariables)) units += (refsByName.get(name)?.length ?? 0) * value.length;
  units += placeholders * stats.chars;
  const messages = body.kind === 'completion' ? 0 : templates.length + placeholders * turns * 2;
  const overhead = body.kind === 'completion' ? 0 : messages * tokensPerMessage + tokensToPrimeReply;
  const samples = templates.reduce((into, template) => sampleShares(template.source, into), { ascii: stats.asciiSamples, other: stats.otherSamples });
  const sampled = samples.ascii + samples.other;
  const ascii = sampled === 0 ? 0 : samples.ascii / sampled;
  const other = sampled === 0 ? 0 : samples.other / sampled;
  return {
    upperBound: units * 3 + overhead,
    plausibleMaximum: Math.ceil(units * (ascii / 3 + other)) + overhead,
    estimate: Math.ceil(units * (ascii / 4 + other)) + overhead,
  };
}

/** Never below what the templates and partials count without the history: three tokens per UTF-16 unit, plus the chat overhead. */
export function templatesUpperBound(ctx: PromptContext): number {
  const templates = templatesOf(ctx);
  const refsByName = analyze(ctx).refsByName;
  let units = templates.reduce((sum, template) => sum + template.source.length, 0);
  for (const [name, value] of Object.entries(ctx.config.partialVariables)) units += (refsByName.get(name)?.length ?? 0) * value.length;
  const overhead = ctx.prompt.body.kind === 'completion' ? 0 : templates.length * tokensPerMessage + tokensToPrimeReply;
  return units * 3 + overhead;
}

/** The exact count in steps (see tokenCounter.ts for the one estimate), or undefined when the tokenizer is not available. */
export function* promptTokensSteps(layout: PromptLayout, encoding: EncodingName): Steps<TokenCount | undefined> {
  let tokens = layout.overhead;
  let exact = true;
  const add = (count: TokenCount): void => {
    tokens += count.tokens;
    exact &&= count.exact;
  };
  for (const pieces of layout.messages) {
    const count = yield* messageTokens(pieces, layout, encoding);
    if (!count) return undefined;
    add(count);
  }
  if (layout.turnsAsMessages > 0 && layout.shown) {
    for (const message of layout.shown.messages) {
      const count = yield* countSteps(message.content, encoding);
      if (!count) return undefined;
      add({ tokens: count.tokens * layout.turnsAsMessages, exact: count.exact });
    }
  } else if (layout.turnsAsMessages > 0) {
    const { window } = layout;
    const count = yield* turnsTokens(window, window.from, window.turns.length, { kind: 'messages' }, encoding);
    if (!count) return undefined;
    add({ tokens: count.tokens * layout.turnsAsMessages, exact: count.exact });
  }
  return { tokens, exact };
}

/**
 * One message: its text pieces counted together, except that the stored turns between the first and the
 * last shown come from their kept counts. The first turn's line is counted with the text before it and
 * the last one's with the text after it when the cut between them is not safe.
 */
function* messageTokens(pieces: readonly Piece[], layout: PromptLayout, encoding: EncodingName): Steps<TokenCount | undefined> {
  const { window, format } = layout;
  let text = '';
  let tokens = 0;
  let exact = true;
  const add = (count: TokenCount | undefined): boolean => {
    if (!count) return false;
    tokens += count.tokens;
    exact &&= count.exact;
    return true;
  };
  for (const piece of pieces) {
    if (piece !== history) {
      text += piece;
      continue;
    }
    if (layout.shown) {
      text += layout.shown.text;
      continue;
    }
    const { turns, from } = window;
    if (turns.length === from) continue;
    if (!linesCutApart(format)) {
      text += Array.from(turns.slice(from), (turn) => turnLine(turn, format)).join('\n');
      continue;
    }
    // The first line starts with the human prefix: cut before it if that is safe.
    let first = from;
    if (text !== '' && !isSafeCut(`${text.slice(-1)}${format.humanPrefix}:`, 1)) {
      text += turnLine(turns[from]!, format) + (from < turns.length - 1 ? '\n' : '');
      first++;
    }
    if (first < turns.length) {
      if (!add(yield* countSteps(text, encoding))) return undefined;
      if (!add(yield* turnsTokens(window, first, turns.length - 1, { kind: 'line', format }, encoding))) return undefined;
      text = turnLine(turns[turns.length - 1]!, format);
    }
  }
  if (!add(yield* countSteps(text, encoding))) return undefined;
  return { tokens, exact };
}

function turnWindow(ctx: PromptContext): TurnWindow {
  const memory = ctx.config.memory;
  const turns = ctx.facts.storedTurns;
  if (!memory || shownMemory(ctx)) return { turns, from: turns.length };
  return { turns, from: turns.length - visibleTurns(turns, memory).length };
}

/** The shown memory's characters, as turn stats (a message pair counted as one turn). */
function shownStats(shown: ShownMemory): TurnStats {
  let chars = 0;
  const samples = { ascii: 0, other: 0 };
  for (const message of shown.messages) {
    chars += message.content.length;
    sampleShares(message.content, samples);
  }
  return { chars, asciiSamples: samples.ascii, otherSamples: samples.other };
}

function bufferFormat(ctx: PromptContext): BufferFormat {
  const memory = ctx.config.memory;
  return { humanPrefix: memory?.humanPrefix ?? 'Human', aiPrefix: memory?.aiPrefix ?? 'AI' };
}

function templatesOf(ctx: PromptContext): Template[] {
  const body = ctx.prompt.body;
  return body.kind === 'completion' ? [body.template] : body.messages.map((message) => message.template);
}

function memoryUsed(ctx: PromptContext): boolean {
  const key = ctx.config.memory?.key;
  return key !== undefined && analyze(ctx).refsByName.has(key);
}

/**
 * A template's text with partials filled, the memory as its buffer string (when `historyShown`), other
 * variables empty. Text between two memory references is one piece: a template of 40,000 `x{h}` with
 * nothing stored is one string, not 80,000 pieces.
 */
function templatePieces(ctx: PromptContext, template: Template, historyShown: boolean): Piece[] {
  const memoryKey = ctx.config.memory?.key;
  if (template.format === 'mustache') {
    // Counted from its source; the memory it names is added once per reference.
    const memoryRefs = historyShown ? template.variables.filter((ref) => ref.name === memoryKey).length : 0;
    return [template.source, ...Array.from({ length: memoryRefs }, () => history)];
  }
  const partials = ctx.config.partialVariables;
  const pieces: Piece[] = [];
  let text = '';
  for (const part of template.parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'mustache') text += part.source;
    else if (part.name !== memoryKey) text += Object.prototype.hasOwnProperty.call(partials, part.name) ? (partials[part.name] ?? '') : '';
    else if (historyShown) {
      if (text !== '') pieces.push(text);
      pieces.push(history);
      text = '';
    }
  }
  if (text !== '') pieces.push(text);
  return pieces;
}
