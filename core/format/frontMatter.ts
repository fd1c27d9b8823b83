// The optional YAML front matter: a `---` line at the very top, YAML, a closing `---` line. The fences are
// found by a line scan; the YAML goes through the `yaml` package (its node ranges give every key and value
// a file span), then the reader checks it against the schema and builds the typed FrontMatter. yaml gets
// the text with line breaks normalized, as Python's universal newlines would give it to PyYAML: it does not
// take a lone `\r` for a line break, and values and messages must not depend on the file's line ends.

import { isMap, isScalar, type Document, type YAMLError } from 'yaml';
import { STORE_NAME_PATTERN } from '../history/names';
import type { FrontMatter, Located, MemoryDecl, ModelParameters, ParseProblem, Span } from './model';
import { ProblemCode, appendAll, problem } from './problems';
import { frontMatterSchema, memorySchema, parametersSchema } from './schema';
import { FrontMatterReader, type Entry } from './frontMatterReader';
import { isBlank, isLineBreakCode, lineAt, normalizedSlice, type FileOffsets } from './text';
import { MAX_YAML_DEPTH, MAX_YAML_ERRORS, parseYaml, type YamlParse } from './yamlDocument';

/**
 * Front matter longer than this (UTF-16 units, as written) is not read. A chain's settings take a few
 * hundred; the limit is ten times a front matter that sets every key. It bounds the yaml package's work,
 * the one costly step of a parse: yaml spends microseconds on every token, so 4 KB of the densest shapes
 * (`[a,a,a,…]`, `{a: [b, {c: d}]}, …`, thousands of empty keys) still parse in milliseconds, while the
 * 100,000-token front matters a pasted template or a stray `---` make took it hundreds.
 */
export const MAX_YAML_LENGTH = 4 * 1024;

export interface FrontMatterBlock {
  readonly span: Span;
  readonly yamlSpan: Span;
  readonly closed: boolean;
  /** Where the body starts: after the closing fence's line break (end of file when unclosed). */
  readonly bodyStart: number;
}

/** Finds the fences. `start` is the first offset after a BOM. */
export function findFrontMatter(text: string, start: number): FrontMatterBlock | undefined {
  const opening = lineAt(text, start);
  if (!isFence(text, opening.start, opening.end)) return undefined;
  for (let offset = opening.next; offset < text.length; ) {
    const line = lineAt(text, offset);
    if (isFence(text, line.start, line.end)) {
      const span = { start, end: line.next };
      return { span, yamlSpan: { start: opening.next, end: line.start }, closed: true, bodyStart: line.next };
    }
    offset = line.next;
  }
  const end = text.length;
  return { span: { start, end }, yamlSpan: { start: Math.min(opening.next, end), end }, closed: false, bodyStart: end };
}

/** `---`, optionally followed by spaces or tabs. */
function isFence(text: string, start: number, end: number): boolean {
  return end - start >= 3 && text.startsWith('---', start) && isBlank(text, start + 3, end);
}

export function parseFrontMatter(text: string, block: FrontMatterBlock): { frontMatter: FrontMatter; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  if (!block.closed) {
    const fence = { start: block.span.start, end: block.span.start + 3 };
    problems.push(problem(ProblemCode.unclosedFrontMatter, "The front matter is not closed: add a line `---` after the YAML. Until then the whole file is read as front matter.", fence));
  }
  const base: FrontMatter = { span: block.span, yamlSpan: block.yamlSpan, fields: [] };
  const yaml = readYaml(text, block);
  if ('unread' in yaml) return { frontMatter: base, problems: [...problems, yaml.unread] };
  appendAll(problems, yamlProblems(yaml.doc, text, block, yaml.offsets));
  const reader = new FrontMatterReader(yaml.doc, text, block.yamlSpan, yaml.offsets);
  const frontMatter = readFrontMatter(reader, yaml.doc, base);
  appendAll(problems, reader.problems);
  return { frontMatter, problems };
}

/** The YAML document and the way from its offsets to the file's, or the problem that kept it unread. */
function readYaml(text: string, block: FrontMatterBlock): { doc: Document; offsets: FileOffsets } | { unread: ParseProblem } {
  if (block.yamlSpan.end - block.yamlSpan.start > MAX_YAML_LENGTH) return { unread: tooLargeProblem(text, block) };
  const { source, offsets } = normalizedSlice(text, block.yamlSpan.start, block.yamlSpan.end);
  try {
    const parsed = parseYaml(source);
    return parsed.kind === 'document' ? { doc: parsed.doc, offsets } : { unread: unreadProblem(text, parsed, offsets.toFile(parsed.offset)) };
  } catch (error) {
    return { unread: problem(ProblemCode.yamlSyntax, `The YAML could not be read: ${String(error)}.`, visibleSpan(text, block.yamlSpan, block)) };
  }
}

