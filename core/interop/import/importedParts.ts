// What the Prompty and Dotprompt importers share: literal text as f-string text, a message's text as a
// `.prompt` message holds it, the model parameters our front matter accepts, and which variable takes the
// chat input (with the source's defaults as partials), and their YAML read with the front matter's guards.
// Each is decided here once, for every reader.

import type { ModelParameters } from '../../format/model';
import { parametersSchema } from '../../format/schema';
import { inputKeyByName } from '../../chain/inputKey';
import { LineIndex } from '../../format/lineIndex';
import { MAX_YAML_DEPTH, parseYaml } from '../../format/yamlDocument';
import { InteropError } from '../types';

/** Literal text as an f-string template holds it: `{` and `}` doubled, so our engine formats it back unchanged. */
export function fstringLiteral(text: string): string {
  return text.replace(/[{}]/g, (brace) => brace + brace);
}

/**
 * A message's text as a `.prompt` message holds it: whitespace-only lines at either end dropped (the
 * parser drops them; Prompty trims them too, Dotprompt keeps the line break before the next role).
 */
export function trimBlankEdgeLines(text: string): string {
  const lines = text.split('\n');
  let first = 0;
  let last = lines.length;
  while (first < last && (lines[first] ?? '').trim() === '') first += 1;
  while (last > first && (lines[last - 1] ?? '').trim() === '') last -= 1;
  return lines.slice(first, last).join('\n');
}

/** A name the source writes as a variable that an f-string field (and our parser) reads as the same name. */
export function isPlainVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name);
}

/** One source setting for one of our `parameters` keys: where it was written (for the notCarried line) and its value. */
export interface SourceParameter {
  readonly key: keyof ModelParameters;
  readonly source: string;
  readonly value: unknown;
}

/** The parameters our schema accepts; a value of the wrong type or out of range is listed instead, never written. */
export function parametersOf(settings: readonly SourceParameter[], notCarried: string[]): ModelParameters {
  const parameters: Record<string, unknown> = {};
  for (const setting of settings) {
    const value = setting.key === 'stop' && typeof setting.value === 'string' ? [setting.value] : setting.value;
    const problem = parameterProblem(setting.key, value);
    if (problem === undefined) parameters[setting.key] = value;
    else notCarried.push(`\`${setting.source}\`: ${problem}, so it is left out.`);
  }
  return parameters as ModelParameters;
}

function parameterProblem(key: keyof ModelParameters, value: unknown): string | undefined {
  const field = parametersSchema.find((candidate) => candidate.key === key);
  if (!field) return 'not a parameter Prompt Chain sends';
  if (field.kind === 'string-or-string-list') {
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'not a list of strings';
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a number';
  if (field.kind === 'integer' && !Number.isInteger(value)) return 'not an integer';
  if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
    return `${value} is outside ${field.min ?? '-∞'} to ${field.max ?? '∞'}`;
  }
  return undefined;
}

/** The variables of one message (or of the completion template), in source order; a placeholder's own. */
export interface MessageVariables {
  readonly role: 'system' | 'human' | 'ai' | 'placeholder';
  readonly names: readonly string[];
}

export interface InputChoice {
  /** The source's defaults of the variables that do not take the input (LangChain lets a value override a partial). */
  readonly partialVariables: Record<string, string>;
  /** Set when more than one variable is left for the input: the file alone would not choose. */
  readonly inputKey?: string;
}

/**
 * Which variable takes the chat input: of those without a default, one named like the human's words
 * (`input`, `question`, ...), else the last one of the last human message (the user's turn), else the last
 * one anywhere; with none, the same among those with a default, whose
 * default is then not carried (an input takes no partial). The other defaults become partials.
 */
export function inputChoiceOf(messages: readonly MessageVariables[], defaults: ReadonlyMap<string, string>, notCarried: string[]): InputChoice {
  const names = [...new Set(messages.filter((message) => message.role !== 'placeholder').flatMap((message) => message.names))];
  const free = names.filter((name) => !defaults.has(name));
  const input = likeliestInput(messages, free) ?? likeliestInput(messages, names.filter((name) => defaults.has(name)));
  const partialVariables: Record<string, string> = {};
  const used = new Set(names);
  for (const [name, value] of defaults) {
    if (name === input) notCarried.push(`The default of \`${name}\` (${JSON.stringify(value)}): it takes the chat input, which a partial cannot.`);
    else if (used.has(name)) partialVariables[name] = value;
  }
  const candidates = names.filter((name) => !Object.hasOwn(partialVariables, name));
  return candidates.length > 1 && input !== undefined ? { partialVariables, inputKey: input } : { partialVariables };
}

function likeliestInput(messages: readonly MessageVariables[], among: readonly string[]): string | undefined {
  if (among.length === 0) return undefined;
  const named = inputKeyByName(among);
  if (named !== undefined) return named;
  const humans = messages.filter((message) => message.role === 'human');
  // A set: a message may hold thousands of variables, and `among` as many (linear, not their product).
  const amongSet = new Set(among);
  const lastHuman = humans[humans.length - 1]?.names.filter((name) => amongSet.has(name)) ?? [];
  return lastHuman[lastHuman.length - 1] ?? among[among.length - 1];
}

/**
 * Another tool's YAML (`what` names it: "The Dotprompt front matter") as plain values, read as our own front
 * matter is (core/format/yamlDocument.ts): nesting and the error count bounded, so a hostile file costs
 * linear time; no warning reaches the console; the first error refuses the file with its line.
 */
export function importedYaml(yaml: string, what: string): unknown {
  const parsed = parseYaml(yaml);
  const line = (offset: number) => new LineIndex(yaml).positionAt(offset).line + 1;
  if (parsed.kind === 'too-deep') throw new InteropError('invalid-source', `${what} nests deeper than ${MAX_YAML_DEPTH} levels (line ${line(parsed.offset)}).`);
  if (parsed.kind === 'too-many-errors') throw new InteropError('invalid-source', `${what} is not valid YAML: too many errors (the first on line ${line(parsed.offset)}).`);
  const [error] = parsed.doc.errors;
  if (error) throw new InteropError('invalid-source', `${what} is not valid YAML: ${error.message.split('\n')[0]}`);
  return parsed.doc.toJS({ maxAliasCount: 100 });
}
