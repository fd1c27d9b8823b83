// Importer for Prompty `.prompty` files (microsoft/prompty, spec/spec.md): YAML front matter (`model`,
// `inputs`, `template`, ...; the v1 keys `model.api`, `model.configuration`, `model.parameters` and `sample`
// too) and a Jinja2 or mustache body whose role lines (`system:`, `user:`, `assistant:`, §6.2) split the
// rendered text into messages, leading and trailing blank lines trimmed (§6.6), and whose `kind: thread`
// input expands into the conversation where it is written (§6.7). Read as the spec renders and parses
// it: the result is the ChatPromptTemplate formatting the same messages, with a MessagesPlaceholder (and
// the memory) for the thread. Jinja2 `{{ name }}` becomes `{name}`, every literal brace is doubled;
// mustache stays mustache. Statements, filters and expressions have no f-string equivalent: refused.

import type { LangChainMessage } from '../langchainPrompt';
import type { TemplateFormat } from '../../format/model';
import { InteropError, type ImportedPrompt, type ImportReading, type Importer } from '../types';
import { fstringLiteral, inputChoiceOf, isPlainVariableName, parametersOf, trimBlankEdgeLines, importedYaml, type MessageVariables, type SourceParameter } from './importedParts';
import { quotedExcerpt } from '../../text/excerpt';
import { LineIndex } from '../../format/lineIndex';

type ChatRole = 'system' | 'human' | 'ai';

/** One input as Prompty declares it: its kind (`thread`, `string`, `image`, ...) and default. */
interface PromptyInput {
  readonly kind?: string;
  readonly default?: unknown;
}

/** A variable of the body, as written: its name and the tag text (a mustache tag is kept as it is). */
interface Variable {
  readonly name: string;
  readonly written: string;
}

/** The body after rendering as Prompty would, variables left as markers `\uE000<index>\uE001`. */
interface Rendered {
  readonly text: string;
  readonly variables: readonly Variable[];
}

interface Draft {
  readonly role: ChatRole;
  readonly text: string;
}

