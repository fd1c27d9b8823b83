// The size of the prompt this file would send right now: the templates with the partials filled in, the
// stored conversation where the memory variable sits, and the user's input left empty. Chat prompts add
// the per-message overhead of OpenAI's chat format (3 tokens a message, 3 to prime the reply).

import type { Template } from '../../core/format/model';
import type { Turn } from '../../core/chain/types';
import type { PromptContext } from '../context';
import { analyze } from '../rules/analysis';
import { countTokens } from './tokenCounter';
import type { EncodingName } from './contextWindows';

const tokensPerMessage = 3;
const tokensToPrimeReply = 3;
/** Every `sampleStride`-th character decides how much of the text is non-ASCII. */
const sampleStride = 61;

export interface PromptSize {
  /** Per message the model receives (one for a completion prompt): its text, in pieces. */
  readonly messages: readonly (readonly string[])[];
  /** Chat format overhead, in tokens. */
  readonly overhead: number;
  /** The stored turns that are in the prompt (all of them, or the last k of a buffer window). */
  readonly turnsInPrompt: number;
}

/** What the formatted prompt is made of, piece by piece, for the exact count. */
export function promptSize(ctx: PromptContext): PromptSize {
  const turns = turnsInMemory(ctx);
  const turnsInPrompt = memoryUsed(ctx) ? turns.length : 0;
  const body = ctx.prompt.body;
  if (body.kind === 'completion') return { messages: [templatePieces(ctx, body.template, turns)], overhead: 0, turnsInPrompt };
  const messages: string[][] = [];
  const memoryKey = ctx.config.memory?.key;
  for (const message of body.messages) {
    if (message.role !== 'placeholder') messages.push(templatePieces(ctx, message.template, turns));
    else if (memoryKey !== undefined && message.placeholder?.name === memoryKey) {
      for (const turn of turns) messages.push([turn.input], [turn.output]);
    }
  }
  return { messages, overhead: messages.length * tokensPerMessage + tokensToPrimeReply, turnsInPrompt };
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
  const templates = body.kind === 'completion' ? [body.template] : body.messages.map((message) => message.template);
  const turns = turnsInMemory(ctx);
  const memoryKey = ctx.config.memory?.key;
  const refsByName = analyze(ctx).refsByName;
  const turnsAsMessages = body.kind === 'chat' && body.messages.some((m) => m.role === 'placeholder' && m.placeholder?.name === memoryKey);
  const turnTexts = turns.flatMap((turn) => [turn.input, turn.output]);
  let units = templates.reduce((sum, template) => sum + template.source.length, 0);
  if (memoryKey !== undefined) units += (refsByName.get(memoryKey)?.length ?? 0) * bufferLength(ctx, turns);
  for (const [name, value] of Object.entries(ctx.config.partialVariables)) units += (refsByName.get(name)?.length ?? 0) * value.length;
  if (turnsAsMessages) units += turnTexts.reduce((sum, text) => sum + text.length, 0);
  const messages = body.kind === 'completion' ? 0 : templates.length + (turnsAsMessages ? turnTexts.length : 0);
  const overhead = body.kind === 'completion' ? 0 : messages * tokensPerMessage + tokensToPrimeReply;
  const { ascii, other } = sampleShares([...templates.map((template) => template.source), ...turnTexts]);
  return {
    upperBound: units * 3 + overhead,
    plausibleMaximum: Math.ceil(units * (ascii / 3 + other)) + overhead,
    estimate: Math.ceil(units * (ascii / 4 + other)) + overhead,
  };
}

/** The shares of ASCII and other characters among every `sampleStride`-th character of `texts`. */
function sampleShares(texts: readonly string[]): { ascii: number; other: number } {
  let ascii = 0;
  let other = 0;
  let next = 0;
  let offset = 0;
  for (const text of texts) {
    for (; next < offset + text.length; next += sampleStride) {
      if (text.charCodeAt(next - offset) < 128) ascii++;
      else other++;
    }
    offset += text.length;
  }
  const samples = ascii + other;
  return samples === 0 ? { ascii: 0, other: 0 } : { ascii: ascii / samples, other: other / samples };
}

function bufferLength(ctx: PromptContext, turns: readonly Turn[]): number {
  const memory = ctx.config.memory;
  if (!memory || turns.length === 0) return 0;
  const perTurn = memory.humanPrefix.length + memory.aiPrefix.length + 5;
  return turns.reduce((sum, turn) => sum + turn.input.length + turn.output.length + perTurn, 0);
}

/** The exact count, or undefined when the tokenizer is not available. */
export function countPromptTokens(size: PromptSize, encoding: EncodingName): number | undefined {
  let total = size.overhead;
  for (const pieces of size.messages) {
    const count = countTokens(pieces.join(''), encoding);
    if (count === undefined) return undefined;
    total += count;
  }
  return total;
}

function turnsInMemory(ctx: PromptContext): readonly Turn[] {
  const memory = ctx.config.memory;
  const turns = ctx.facts.storedTurns;
  if (!memory) return [];
  if (memory.type === 'buffer_window' && memory.k !== undefined) return turns.slice(Math.max(0, turns.length - memory.k));
  return turns;
}

function memoryUsed(ctx: PromptContext): boolean {
  const key = ctx.config.memory?.key;
  const body = ctx.prompt.body;
  const templates = body.kind === 'completion' ? [body.template] : body.messages.map((message) => message.template);
  return key !== undefined && templates.some((template) => template.variables.some((ref) => ref.name === key));
}

/** A template's text with partials filled, the memory as its buffer string, other variables empty. */
function templatePieces(ctx: PromptContext, template: Template, turns: readonly Turn[]): string[] {
  const memoryKey = ctx.config.memory?.key;
  if (template.format === 'mustache') {
    // Counted from its source; the memory it names is added once per reference.
    const memoryRefs = template.variables.filter((ref) => ref.name === memoryKey).length;
    return [template.source, ...Array.from({ length: memoryRefs }, () => bufferString(ctx, turns))];
  }
  const partials = ctx.config.partialVariables;
  const pieces: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') pieces.push(part.text);
    else if (part.kind === 'mustache') pieces.push(part.source);
    else if (part.name === memoryKey) pieces.push(bufferString(ctx, turns));
    else if (Object.prototype.hasOwnProperty.call(partials, part.name)) pieces.push(partials[part.name] ?? '');
  }
  return pieces;
}

/** ConversationBufferMemory's buffer string: "Human: …\nAI: …" lines. */
function bufferString(ctx: PromptContext, turns: readonly Turn[]): string {
  const memory = ctx.config.memory;
  if (!memory) return '';
  return turns.map((turn) => `${memory.humanPrefix}: ${turn.input}\n${memory.aiPrefix}: ${turn.output}`).join('\n');
}
