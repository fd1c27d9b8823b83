// The reader both LangChain importers share, once the file is parsed (JSON or YAML): LangChain's serialized
// constructor form (LangChain.js `toJSON()`, Python `dumpd`, a LangChain Hub manifest, bare or in the
// `{"manifest": ...}` wrapper the Hub API answers with) and the `prompt.save()` dict (`_type: prompt`).
// Only what a `.prompt` file means the same way is carried: PromptTemplate, ChatPromptTemplate with system,
// human and AI messages (templates, or literal messages with their braces escaped) and MessagesPlaceholder.
// A template stays in its own format; anything else is refused with one line naming it, or listed as not
// carried when leaving it out keeps the prompt's meaning (tags, metadata, an output parser).

import type { TemplateFormat } from '../../format/model';
import { parseTemplate } from '../../format/template';
import type { LangChainMessage, LangChainPromptClass } from '../langchainPrompt';
import { InteropError, type ImportedMemory, type ImportedPrompt, type ImportReading } from '../types';
import { readModelKwargs, type ImportedModel } from './langchainModel';

type Json = Readonly<Record<string, unknown>>;

/** A message before the file's one template format is known: a literal message's text is escaped after. */
type ReadMessage =
  | { readonly kind: 'template'; readonly role: 'system' | 'human' | 'ai'; readonly template: string; readonly format: TemplateFormat }
  | { readonly kind: 'literal'; readonly role: 'system' | 'human' | 'ai'; readonly text: string }
  | { readonly kind: 'placeholder'; readonly variableName: string };

interface Reading {
  readonly notCarried: string[];
  /** Partials of a message's own PromptTemplate: the file has one set, for every message. */
  readonly messagePartials: Record<string, string>;
  /** Which message (1-based) gave each of those partials. */
  readonly partialOwners: Map<string, number>;
}

export function readSerializedPrompt(value: unknown): ImportReading {
  const root = hubManifest(value) ?? value;
  if (!isRecord(root)) throw invalid('the file holds no LangChain prompt object');
  const reading: Reading = { notCarried: [], messagePartials: {}, partialOwners: new Map() };
  const prompt = isConstructor(root) ? readConstructor(root, reading) : readSaved(root, reading);
  return { prompt, notCarried: reading.notCarried };
}

/** The Hub API answers `{"manifest": {...}, "commit_hash": ..., "examples": [...]}`. */
function hubManifest(value: unknown): unknown {
  return isRecord(value) && !isConstructor(value) && isConstructor(value.manifest) ? value.manifest : undefined;
}

// ---- the constructor form -----------------------------------------------------------------------------

function isConstructor(value: unknown): value is Json & { id: unknown[]; kwargs: Json } {
  return isRecord(value) && value.lc === 1 && value.type === 'constructor' && Array.isArray(value.id) && isRecord(value.kwargs);
}

/** The class name, for the namespaces LangChain's loaders accept (Python's `langchain`, JS's `langchain_core`). */
function classOf(node: Json & { id: unknown[] }): string {
  const id = node.id.map(String);
  if (id[0] !== 'langchain' && id[0] !== 'langchain_core') throw invalid(`${id.join('.')} is not a LangChain class`);
  return id[id.length - 1] ?? '';
}

function readConstructor(node: Json & { id: unknown[]; kwargs: Json }, reading: Reading): ImportedPrompt {
  const name = classOf(node);
  if (name === 'PromptTemplate') return readPromptTemplate(node.kwargs, reading);
  if (name === 'ChatPromptTemplate') return readChatPromptTemplate(node.kwargs, reading);
  if (name === 'RunnableSequence') return readSequence(node.kwargs, reading);
  throw invalid(`${name} cannot be carried: a .prompt file holds a PromptTemplate or a ChatPromptTemplate of system, human and AI messages and a MessagesPlaceholder`);
}

function readPromptTemplate(kwargs: Json, reading: Reading): ImportedPrompt {
  const template = stringField(kwargs, 'template', 'PromptTemplate');
  const templateFormat = formatOf(kwargs.template_format, 'the PromptTemplate');
  noteCommonFields(kwargs, reading);
  return withCommonFields({ prompt: { kind: 'prompt', template }, templateFormat }, kwargs, reading);
}