/** At the rest of the line where the front matter passes the limit (the character past it, on a line break). */
function tooLargeProblem(text: string, block: FrontMatterBlock): ParseProblem {
  let start = block.yamlSpan.start + MAX_YAML_LENGTH;
  // never between the halves of a surrogate pair or of a `\r\n`
  if (isLowSurrogate(text.charCodeAt(start)) || (text.charCodeAt(start) === 10 && text.charCodeAt(start - 1) === 13)) start--;
  let end = start;
  while (end < block.yamlSpan.end && !isLineBreakCode(text.charCodeAt(end))) end++;
  const span = { start, end: Math.max(end, start + 1) };
  const message = `The front matter passes ${MAX_YAML_LENGTH / 1024} KB here and was not read. Front matter holds a few settings (a few hundred bytes); move long text into the body.`;
  return problem(ProblemCode.frontMatterTooLarge, message, span);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function unreadProblem(text: string, parsed: Exclude<YamlParse, { kind: 'document' }>, offset: number): ParseProblem {
  const span = { start: offset, end: Math.min(offset + 1, text.length) };
  if (parsed.kind === 'too-many-errors') {
    const message = `The front matter has over ${MAX_YAML_ERRORS} YAML syntax errors, the first here, and was not read. Check that the closing \`---\` line is where the settings end.`;
    return problem(ProblemCode.yamlTooManyErrors, message, span);
  }
  const message = `The front matter nests deeper than ${MAX_YAML_DEPTH} levels here and was not read. Front matter holds a few settings, a block or two deep; flatten it.`;
  return problem(ProblemCode.frontMatterTooDeep, message, span);
}

function yamlProblems(doc: Document, text: string, block: FrontMatterBlock, offsets: FileOffsets): ParseProblem[] {
  const { yamlSpan } = block;
  const toSpan = (error: YAMLError): Span => {
    const start = Math.min(offsets.toFile(error.pos[0]), yamlSpan.end);
    const end = Math.max(start, Math.min(offsets.toFile(error.pos[1]), yamlSpan.end));
    return visibleSpan(text, { start, end }, block);
  };
  const errors = doc.errors.map((error) =>
    problem(ProblemCode.yamlSyntax, `YAML: ${error.message}`, toSpan(error), 'error', { yamlCode: error.code }),
  );
  const warnings = doc.warnings.map((warning) =>
    problem(ProblemCode.yamlWarning, `YAML: ${warning.message}`, toSpan(warning), 'warning', { yamlCode: warning.code }),
  );
  return appendAll(errors, warnings);
}

/**
 * yaml reports some errors as a point: an unclosed `[` or quote at the end of the YAML. An editor shows an
 * empty range as nothing (or a sliver at the closing fence), so widen it to the token at that point, else
 * the last token before it, else the opening fence.
 */
function visibleSpan(text: string, span: Span, block: FrontMatterBlock): Span {
  if (span.end > span.start) return span;
  const { start: first, end: last } = block.yamlSpan;
  if (span.start < last && !isWhitespace(text.charCodeAt(span.start))) {
    let end = span.start;
    while (end < last && !isWhitespace(text.charCodeAt(end))) end++;
    return { start: span.start, end };
  }
  let end = span.start;
  while (end > first && isWhitespace(text.charCodeAt(end - 1))) end--;
  if (end === first) return { start: block.span.start, end: block.span.start + 3 };
  let start = end;
  while (start > first && !isWhitespace(text.charCodeAt(start - 1))) start--;
  return { start, end };
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || isLineBreakCode(code);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

function readFrontMatter(reader: FrontMatterReader, doc: Document, base: FrontMatter): FrontMatter {
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { ...base, fields: reader.fields };
  if (!isMap(contents)) {
    const span = reader.span(contents, base.yamlSpan);
    reader.report(ProblemCode.frontMatterNotAMap, 'The front matter must be a map of `key: value` lines.', span);
    return { ...base, fields: reader.fields };
  }
  const result: Writable<FrontMatter> = { ...base };
  for (const entry of reader.entries(contents, [], frontMatterSchema)) readTopLevel(reader, entry, result);
  // Nested fields are recorded after all top-level ones; consumers (symbols, hover) want source order.
  result.fields = [...reader.fields].sort((a, b) => a.keySpan.start - b.keySpan.start);
  return result;
}

function readTopLevel(reader: FrontMatterReader, entry: Entry, result: Writable<FrontMatter>): void {
  switch (entry.name) {
    case 'name':
    case 'description':
    case 'model':
    case 'input_key':
      result[entry.name === 'input_key' ? 'inputKey' : entry.name] = reader.string(entry);
      return;
    case 'api':
      result.api = reader.scalar(entry) as FrontMatter['api'];
      return;
    case 'template_format':
      result.templateFormat = reader.scalar(entry) as FrontMatter['templateFormat'];
      return;
    case 'input_variables':
      result.inputVariables = reader.stringList(entry);
      return;
    case 'partial_variables':
      result.partialVariables = readPartials(reader, entry);
      return;
    case 'memory':
      result.memory = readMemory(reader, entry);
      return;
    case 'parameters':
      result.parameters = readParameters(reader, entry);
      return;
  }
}

/** LangChain's partial_variables are strings: a number or boolean is an error, not stringified. */
function readPartials(reader: FrontMatterReader, entry: Entry): FrontMatter['partialVariables'] {
  const map = reader.map(entry);
  if (!map) return undefined;
  const partials: (Located<string> & { name: string })[] = [];
  for (const partial of reader.entries(map, entry.path, undefined)) {
    const value = reader.string(partial);
    if (value) partials.push({ ...value, name: partial.name });
  }
  return reader.located(entry, partials);
}

function readMemory(reader: FrontMatterReader, entry: Entry): FrontMatter['memory'] {
  const node = entry.node;
  if (isScalar(node) && node.value === false) return reader.located(entry, false as const);
  const map = reader.map(entry);
  if (!map) return undefined;
  const memory: Writable<MemoryDecl> = { span: entry.valueSpan };
  // A setting the type ignores (`k` without buffer_window, …) is the service's rule memory-*-ignored.
  for (const setting of reader.entries(map, entry.path, memorySchema)) {
    if (setting.name === 'summary_parameters') {
      memory.summaryParameters = readParameters(reader, setting);
      continue;
    }
    const value = reader.scalar(setting);
    if (value === undefined) continue;
    if (setting.name === 'key' && value.value === '') {
      // `{}` is no variable name: nothing could receive the conversation.
      reader.report(ProblemCode.invalidValue, '`memory.key` is empty: it names the template variable the conversation is written into, such as `chat_history`. Write the name, or leave `key` out for `history`.', reader.valueTarget(setting), { path: setting.path });
      continue;
    }
    if (setting.name === 'history' && typeof value.value === 'string') {
      const refusal = historyNameProblem(value.value);
      if (refusal) {
        reader.report(ProblemCode.invalidValue, refusal, reader.valueTarget(setting), { path: setting.path });
        continue;
      }
    }
    assignMemorySetting(memory, setting.name, value);
  }
  return memory;
}

/**
 * Why `memory.history` cannot be this value, or undefined when it is a store name. A file is shared: a
 * store's URL can carry a password, so a file only names a store the user configured.
 */
export function historyNameProblem(value: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.includes('://')) {
    return '`memory.history` names a configured store, not a URL: a store URL can hold credentials, so it belongs in user configuration (`promptChain.historyStores`, `--history`, PROMPT_CHAIN_HISTORY_URL). Write the store\'s name, such as `team`.';
  }
  if (!STORE_NAME_PATTERN.test(value)) {
    return `\`memory.history\` must be the name of a configured store (letters, digits, \`_\`, \`.\`, \`-\`), not ${JSON.stringify(value)}.`;
  }
  return undefined;
}

function assignMemorySetting(memory: Writable<MemoryDecl>, name: string, value: Located<string | number | boolean>): void {
  switch (name) {
    case 'type': memory.type = value as MemoryDecl['type']; break;
    case 'k': memory.k = value as MemoryDecl['k']; break;
    case 'key': memory.key = value as MemoryDecl['key']; break;
    case 'return_messages': memory.returnMessages = value as MemoryDecl['returnMessages']; break;
    case 'human_prefix': memory.humanPrefix = value as MemoryDecl['humanPrefix']; break;
    case 'ai_prefix': memory.aiPrefix = value as MemoryDecl['aiPrefix']; break;
    case 'scope': memory.scope = value as MemoryDecl['scope']; break;
    case 'max_token_limit': memory.maxTokenLimit = value as MemoryDecl['maxTokenLimit']; break;
    case 'summary_prompt': memory.summaryPrompt = value as MemoryDecl['summaryPrompt']; break;
    case 'summary_model': memory.summaryModel = value as MemoryDecl['summaryModel']; break;
    case 'history': memory.history = value as MemoryDecl['history']; break;
  }
}

function readParameters(reader: FrontMatterReader, entry: Entry): FrontMatter['parameters'] {
  const map = reader.map(entry);
  if (!map) return undefined;
  const fieldsBefore = reader.fields.length;
  const parameters: ModelParameters = {};
  for (const parameter of reader.entries(map, entry.path, parametersSchema)) {
    if (parameter.name === 'stop') {
      const stop = readStop(reader, parameter);
      if (stop) parameters.stop = stop;
      continue;
    }
    const value = reader.scalar(parameter);
    if (value !== undefined) (parameters as Record<string, unknown>)[parameter.name] = value.value;
  }
  return { ...reader.located(entry, parameters), fields: reader.fields.slice(fieldsBefore) };
}

function readStop(reader: FrontMatterReader, entry: Entry): string[] | undefined {
  if (isScalar(entry.node) && typeof entry.node.value === 'string') return [entry.node.value];
  if (!isScalar(entry.node) && entry.node !== null) return reader.stringList(entry)?.value.map((item) => item.value);
  reader.typeError(entry);
  return undefined;
}