/** §6.2 as the runtimes write it (their ReDoS-safe form, `developer` too), case-insensitive; group 2 the attributes. */
const roleLine = /^\s*(?:#\s*)?(system|user|assistant|developer)(\[\w+\s*=\s*[^\]]*\])?\s*:\s*$/i;
const roles: Readonly<Record<string, ChatRole>> = { system: 'system', user: 'human', assistant: 'ai' };
const richKinds = new Set(['image', 'file', 'audio']);

export const promptyImporter: Importer = {
  format: 'prompty',
  recognizes: (_text, fileName) => /\.prompty$/i.test(fileName),
  read: readPrompty,
};

function readPrompty(text: string): ImportReading {
  if (/[\uE000\uE001]/.test(text)) throw new InteropError('invalid-source', 'The file holds the private-use characters U+E000/U+E001, which this importer reserves.');
  const { frontMatter, body: written, bodyLine: firstLine } = split(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  // The loaders trim the body (runtime/typescript core/loader.ts `content.trim()`).
  const body = written.trim();
  const bodyLine = firstLine + written.slice(0, written.length - written.trimStart().length).split('\n').length - 1;
  const notCarried: string[] = [];
  const format = formatOf(frontMatter.template, notCarried);
  const inputs = inputsOf(frontMatter.inputs, notCarried);
  const model = modelOf(frontMatter.model, notCarried);
  const rendered = format === 'mustache' ? renderMustache(body, notCarried) : renderJinja(body, bodyLine);
  const threads = [...inputs].filter(([, input]) => input.kind === 'thread').map(([name]) => name);
  assertTextInputs(rendered, inputs);
  const { prompt, variables } = model.completion ? completionOf(rendered, format) : chatOf(rendered, format, threads, notCarried);
  const used = new Set(rendered.variables.map((variable) => variable.name));
  const thread = threads.find((name) => used.has(name));
  for (const name of threads) if (name !== thread) notCarried.push(`The thread input \`${name}\`: the template does not use it.`);
  const defaults = defaultsOf(inputs, thread, notCarried);
  const choice = inputChoiceOf(variables, defaults, notCarried);
  const imported: ImportedPrompt = {
    prompt,
    templateFormat: format,
    partialVariables: choice.partialVariables,
    ...(choice.inputKey !== undefined && { inputKey: choice.inputKey }),
    ...stringField('name', frontMatter.name, notCarried),
    ...stringField('description', frontMatter.description, notCarried),
    ...(model.name !== undefined && { model: model.name }),
    parameters: parametersOf(model.parameters, notCarried),
    memory: thread === undefined ? false : { key: thread, returnMessages: true },
  };
  notCarried.push(...otherKeys(frontMatter));
  return { prompt: imported, notCarried };
}

// ---- file ---------------------------------------------------------------------------------------------

/** §2.2: optional leading whitespace, `---` or `+++` fences; no opening fence: all body. */
function split(text: string): { frontMatter: Record<string, unknown>; body: string; bodyLine: number } {
  const lines = text.split('\n');
  let open = 0;
  while (open < lines.length && (lines[open] ?? '').trim() === '') open += 1;
  if (!isFence(lines[open] ?? '')) return { frontMatter: {}, body: text, bodyLine: 1 };
  const close = lines.findIndex((line, index) => index > open && isFence(line));
  if (close < 0) throw new InteropError('invalid-source', 'The front matter opens with `---` and never closes, which Prompty refuses as malformed.');
  return { frontMatter: yamlMap(lines.slice(open + 1, close).join('\n')), body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

function isFence(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '---' || trimmed === '+++';
}

function yamlMap(yaml: string): Record<string, unknown> {
  const parsed = importedYaml(yaml, 'The Prompty front matter');
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new InteropError('invalid-source', 'The Prompty front matter must be a YAML mapping.');
  return parsed;
}

// ---- front matter -------------------------------------------------------------------------------------

/** §2.8: `template: mustache`, `template: {format: {kind}}` (v1: `{type}`); default jinja2. */
function formatOf(template: unknown, notCarried: string[]): TemplateFormat {
  const kind = typeof template === 'string' ? template : isRecord(template) ? formatKind(template) : undefined;
  if (isRecord(template) && isRecord(template.parser) && template.parser.kind !== undefined && template.parser.kind !== 'prompty') {
    notCarried.push(`\`template.parser\`: the ${quotedExcerpt(String(template.parser.kind))} parser (the role lines are read as Prompty's own parser reads them).`);
  }
  if (kind === undefined || kind === 'jinja2' || kind === 'jinja') return 'f-string';
  if (kind === 'mustache') return 'mustache';
  throw new InteropError('invalid-source', `The template format ${quotedExcerpt(kind)} has no LangChain equivalent here: Prompt Chain imports jinja2 and mustache Prompty files.`);
}

function formatKind(template: Record<string, unknown>): string | undefined {
  const format = template.format;
  if (typeof format === 'string') return format;
  if (isRecord(format) && typeof format.kind === 'string') return format.kind;
  return typeof template.type === 'string' ? template.type : undefined;
}

/** §2.7 and §4.4: a list of `{name, kind, default}`, a map of them, or a map of scalar defaults; v1 `type`. */
function inputsOf(inputs: unknown, notCarried: string[]): Map<string, PromptyInput> {
  const declared = new Map<string, PromptyInput>();
  const entries: [string, unknown][] = Array.isArray(inputs)
    ? inputs.flatMap((item): [string, unknown][] => (isRecord(item) && typeof item.name === 'string' ? [[item.name, item]] : []))
    : isRecord(inputs) ? Object.entries(inputs) : [];
  for (const [name, value] of entries) {
    if (!isRecord(value)) {
      declared.set(name, { kind: kindOfValue(value), default: value });
      continue;
    }
    const kind = typeof value.kind === 'string' ? value.kind : typeof value.type === 'string' ? value.type : undefined;
    declared.set(name, { ...(kind !== undefined && { kind: kind.toLowerCase() }), ...(value.default !== undefined && { default: value.default }) });
  }
  if (inputs !== undefined && entries.length === 0) notCarried.push('`inputs`: not a list or map of inputs, so it is left out.');
  return declared;
}

function kindOfValue(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return Array.isArray(value) ? 'array' : 'object';
}

interface ModelReading {
  readonly name?: string;
  readonly completion: boolean;
  readonly parameters: SourceParameter[];
}

/** v2 `options` and v1 `parameters` in our parameter names. */
const optionKeys: Readonly<Record<string, SourceParameter['key']>> = {
  temperature: 'temperature',
  maxOutputTokens: 'max_tokens',
  max_tokens: 'max_tokens',
  topP: 'top_p',
  top_p: 'top_p',
  frequencyPenalty: 'frequency_penalty',
  frequency_penalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  presence_penalty: 'presence_penalty',
  seed: 'seed',
  stopSequences: 'stop',
  stop: 'stop',
};

/** §2.4: `model: id`, or `{id, provider, apiType, connection, options}`; v1 `{api, configuration, parameters}`. */
function modelOf(model: unknown, notCarried: string[]): ModelReading {
  if (model === undefined) return { completion: false, parameters: [] };
  if (typeof model === 'string') return { name: model, completion: false, parameters: [] };
  if (!isRecord(model)) {
    notCarried.push('`model`: not a model id or a map, so it is left out.');
    return { completion: false, parameters: [] };
  }
  const configuration = isRecord(model.configuration) ? model.configuration : {};
  const name = [model.id, configuration.name, configuration.model, configuration.azure_deployment].find((value): value is string => typeof value === 'string');
  const api = typeof model.apiType === 'string' ? model.apiType : typeof model.api === 'string' ? model.api : 'chat';
  if (api !== 'chat' && api !== 'completion' && api !== 'responses') {
    throw new InteropError('invalid-source', `The model's API is ${quotedExcerpt(api)}: Prompt Chain runs chat and completion prompts only.`);
  }
  if (api === 'responses') notCarried.push('`model.apiType: responses`: Prompt Chain calls the chat completions API with the same messages.');
  for (const key of ['connection', 'configuration']) {
    if (model[key] !== undefined) notCarried.push(`\`model.${key}\`: the endpoint and key, which Prompt Chain takes from its settings (or OPENAI_BASE_URL and OPENAI_API_KEY), never from a file.`);
  }
  if (model.provider !== undefined) notCarried.push(`\`model.provider\` (${String(model.provider)}): Prompt Chain calls the OpenAI-compatible endpoint of its settings.`);
  return { ...(name !== undefined && { name }), completion: api === 'completion', parameters: optionsOf(model, notCarried) };
}

function optionsOf(model: Record<string, unknown>, notCarried: string[]): SourceParameter[] {
  const settings: SourceParameter[] = [];
  for (const block of ['options', 'parameters']) {
    const options = model[block];
    if (options === undefined) continue;
    if (!isRecord(options)) {
      notCarried.push(`\`model.${block}\`: not a map, so it is left out.`);
      continue;
    }
    for (const [name, value] of Object.entries(options)) {
      const key = optionKeys[name];
      if (key) settings.push({ key, source: `model.${block}.${name}`, value });
      else notCarried.push(`\`model.${block}.${name}\`: not a parameter Prompt Chain sends.`);
    }
  }
  return settings;
}

function stringField(key: 'name' | 'description', value: unknown, notCarried: string[]): Partial<ImportedPrompt> {
  if (value === undefined) return {};
  if (typeof value === 'string') return { [key]: value };
  notCarried.push(`\`${key}\`: not a string, so it is left out.`);
  return {};
}

/** Defaults as Prompty's Jinja2 (Python) prints them: str() of a string, number or boolean. */
function defaultsOf(inputs: ReadonlyMap<string, PromptyInput>, thread: string | undefined, notCarried: string[]): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const [name, input] of inputs) {
    const value = input.default;
    if (value === undefined || name === thread) continue;
    if (typeof value === 'string') defaults.set(name, value);
    else if (typeof value === 'boolean') defaults.set(name, value ? 'True' : 'False');
    else if (typeof value === 'number' && Number.isInteger(value)) defaults.set(name, String(value));
    else notCarried.push(`The default of \`${name}\`: not a string, integer or boolean (a partial is a fixed string), so it is left out.`);
  }
  return defaults;
}

const carriedKeys = new Set(['name', 'description', 'model', 'inputs', 'template']);
const otherKeyReasons: Readonly<Record<string, string>> = {
  outputs: 'the output schema (a LangChain prompt has none: use `with_structured_output` on the model)',
  outputSchema: 'the output schema (a LangChain prompt has none: use `with_structured_output` on the model)',
  tools: 'the tools the model may call (a LangChain prompt has none: bind them to the model)',
  sample: 'the sample inputs (give them to a run with `--var name=value`)',
  metadata: 'metadata (authors, tags, version)',
  authors: 'the authors',
  version: 'the version',
  tags: 'the tags',
  displayName: 'the display name',
};

function otherKeys(frontMatter: Record<string, unknown>): string[] {
  return Object.keys(frontMatter)
    .filter((key) => !carriedKeys.has(key))
    .map((key) => `\`${key}\`: ${otherKeyReasons[key] ?? 'not a Prompty key Prompt Chain reads'}.`);
}

// ---- rendering ----------------------------------------------------------------------------------------

/**
 * The Jinja2 body as Prompty renders it (jinja-subset.md: trim_blocks and lstrip_blocks off, `-` trims the
 * whitespace beside a tag, comments render nothing), variables left as markers: `{{ name }}` only, a string
 * literal `{{ '{' }}` as its text, `{% raw %}` as it is. Statements, filters and expressions are refused.
 */
function renderJinja(body: string, bodyLine: number): Rendered {
  const lines = new LineIndex(body);
  const lineOf = (offset: number) => bodyLine + lines.positionAt(offset).line;
  const variables: Variable[] = [];
  let text = '';
  let at = 0;
  let stripNext = false;
  // `-}}` strips the whitespace of the text right after the tag (Jinja2's lexer), never past it.
  const append = (piece: string) => {
    text += stripNext ? piece.replace(/^\s+/, '') : piece;
    stripNext = false;
  };
  for (let open = nextTag(body, at); open >= 0; open = nextTag(body, at)) {
    append(body.slice(at, open));
    const tag = jinjaTag(body, open, lineOf(open));
    if (tag.stripBefore) text = text.trimEnd();
    if (tag.kind === 'comment') {
      at = tag.end;
    } else if (tag.kind === 'statement') {
      const raw = /^raw$/.test(tag.content) ? rawBlock(body, tag.end) : undefined;
      if (raw === undefined) {
        throw new InteropError('invalid-source', `Line ${lineOf(open)}: ${quotedExcerpt(body.slice(open, tag.end))} is a Jinja2 statement; a LangChain f-string template has no conditions or loops, so the prompt would not say the same.`);
      }
      append(raw.text);
      at = raw.end;
    } else {
      const literal = /^(["'])([^"'\\]*)\1$/.exec(tag.content);
      if (literal) append(literal[2] ?? '');
      else if (isPlainVariableName(tag.content)) {
        text += `\uE000${variables.length}\uE001`;
        variables.push({ name: tag.content, written: body.slice(open, tag.end) });
      } else {
        throw new InteropError('invalid-source', `Line ${lineOf(open)}: ${quotedExcerpt(body.slice(open, tag.end))} is a Jinja2 expression (a filter, attribute or call); a LangChain f-string template has only plain variables \`{name}\`.`);
      }
      at = tag.end;
    }
    stripNext = tag.stripAfter;
  }
  append(body.slice(at));
  return { text, variables };
}

function nextTag(body: string, from: number): number {
  const found = /\{[{%#]/.exec(body.slice(from));
  return found ? from + found.index : -1;
}

interface JinjaTag {
  readonly kind: 'expression' | 'statement' | 'comment';
  readonly content: string;
  readonly end: number;
  readonly stripBefore: boolean;
  readonly stripAfter: boolean;
}

function jinjaTag(body: string, open: number, line: number): JinjaTag {
  const opener = body[open + 1];
  const kind = opener === '{' ? 'expression' : opener === '%' ? 'statement' : 'comment';
  const closing = opener === '{' ? '}}' : opener === '%' ? '%}' : '#}';
  const close = body.indexOf(closing, open + 2);
  if (close < 0) throw new InteropError('invalid-source', `Line ${line}: ${quotedExcerpt(body.slice(open, open + 2))} is never closed, so Jinja2 would refuse the template.`);
  const stripBefore = body[open + 2] === '-';
  const stripAfter = body[close - 1] === '-' && close - 1 >= open + 2 + (stripBefore ? 1 : 0);
  const content = body.slice(open + 2 + (stripBefore ? 1 : 0), stripAfter ? close - 1 : close).trim();
  return { kind, content, end: close + 2, stripBefore, stripAfter };
}

/** `{% raw %}...{% endraw %}`: the text between, as written. */
function rawBlock(body: string, from: number): { text: string; end: number } | undefined {
  const end = /\{%-?\s*endraw\s*-?%\}/.exec(body.slice(from));
  return end ? { text: body.slice(from, from + end.index), end: from + end.index + end[0].length } : undefined;
}

/** A mustache body stays mustache; its plain variables (`{{name}}`, `{{{name}}}`, `{{&name}}`) become markers. */
function renderMustache(body: string, notCarried: string[]): Rendered {
  const variables: Variable[] = [];
  let escaped = false;
  const text = body.replace(/\{\{\{\s*([\w-]+)\s*\}\}\}|\{\{\s*(&)?\s*([\w-]+)\s*\}\}/g, (written, triple?: string, ampersand?: string, plain?: string) => {
    const name = triple ?? plain ?? '';
    if (triple === undefined && ampersand === undefined) escaped = true;
    variables.push({ name, written });
    return `\uE000${variables.length - 1}\uE001`;
  });
  if (escaped) {
    notCarried.push("Prompty's mustache renderer HTML-escapes a `{{name}}` value (`<` as `&lt;`); Prompt Chain's, as LangChain.js's, does not: write `{{{name}}}` in the source for the same text in both.");
  }
  return { text, variables };
}

function assertTextInputs(rendered: Rendered, inputs: ReadonlyMap<string, PromptyInput>): void {
  for (const variable of rendered.variables) {
    const kind = inputs.get(variable.name)?.kind;
    if (kind !== undefined && richKinds.has(kind)) {
      throw new InteropError('invalid-source', `\`${variable.written}\` is an ${kind} input; a LangChain message template here holds text only.`);
    }
  }
}

// ---- messages -----------------------------------------------------------------------------------------

/**
 * The runtimes' parser (runtime/python and runtime/typescript parsers/prompty.py, .ts; §6.4): a role line
 * flushes the lines gathered since the last one as a message — lines before the first are a system message,
 * and two role lines with nothing between them give none — each message's line breaks at either end
 * trimmed (our format drops whitespace-only edge lines as well).
 */
function draftsOf(rendered: string, notCarried: string[]): Draft[] {
  const drafts: Draft[] = [];
  let role: ChatRole = 'system';
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) drafts.push({ role, text: trimBlankEdgeLines(lines.join('\n')) });
    lines = [];
  };
  for (const line of rendered.split('\n')) {
    const marker = roleLine.exec(line.trim());
    if (!marker) {
      lines.push(line);
      continue;
    }
    flush();
    const name = (marker[1] ?? '').toLowerCase();
    if (marker[2] !== undefined) notCarried.push(`\`${line.trim()}\`: the role line's attributes (a message's name or metadata).`);
    if (name === 'developer') notCarried.push(`\`${line.trim()}\`: a developer message, imported as a system message (LangChain's nearest).`);
    role = roles[name] ?? 'system';
  }
  flush();
  return drafts;
}

interface Converted {
  readonly prompt: ImportedPrompt['prompt'];
  /** Each message's variables, for the choice of the input. */
  readonly variables: MessageVariables[];
}

function chatOf(rendered: Rendered, format: TemplateFormat, threads: readonly string[], notCarried: string[]): Converted {
  const messages: LangChainMessage[] = [];
  const variables: MessageVariables[] = [];
  const push = (role: ChatRole, text: string) => {
    messages.push(message(role, text, rendered, format));
    variables.push({ role, names: namesIn(text, rendered) });
  };
  let thread: string | undefined;
  for (const draft of draftsOf(rendered.text, notCarried)) {
    // §6.7: the thread's messages go where it is written; the text around it stays in the same role.
    const parts = draft.text.split(/(\uE000\d+\uE001)/);
    let text = '';
    // A message the thread splits: the text on either side is trimmed (§6.4 step 5); any other stays as parsed.
    let expanded = false;
    for (const part of parts) {
      const variable = variableAt(part, rendered);
      if (variable === undefined || !threads.includes(variable.name)) {
        text += part;
        continue;
      }
      if (thread !== undefined && thread !== variable.name) {
        throw new InteropError('invalid-source', `The template uses two thread inputs (${quotedExcerpt(thread)}, ${quotedExcerpt(variable.name)}): a .prompt file has one conversation.`);
      }
      thread = variable.name;
      expanded = true;
      if (text.trim() !== '') push(draft.role, text.trim());
      messages.push({ kind: 'placeholder', variableName: variable.name });
      variables.push({ role: 'placeholder', names: [variable.name] });
      text = '';
    }
    if (!expanded) push(draft.role, text);
    else if (text.trim() !== '') push(draft.role, text.trim());
  }
  if (messages.length === 0) throw new InteropError('invalid-source', 'The Prompty body is empty: there is no message to import.');
  return { prompt: { kind: 'chat', messages }, variables };
}

function completionOf(rendered: Rendered, format: TemplateFormat): Converted {
  const text = rendered.text.trim();
  return { prompt: { kind: 'prompt', template: templateOf(text, rendered, format) }, variables: [{ role: 'human', names: namesIn(text, rendered) }] };
}

function namesIn(text: string, rendered: Rendered): string[] {
  return [...text.matchAll(/\uE000(\d+)\uE001/g)].map((match) => rendered.variables[Number(match[1])]?.name ?? '');
}

function message(role: ChatRole, text: string, rendered: Rendered, format: TemplateFormat): LangChainMessage {
  return { kind: 'message', role, template: templateOf(text, rendered, format) };
}

/** Literal text in the target format (braces doubled for an f-string), variables back as `{name}` or their mustache tag. */
function templateOf(text: string, rendered: Rendered, format: TemplateFormat): string {
  return text
    .split(/(\uE000\d+\uE001)/)
    .map((part) => {
      const variable = variableAt(part, rendered);
      if (variable) return format === 'mustache' ? variable.written : `{${variable.name}}`;
      return format === 'mustache' ? part : fstringLiteral(part);
    })
    .join('');
}

function variableAt(part: string, rendered: Rendered): Variable | undefined {
  const index = /^\uE000(\d+)\uE001$/.exec(part)?.[1];
  return index === undefined ? undefined : rendered.variables[Number(index)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