function readChatPromptTemplate(kwargs: Json, reading: Reading): ImportedPrompt {
  if (!Array.isArray(kwargs.messages)) throw invalid('the ChatPromptTemplate has no messages list');
  const messages = kwargs.messages.map((message, index) => readMessage(message, index + 1, reading));
  // LangChain.js writes the chat's own template_format beside its messages' (Python has none).
  const fallback = kwargs.template_format === undefined ? undefined : formatOf(kwargs.template_format, 'the ChatPromptTemplate');
  const templateFormat = chatFormatOf(messages, fallback);
  assertMessagePartialsStayOwn(messages, reading);
  const prompt: LangChainPromptClass = { kind: 'chat', messages: messages.map((message, index) => messageOf(message, index + 1, templateFormat)) };
  noteCommonFields(kwargs, reading);
  const placeholders = new Set(messages.flatMap((message) => (message.kind === 'placeholder' ? [message.variableName] : [])));
  return withCommonFields({ prompt, templateFormat }, kwargs, reading, placeholders);
}

const templateClasses: Readonly<Record<string, 'system' | 'human' | 'ai'>> = {
  SystemMessagePromptTemplate: 'system',
  HumanMessagePromptTemplate: 'human',
  AIMessagePromptTemplate: 'ai',
};
const literalClasses: Readonly<Record<string, 'system' | 'human' | 'ai'>> = { SystemMessage: 'system', HumanMessage: 'human', AIMessage: 'ai' };
const chatRoles: Readonly<Record<string, 'system' | 'human' | 'ai'>> = { system: 'system', human: 'human', user: 'human', ai: 'ai', assistant: 'ai' };

function readMessage(node: unknown, index: number, reading: Reading): ReadMessage {
  if (!isConstructor(node)) throw invalid(`message ${index} is not a serialized message template`);
  const name = classOf(node);
  const kwargs = node.kwargs;
  if (name === 'MessagesPlaceholder') return readPlaceholder(kwargs, index, reading);
  const literalRole = literalClasses[name];
  if (literalRole) {
    if (typeof kwargs.content !== 'string') throw invalid(`message ${index} (${name}) has content blocks, not text`);
    return { kind: 'literal', role: literalRole, text: kwargs.content };
  }
  const role = templateClasses[name] ?? (name === 'ChatMessagePromptTemplate' ? chatRoleOf(kwargs.role, index) : undefined);
  if (!role) throw invalid(`message ${index} is a ${name}, which a .prompt file cannot hold`);
  if (isRecord(kwargs.additional_kwargs) && Object.keys(kwargs.additional_kwargs).length > 0) {
    reading.notCarried.push(`message ${index}: additional_kwargs (${Object.keys(kwargs.additional_kwargs).join(', ')})`);
  }
  const prompt = kwargs.prompt;
  if (Array.isArray(prompt)) throw invalid(`message ${index} (${name}) is a list of templates (images or content blocks), which a .prompt message cannot hold`);
  if (!isConstructor(prompt) || classOf(prompt) !== 'PromptTemplate') throw invalid(`message ${index} (${name}) has no PromptTemplate`);
  const template = stringField(prompt.kwargs, 'template', `message ${index}`);
  for (const [name, value] of Object.entries(partialsOf(prompt.kwargs.partial_variables, new Set(), reading))) {
    if (Object.hasOwn(reading.messagePartials, name) && reading.messagePartials[name] !== value) throw invalid(`two messages give the partial \`${name}\` different values`);
    reading.messagePartials[name] = value;
    reading.partialOwners.set(name, index);
  }
  return { kind: 'template', role, template, format: formatOf(prompt.kwargs.template_format, `message ${index}`) };
}

function readPlaceholder(kwargs: Json, index: number, reading: Reading): ReadMessage {
  const variableName = stringField(kwargs, 'variable_name', `MessagesPlaceholder (message ${index})`);
  // A `placeholder:` is a required MessagesPlaceholder; the memory fills it on every turn.
  if (kwargs.optional === true) reading.notCarried.push(`MessagesPlaceholder("${variableName}", optional=True): a .prompt placeholder is required (the memory always fills it)`);
  if (typeof kwargs.n_messages === 'number') reading.notCarried.push(`MessagesPlaceholder("${variableName}", n_messages=${kwargs.n_messages}): a .prompt placeholder holds every message the memory gives it`);
  return { kind: 'placeholder', variableName };
}

function chatRoleOf(role: unknown, index: number): 'system' | 'human' | 'ai' {
  const mapped = typeof role === 'string' ? chatRoles[role] : undefined;
  if (!mapped) throw invalid(`message ${index} has the role ${JSON.stringify(role)}; a .prompt file has system, human and ai messages only`);
  return mapped;
}

/**
 * The file's one template format. A template without braces reads the same in both, so only the others
 * decide; two different ones cannot share a file (converting braces would change what the template means).
 */
