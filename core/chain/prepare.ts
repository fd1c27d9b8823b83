// Everything a turn does before the model call, as one pure step: refuse a broken document, pick the
// input key, gather the values (partials < variables < input < memory, as LangChain merges them), check
// that none is missing and format. `prompt-chain run --dry-run` and the editor's preview stop here.

import type { PromptDocument } from '../format/model';
import { LineIndex } from '../format/lineIndex';
import type { ChainConfig, ChatMessage, HistoryEntry, MemoryState } from './types';
import { ChainError } from './errors';
import { formatPrompt, missingInputError, ownValue, type PromptValue } from './format';
import { resolveInputKey, templateVariableNames } from './inputKey';
import { assertMemoryRunnable, memoryVariables } from './memoryClasses';

export interface PromptInputs {
  /** The chat input: the value of the input key, and what memory stores as the human turn. */
  input: string;
  /** Values for the template's other variables. */
  variables?: Readonly<Record<string, string>>;
  /** The conversation's stored entries (turns and lone messages), oldest first (ignored when memory is off). */
  turns?: readonly HistoryEntry[];
  /** The memory class's saved state (summary, summary_buffer, token_buffer); ignored by the buffer types. */
  memoryState?: MemoryState;
}

export interface PreparedPrompt {
  inputKey: string;
  /** The prompt as text: PromptTemplate.format, or get_buffer_string of the chat messages. */
  prompt: string;
  /** Chat api only: the messages to send (a completion body becomes one human message, as in LangChain). */
  messages?: ChatMessage[];
  /** Chat api only: `messages` as the lists they were gathered from (see ModelRequest.messageParts). */
  messageParts?: readonly (readonly ChatMessage[])[];
  /** Completion api only: `prompt` as the pieces it was joined from (see ModelRequest.promptParts). */
  promptParts?: readonly string[];
}

export function preparePrompt(doc: PromptDocument, config: ChainConfig, inputs: PromptInputs): PreparedPrompt {
  assertRunnable(doc);
  assertMemoryRunnable(config.memory);
  const inputKey = resolveInputKey(doc.body, config);
  const values: Record<string, PromptValue> = {
    ...config.partialVariables,
    ...inputs.variables,
    [inputKey]: inputs.input,
    ...(config.memory ? memoryVariables(inputs.turns ?? [], config.memory, config, inputs.memoryState) : {}),
  };
  const missing = templateVariableNames(doc.body).filter((name) => ownValue(values, name) === undefined);
  if (missing.length > 0) throw missingInputError(missing);
  const formatted = formatPrompt(doc.body, values);
  if (config.api !== 'chat') {
    return { inputKey, prompt: formatted.prompt, ...(formatted.promptParts ? { promptParts: formatted.promptParts } : {}) };
  }
  if (!formatted.messages) return { inputKey, prompt: formatted.prompt, messages: [{ type: 'human', content: formatted.prompt }] };
  // The formatted messages as they are: their text is rendered only when read (lazyText.ts).
  return Object.assign(formatted, { inputKey });
}

/** A document with errors would format into something the author did not write: refuse it, once, clearly. */
export function assertRunnable(doc: PromptDocument): void {
  const errors = doc.problems.filter((problem) => problem.severity === 'error');
  const first = errors[0];
  if (!first) return;
  const line = new LineIndex(doc.text).positionAt(first.span.start).line + 1;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new ChainError(
    'invalid-prompt',
    `Cannot run a prompt with errors: line ${line}: ${first.message}${more}; fix them and run the turn again.`,
  );
}
