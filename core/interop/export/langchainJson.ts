// `--to langchain-json`: the prompt as LangChain serializes it, the `{"lc": 1, "type": "constructor", ...}`
// form of Python's `dumpd` / `dumps` (which LangChain Hub stores and `langchain_core.load.loads` reads).
// Python wins where LangChain.js differs: the ids are Python's (`["langchain", "prompts", ...]`, not JS's
// `langchain_core`), the kwargs are those `Serializable.to_json` keeps (required fields, and the others only
// when truthy or not their default, in field order), and the text is `dumps(prompt, pretty=True)` byte for
// byte: two-space indent and `ensure_ascii` escapes. LangChain.js loads it with
// `load(text, { importMap: { prompts } })` (docs/interop.md, "LangChain serialization").

import type { TemplateFormat } from '../../format/model';
import { parseTemplate } from '../../format/template';
import { pythonOrder, type LangChainMessage, type LangChainPrompt } from '../langchainPrompt';
import type { Exported } from '../types';

export interface SerializedConstructor {
  readonly lc: 1;
  readonly type: 'constructor';
  readonly id: readonly string[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** The classes a `.prompt` file becomes, with their Python ids (`get_lc_namespace()` + the class name). */
export const serializedIds = {
  PromptTemplate: ['langchain', 'prompts', 'prompt', 'PromptTemplate'],
  ChatPromptTemplate: ['langchain', 'prompts', 'chat', 'ChatPromptTemplate'],
  SystemMessagePromptTemplate: ['langchain', 'prompts', 'chat', 'SystemMessagePromptTemplate'],
  HumanMessagePromptTemplate: ['langchain', 'prompts', 'chat', 'HumanMessagePromptTemplate'],
  AIMessagePromptTemplate: ['langchain', 'prompts', 'chat', 'AIMessagePromptTemplate'],
  MessagesPlaceholder: ['langchain', 'prompts', 'chat', 'MessagesPlaceholder'],
} as const;

const messageClass = { system: 'SystemMessagePromptTemplate', human: 'HumanMessagePromptTemplate', ai: 'AIMessagePromptTemplate' } as const;

export function exportLangChainJson(d: LangChainPrompt): Exported {
  return { text: `${pythonJson(serializedPromptOf(d))}\n`, notCarried: chainSettingsNotCarried(d) };
}

/** What Python's `dumpd(prompt)` returns for the prompt the file describes. */
export function serializedPromptOf(d: LangChainPrompt): SerializedConstructor {
  const partials = Object.keys(d.partialVariables).length > 0 ? { partial_variables: escapedData({ ...d.partialVariables }) } : {};
  if (d.prompt.kind === 'prompt') {
    // PromptTemplate's fields in order: input_variables, partial_variables, template, template_format.
    return constructor('PromptTemplate', { input_variables: [...d.inputVariables], ...partials, ...templateKwargs(d.prompt.template, d.templateFormat) });
  }
  // ChatPromptTemplate has no template_format of its own: each message's PromptTemplate carries it.
  const messages = d.prompt.messages.map((message) => serializedMessageOf(message, d.templateFormat));
  return constructor('ChatPromptTemplate', { input_variables: [...d.inputVariables], ...partials, messages });
}

function serializedMessageOf(message: LangChainMessage, format: TemplateFormat): SerializedConstructor {
  // `optional` (False) and `n_messages` (None) are their defaults, and additional_kwargs ({}) is empty:
  // to_json leaves them out.
  if (message.kind === 'placeholder') return constructor('MessagesPlaceholder', { variable_name: message.variableName });
  const prompt = constructor('PromptTemplate', { input_variables: templateVariables(message.template, format), ...templateKwargs(message.template, format) });
  return constructor(messageClass[message.role], { prompt });
}

/**
 * langchain-core >= 1.2.5 `dumps` wraps a plain dict of user data that could pass for a LangChain object
 * (one with an `lc` key, or only `__lc_escaped__`) as `{"__lc_escaped__": {...}}`; both loaders unwrap it.
 * Of a prompt's kwargs only the partials are such a dict (a partial named `lc`).
 */
function escapedData(data: Record<string, string>): Record<string, unknown> {
  const keys = Object.keys(data);
  return keys.includes('lc') || (keys.length === 1 && keys[0] === '__lc_escaped__') ? { __lc_escaped__: data } : data;
}

function templateKwargs(template: string, format: TemplateFormat): { template: string; template_format: TemplateFormat } {
  // template_format is truthy, so to_json keeps it even at its default.
  return { template, template_format: format };
}

/** `get_template_variables(template, format)`: each variable once, sorted as Python sorts. */
function templateVariables(template: string, format: TemplateFormat): string[] {
  const parsed = parseTemplate(template, { start: 0, end: template.length }, format);
  return [...new Set(parsed.variables.map((variable) => variable.name))].sort(pythonOrder);
}

function constructor(name: keyof typeof serializedIds, kwargs: Record<string, unknown>): SerializedConstructor {
  return { lc: 1, type: 'constructor', id: [...serializedIds[name]], kwargs };
}

/**
 * Python's `json.dumps(value, indent=2)`: JSON.stringify's layout is the same (`,` at line ends, `": "`),
 * and `ensure_ascii` writes every character outside space..`~` as `\uXXXX` (lowercase, UTF-16 units);
 * JSON.stringify already escapes control characters and lone surrogates that way.
 */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line each for the chain settings a prompt's serialization cannot hold (it has no chain). */
export function chainSettingsNotCarried(d: LangChainPrompt): string[] {
  const lines: string[] = [];
  if (d.memory) {
    lines.push(`memory: ${d.memory.pythonClass} (memory_key "${d.memory.memoryKey}") — a serialized prompt holds no memory; --to python or --to typescript writes the chain with it`);
  }
  if (d.model.model !== undefined) lines.push(`model: ${d.model.model} — a serialized prompt holds no model`);
  const parameters = Object.keys(d.model.parameters);
  if (parameters.length > 0) lines.push(`parameters: ${parameters.join(', ')} — a serialized prompt holds no model call settings`);
  return lines;
}