function chatFormatOf(messages: readonly ReadMessage[], fallback: TemplateFormat | undefined): TemplateFormat {
  const formats = new Set(messages.flatMap((message) => (message.kind === 'template' && /[{}]/.test(message.template) ? [message.format] : [])));
  if (formats.size > 1) throw invalid('the messages mix f-string and mustache templates; a .prompt file has one template_format');
  const [only] = formats;
  const first = messages.find((message) => message.kind === 'template');
  return only ?? fallback ?? (first?.kind === 'template' ? first.format : 'f-string');
}

/** A message's own partial becomes the file's: refused if another message takes that variable as an input. */
function assertMessagePartialsStayOwn(messages: readonly ReadMessage[], reading: Reading): void {
  messages.forEach((message, at) => {
    if (message.kind !== 'template') return;
    const names = parseTemplate(message.template, { start: 0, end: message.template.length }, message.format).variables.map((variable) => variable.name);
    for (const name of names) {
      const owner = reading.partialOwners.get(name);
      if (owner !== undefined && owner !== at + 1) throw invalid(`message ${owner}'s partial \`${name}\` would also fill message ${at + 1}'s variable; a .prompt file has one set of partials`);
    }
  });
}

function messageOf(message: ReadMessage, index: number, format: TemplateFormat): LangChainMessage {
  if (message.kind === 'placeholder') return message;
  if (message.kind === 'template') return { kind: 'message', role: message.role, template: message.template };
  return { kind: 'message', role: message.role, template: literalTemplate(message.text, index, format) };
}

/** A literal message (SystemMessage(...)) as a template that formats to exactly its text. */
function literalTemplate(text: string, index: number, format: TemplateFormat): string {
  if (format === 'f-string') return text.replace(/[{}]/g, (brace) => brace + brace);
  if (text.includes('{{')) throw invalid(`message ${index} is a literal message with "{{", which a mustache template would read as a tag`);
  return text;
}

/**
 * `prompt | model` (the Hub's "prompt with model", LangChain.js and Python alike): the prompt, and the model's
 * name and call settings; steps after the model (output parsers) are listed, not run.
 */
function readSequence(kwargs: Json, reading: Reading): ImportedPrompt {
  const steps = [kwargs.first, ...(Array.isArray(kwargs.middle) ? kwargs.middle : []), kwargs.last];
  const [first, second, ...rest] = steps;
  if (!isConstructor(first) || !['PromptTemplate', 'ChatPromptTemplate'].includes(classOf(first))) {
    throw invalid('a RunnableSequence that does not start with a PromptTemplate or ChatPromptTemplate cannot be carried');
  }
  const prompt = readConstructor(first, reading);
  const model = isConstructor(second) ? modelOf(second, reading) : undefined;
  if (!model) throw invalid('a RunnableSequence whose second step is not a model cannot be carried');
  for (const step of rest) reading.notCarried.push(`${isConstructor(step) ? classOf(step) : 'a step'} after the model: a .prompt file's turn ends with the model's reply`);
  return { ...prompt, ...(model.model === undefined ? {} : { model: model.model }), ...(Object.keys(model.parameters).length > 0 ? { parameters: model.parameters } : {}) };
}

/** A chat or completion model, or one bound with `.bind(...)` (its bound arguments are not carried). */
function modelOf(node: Json & { id: unknown[]; kwargs: Json }, reading: Reading): ImportedModel | undefined {
  const name = classOf(node);
  if (name === 'RunnableBinding' && isConstructor(node.kwargs.bound)) {
    const bound = isRecord(node.kwargs.kwargs) ? Object.keys(node.kwargs.kwargs) : [];
    if (bound.length > 0) reading.notCarried.push(`arguments bound to the model: ${bound.join(', ')}`);
    return modelOf(node.kwargs.bound, reading);
  }
  if (!/(LLM|OpenAI|Chat[A-Z]\w*)$/.test(name)) return undefined;
  if (!['ChatOpenAI', 'OpenAI', 'AzureChatOpenAI', 'AzureOpenAI'].includes(name)) {
    reading.notCarried.push(`the model class ${name}: Prompt Chain calls an OpenAI-compatible endpoint with the model's name`);
  }
  return readModelKwargs(name, node.kwargs, reading.notCarried);
}

// ---- the prompt.save() dict ---------------------------------------------------------------------------

function readSaved(saved: Json, reading: Reading): ImportedPrompt {
  // load_prompt takes a dict without `_type` for a PromptTemplate (with a warning).
  const type = saved._type ?? 'prompt';
  if (type !== 'prompt') throw invalid(`a prompt.save() file of _type ${JSON.stringify(type)}; only _type: prompt (a PromptTemplate) can be carried`);
  if (saved.template_path !== undefined) {
    throw invalid(`template_path ${JSON.stringify(saved.template_path)}: the template is in another file; put its text in \`template\` to import it`);
  }
  return readPromptTemplate(saved, reading);
}

