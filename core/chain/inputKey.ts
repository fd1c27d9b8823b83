// Which template variable takes the chat input. LangChain decides with `input_key`, else the one input
// that is not a memory variable or `stop` (get_prompt_input_key), and fails with
// `One input key expected got [...]` — after the model call. We decide from the template before it.

import type { PromptBody } from '../format/model';
import type { ChainConfig } from './types';
import { ChainError } from './errors';
import { pyList } from './pyRepr';
import { normalizeName } from '../text/nameWords';

/** Every variable the prompt's templates use, each once, in source order (placeholders included). */
export function templateVariableNames(body: PromptBody): readonly string[] {
  // A parsed body never changes: every turn asks again, so the answer is kept with it.
  let names = variableNames.get(body);
  if (!names) {
    const templates = body.kind === 'completion' ? [body.template] : body.messages.map((message) => message.template);
    const unique = new Set<string>();
    for (const template of templates) for (const ref of template.variables) unique.add(ref.name);
    names = Object.freeze([...unique]);
    variableNames.set(body, names);
  }
  return names;
}

const variableNames = new WeakMap<PromptBody, readonly string[]>();

/** Variables that could take the input: not the memory key, not a partial, not `stop`. */
export function inputKeyCandidates(body: PromptBody, config: ChainConfig): string[] {
  // Asked on every turn: no set of the excluded names is built for it.
  const memoryKey = config.memory?.key;
  return templateVariableNames(body).filter((name) => name !== 'stop' && name !== memoryKey && !Object.hasOwn(config.partialVariables, name));
}

/**
 * The input key: `input_key`, else the one candidate left, else undefined (LangChain could not choose).
 * The one decider for every host: the engine (resolveInputKey), the language service's hovers and tokens,
 * the server's turnInputs. `mistaken` are candidates the caller knows to be misspellings of a provided
 * name (`{history}` for memory key `chat_history`: the service's near misses, each an error diagnostic);
 * the engine passes none, since it refuses a document with errors before it gets here.
 */
export function chooseInputKey(body: PromptBody, config: ChainConfig, mistaken: ReadonlySet<string> = noNames): string | undefined {
  if (config.inputKey) return config.inputKey;
  const candidates = inputKeyCandidates(body, config).filter((name) => !mistaken.has(name));
  return candidates.length === 1 ? candidates[0] : undefined;
}

const noNames: ReadonlySet<string> = new Set();

export function resolveInputKey(body: PromptBody, config: ChainConfig): string {
  const chosen = chooseInputKey(body, config);
  if (chosen !== undefined) return chosen;
  const candidates = inputKeyCandidates(body, config);
  throw new ChainError(
    'input-key',
    `One input key expected got ${pyList(candidates)}`,
    candidates.length === 0
      ? 'Add a variable for the chat input to the template, e.g. {input}.'
      : `Set \`input_key\` in the front matter to the variable that takes the chat input (one of ${candidates.join(', ')}).`,
  );
}

/** A value a turn takes besides the input; `required` is false when the file gives it one (a partial). */
export interface TurnVariable {
  name: string;
  required: boolean;
}

export interface TurnInputs {
  /** null when the engine cannot choose one (the turn fails with LangChain's "One input key expected"). */
  inputKey: string | null;
  /** Every other template variable a turn takes, in template order: never the input key, never memory's. */
  variables: TurnVariable[];
}

/** What a turn of the file needs from the person running it, as preparePrompt will gather it. */
export function turnInputsOf(body: PromptBody, config: ChainConfig): TurnInputs {
  const inputKey = chooseInputKey(body, config) ?? null;
  const memoryKey = config.memory?.key;
  const variables = templateVariableNames(body)
    .filter((name) => name !== inputKey && name !== memoryKey)
    .map((name) => ({ name, required: !Object.hasOwn(config.partialVariables, name) }));
  return { inputKey, variables };
}

/**
 * Names people give the human's words, most telling first (LangChain's own examples use the first two),
 * compared without case, spaces, `_` or `-`.
 */
const humanInputNames = ['humaninput', 'input', 'question', 'userinput', 'query'];

/**
 * The candidate named as the human's words, if one is: a preference only (the editor's quick fix, an
 * imported file's `input_key`), since LangChain itself never guesses.
 */
export function inputKeyByName(candidates: readonly string[]): string | undefined {
  // Each candidate normalized once: the first wanted name wins, then the first candidate that is it.
  const normalized = candidates.map(normalizeName);
  for (const wanted of humanInputNames) {
    const at = normalized.indexOf(wanted);
    if (at >= 0) return candidates[at];
  }
  return undefined;
}
