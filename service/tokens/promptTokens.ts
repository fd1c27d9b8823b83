// The size of the prompt this file would send right now: the templates with the partials filled in, the
// stored conversation where the memory variable sits, and the user's input left empty. Chat prompts add
// the per-message overhead of OpenAI's chat format (about 3 tokens a message, 3 to prime the reply).

import type { Template } from '../../core/format/model';
import type { Turn } from '../../core/chain/types';
import type { PromptContext } from '../context';
import { countTokens, tokenUpperBound } from './tokenCounter';
import type { EncodingName } from './contextWindows';

const tokensPerMessage = 3;
const tokensToPrimeReply = 3;

export interface PromptSize {
  /** The texts the model receives (one per message, history included). */
  readonly pieces: readonly string[];
  /** Chat format overhead, in tokens. */
  readonly overhead: number;
  /** The stored turns that are in the prompt (all of them, or the last k of a buffer window). */
  readonly turnsInPrompt: number;
}

/** What the formatted prompt is made of; cheap (no tokenizer). */
export function promptSize(ctx: PromptContext): PromptSize {
  const turns = turnsInMemory(ctx);
  const memory = ctx.config.memory;
  const body = ctx.prompt.body;
  if (body.kind === 'completion') {
    const pieces = [templateText(ctx, body.template, turns)];
    return { pieces, overhead: 0, turnsInPrompt: memoryUsed(ctx) ? turns.length : 0 };
  }
  const pieces: string[] = [];
  let messages = 0;
  for (const message of body.messages) {
    if (message.role === 'placeholder') {
      if (memory && message.placeholder?.name === memory.key) {
        for (const turn of turns) pieces.push(turn.input, turn.output);
        messages += turns.length * 2;
      }
      continue;
    }
    pieces.push(templateText(ctx, message.template, turns));
    messages++;
  }
  return { pieces, overhead: messages * tokensPerMessage + tokensToPrimeReply, turnsInPrompt: memoryUsed(ctx) ? turns.length : 0 };
}

/** Never below the real count: for deciding cheaply that a prompt certainly fits. */
export function upperBound(size: PromptSize): number {
  return size.pieces.reduce((sum, piece) => sum + tokenUpperBound(piece), size.overhead);
}

export function countPromptTokens(size: PromptSize, encoding: EncodingName): number {
  return size.pieces.reduce((sum, piece) => sum + countTokens(piece, encoding), size.overhead);
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
function templateText(ctx: PromptContext, template: Template, turns: readonly Turn[]): string {
  const memoryKey = ctx.config.memory?.key;
  if (template.format === 'mustache') {
    // Counted from its source; the memory it names is added once per reference.
    const memoryRefs = template.variables.filter((ref) => ref.name === memoryKey).length;
    return template.source + bufferString(ctx, turns).repeat(memoryRefs);
  }
  const partials = ctx.config.partialVariables;
  const pieces: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') pieces.push(part.text);
    else if (part.kind === 'mustache') pieces.push(part.source);
    else if (part.name === memoryKey) pieces.push(bufferString(ctx, turns));
    else if (Object.prototype.hasOwnProperty.call(partials, part.name)) pieces.push(partials[part.name] ?? '');
  }
  return pieces.join('');
}

/** ConversationBufferMemory's buffer string: "Human: …\nAI: …" lines. */
function bufferString(ctx: PromptContext, turns: readonly Turn[]): string {
  const memory = ctx.config.memory;
  if (!memory) return '';
  return turns.map((turn) => `${memory.humanPrefix}: ${turn.input}\n${memory.aiPrefix}: ${turn.output}`).join('\n');
}