// ---- fields every prompt class has --------------------------------------------------------------------

function noteCommonFields(kwargs: Json, reading: Reading): void {
  if (isRecord(kwargs.metadata) && Object.keys(kwargs.metadata).length > 0) reading.notCarried.push(`metadata (${Object.keys(kwargs.metadata).join(', ')})`);
  if (Array.isArray(kwargs.tags) && kwargs.tags.length > 0) reading.notCarried.push(`tags (${kwargs.tags.map(String).join(', ')})`);
  if (kwargs.output_parser !== undefined && kwargs.output_parser !== null) reading.notCarried.push('output_parser: a .prompt file runs the chain without one (the reply is the model\'s text)');
}

function withCommonFields(base: ImportedPrompt, kwargs: Json, reading: Reading, placeholders: ReadonlySet<string> = new Set()): ImportedPrompt {
  const partialVariables = { ...reading.messagePartials, ...partialsOf(kwargs.partial_variables, placeholders, reading) };
  const imported: ImportedPrompt = {
    ...base,
    ...(Object.keys(partialVariables).length > 0 ? { partialVariables } : {}),
    ...(typeof kwargs.name === 'string' && kwargs.name !== '' ? { name: kwargs.name } : {}),
  };
  return { ...imported, memory: memoryFor(imported) };
}

function partialsOf(escaped: unknown, placeholders: ReadonlySet<string>, reading: Reading): Record<string, string> {
  // dumps() wraps a dict with an `lc` key (a partial named `lc`) as {"__lc_escaped__": {...}}.
  const value = isRecord(escaped) && Object.keys(escaped).length === 1 && isRecord(escaped.__lc_escaped__) ? escaped.__lc_escaped__ : escaped;
  if (!isRecord(value)) return {};
  const partials: Record<string, string> = {};
  for (const [name, partial] of Object.entries(value)) {
    if (typeof partial === 'string') partials[name] = partial;
    // An optional placeholder's `[]` partial is how LangChain makes it optional (reported with it).
    else if (!(placeholders.has(name) && Array.isArray(partial))) reading.notCarried.push(`partial_variables.${name}: not a string`);
  }
  return partials;
}

/**
 * A serialized prompt has no memory; the `.prompt` file gets the one its variables suggest: a placeholder's
 * messages (return_messages), else `{history}` (the default key) or `{chat_history}` as the buffer string,
 * else none (`memory: false`), so no variable is taken for a memory the source never had.
 */
function memoryFor(imported: ImportedPrompt): false | ImportedMemory | undefined {
  const prompt = imported.prompt;
  const partials = imported.partialVariables ?? {};
  if (prompt.kind === 'chat') {
    const placeholders = prompt.messages.flatMap((message) => (message.kind === 'placeholder' ? [message.variableName] : []));
    const memoryPlaceholder = placeholders.find((name) => /history/i.test(name)) ?? placeholders[0];
    if (memoryPlaceholder !== undefined) return { key: memoryPlaceholder, returnMessages: true };
  }
  const templates = prompt.kind === 'prompt' ? [prompt.template] : prompt.messages.flatMap((message) => (message.kind === 'message' ? [message.template] : []));
  const uses = (name: string) => !Object.hasOwn(partials, name) && templates.some((template) => usesVariable(template, name, imported.templateFormat));
  if (uses('history')) return undefined;
  if (uses('chat_history')) return { key: 'chat_history' };
  return false;
}

function usesVariable(template: string, name: string, format: TemplateFormat): boolean {
  // An escaped `{{history}}` in an f-string is literal text: drop the doubled braces before looking.
  if (format === 'f-string') return template.replace(/\{\{|\}\}/g, '').includes(`{${name}}`);
  return new RegExp(`\\{\\{\\{?[&#]?\\s*${name}\\s*\\}?\\}\\}`).test(template);
}

// ---- small readers -------------------------------------------------------------------------------------

function formatOf(value: unknown, what: string): TemplateFormat {
  if (value === undefined || value === null || value === 'f-string') return 'f-string';
  if (value === 'mustache') return 'mustache';
  if (value === 'jinja2') throw invalid(`${what} is a jinja2 template; a .prompt file reads f-string and mustache templates (and LangChain's load_prompt refuses jinja2)`);
  throw invalid(`${what} has template_format ${JSON.stringify(value)}`);
}

function stringField(kwargs: Json, key: string, what: string): string {
  const value = kwargs[key];
  if (typeof value !== 'string') throw invalid(`${what} has no \`${key}\` string`);
  return value;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string): InteropError {
  return new InteropError('invalid-source', `Cannot import this LangChain prompt: ${reason}.`);
}
