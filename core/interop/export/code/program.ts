// What the generated Python and TypeScript programs decide alike, asked by both writers so the two
// programs never disagree: the template's other variables, how the modern style prunes the history, which
// system message can be a plain message, and what neither program carries.

import type { CodeStyle } from '../../types';
import type { LangChainMemory, LangChainModel, LangChainPrompt } from '../../langchainPrompt';
import { SUMMARY_PROMPT } from '../../../chain/memoryClasses/summaryPrompt';

/** A template variable the program must give a value besides the input and the memory. */
export interface OtherVariable {
  readonly name: string;
  /** A placeholder takes a list of messages (empty), any other variable a string (empty). */
  readonly kind: 'messages' | 'text';
}

export function otherVariables(d: LangChainPrompt): OtherVariable[] {
  const placeholders = new Set(d.prompt.kind === 'chat' ? d.prompt.messages.flatMap((m) => (m.kind === 'placeholder' ? [m.variableName] : [])) : []);
  return d.inputVariables
    .filter((name) => name !== d.inputKey && name !== d.memory?.memoryKey)
    .map((name) => ({ name, kind: placeholders.has(name) ? 'messages' : 'text' }));
}

/**
 * How `trim_messages` keeps what the memory class keeps, in the modern style: the last 2k messages
 * (ConversationBufferWindowMemory's `buffer[-k * 2:]`), or the newest messages within max_token_limit
 * counted by the memory's model (ConversationTokenBufferMemory pops the oldest until the rest fits, which
 * leaves the same longest suffix). undefined: the whole history (buffer, summary).
 */
export type HistoryPruning = { readonly kind: 'messages'; readonly count: number } | { readonly kind: 'tokens'; readonly limit: number };

export function historyPruning(memory: LangChainMemory): HistoryPruning | undefined {
  if (memory.type === 'buffer_window') return { kind: 'messages', count: 2 * (memory.k ?? 0) };
  if (memory.type === 'token_buffer' || memory.type === 'summary_buffer') return { kind: 'tokens', limit: memory.maxTokenLimit ?? 0 };
  return undefined;
}

/**
 * A system message with no brace at all formats to itself: the notebook writes it as a plain
 * SystemMessage. Any brace (a variable, or an escaped `{{`) needs the template to be formatted.
 */
export function isPlainMessage(template: string): boolean {
  return !template.includes('{') && !template.includes('}');
}

/** The summary prompt to pass, or undefined when it is LangChain's own default. */
export function customSummaryPrompt(memory: LangChainMemory): string | undefined {
  return memory.summaryPrompt === undefined || memory.summaryPrompt === SUMMARY_PROMPT ? undefined : memory.summaryPrompt;
}

/** Whether the memory's own model is the chain's (the program then passes the same object). */
export function sameModel(left: LangChainModel, right: LangChainModel): boolean {
  return JSON.stringify([left.className, left.model, left.parameters]) === JSON.stringify([right.className, right.model, right.parameters]);
}

/**
 * Whether the program declares the memory's own model besides the chain's: it differs from it and the
 * program uses it (the classic memory class takes it; the modern program only to count tokens).
 */
export function declaresMemoryModel(d: LangChainPrompt, style: CodeStyle): boolean {
  const memory = d.memory;
  if (!memory?.llm || sameModel(memory.llm, d.model)) return false;
  return style === 'classic' || historyPruning(memory)?.kind === 'tokens';
}

/** The parameters in the order the programs write them. */
export const parameterOrder = ['temperature', 'max_tokens', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty'] as const;

/** One line each: what the generated program leaves out of the file's behaviour in Prompt Chain. */
export function codeNotCarried(d: LangChainPrompt, style: CodeStyle): string[] {
  const lines: string[] = [];
  if (d.memory) {
    lines.push('the stored conversation: the program starts with an empty memory on each run and keeps it for that run only');
  }
  const others = otherVariables(d);
  if (others.length > 0) {
    lines.push(`values for ${others.map((v) => `{${v.name}}`).join(', ')}: the program sends them empty; set them in \`variables\``);
  }
  if (style === 'modern' && d.memory?.type === 'summary') {
    lines.push('memory.type summary: RunnableWithMessageHistory has no summarizer; the modern program sends the whole conversation (use the classic style for ConversationSummaryMemory)');
  }
  if (style === 'modern' && d.memory?.type === 'summary_buffer') {
    lines.push('memory.type summary_buffer: RunnableWithMessageHistory has no summarizer; the modern program keeps the newest messages within max_token_limit and drops the summary of older ones (use the classic style for ConversationSummaryBufferMemory)');
  }
  return lines;
}
