// Which template variable takes the chat input. LangChain decides with `input_key`, else the one input
// that is not a memory variable or `stop` (get_prompt_input_key), and fails with
// `One input key expected got [...]` — after the model call. We decide from the template before it.

import type { PromptBody } from '../format/model';
import type { ChainConfig } from './types';
import { ChainError } from './errors';
import { pyList } from './pyRepr';

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
  const excluded = new Set(['stop', ...Object.keys(config.partialVariables)]);
  if (config.memory) excluded.add(config.memory.key);
  return templateVariableNames(body).filter((name) => !excluded.has(name));
}

export function resolveInputKey(body: PromptBody, config: ChainConfig): string {
  if (config.inputKey) return config.inputKey;
  const candidates = inputKeyCandidates(body, config);
  if (candidates.length === 1) return candidates[0]!;
  throw new ChainError(
    'input-key',
    `One input key expected got ${pyList(candidates)}`,
    candidates.length === 0
      ? 'Add a variable for the chat input to the template, e.g. {input}.'
      : `Set \`input_key\` in the front matter to the variable that takes the chat input (one of ${candidates.join(', ')}).`,
  );
}
