// The one writer of `.prompt` text: what an importer read (an ImportedPrompt) as a file that parses back to
// exactly those templates, messages, partials, format and memory settings. The body syntax has no escapes, so
// a template the parser would read differently (docs/prompt-format.md "Body") is refused with the reason,
// never written altered; the text written is parsed back before it is returned, so no importer can hand the
// user a file that means something else than its source.

import { Document } from 'yaml';
import type { MemoryType, PromptDocument, TemplateFormat } from '../format/model';
import { MAX_YAML_LENGTH } from '../format/frontMatter';
import { roleOfHeader } from '../format/body';
import { parsePrompt } from '../format/parse';
import { resolveConfig, DEFAULT_WINDOW_K } from '../chain/config';
import { chooseInputKey } from '../chain/inputKey';
import { DEFAULT_MAX_TOKEN_LIMIT } from '../chain/memoryClasses/summaryPrompt';
import { countsTokens } from '../chain/memoryClasses/kinds';
import type { ChainConfig } from '../chain/types';
import type { LangChainMessage } from './langchainPrompt';
import { InteropError, type ImportedMemory, type ImportedPrompt } from './types';
import { quotedExcerpt } from '../text/excerpt';

/** The `.prompt` text of an imported prompt. Throws InteropError('invalid-source') for one it cannot hold. */
export function promptFileOf(imported: ImportedPrompt): string {
  const body = bodyOf(imported);
  const text = withFrontMatter(frontMatterOf(imported, body), body);
  const withInputKey = needsInputKey(imported, text) ? withFrontMatter(frontMatterOf(imported, body, true), body) : text;
  assertReadsBack(withInputKey, imported);
  return withInputKey;
}

// ---- body -------------------------------------------------------------------------------------------

interface WrittenBody {
  readonly text: string;
  /** A completion template the body alone would not give back: it needs `api: completion` above it. */
  readonly needsApi: boolean;
}

function bodyOf(imported: ImportedPrompt): WrittenBody {
  const prompt = imported.prompt;
  if (prompt.kind === 'prompt') {
    assertNoCarriageReturn(prompt.template, 'The template');
    // The file's final newline is not part of a completion template: one more is always written.
    return { text: `${prompt.template}\n`, needsApi: completionNeedsApi(prompt.template) };
  }
  if (prompt.messages.length === 0) {
    throw new InteropError('invalid-source', 'The chat prompt has no messages: a .prompt file cannot hold an empty ChatPromptTemplate.');
  }
  const messages = prompt.messages.map((message, index) => messageText(message, index, imported.templateFormat));
  return { text: `${messages.join('\n\n')}\n`, needsApi: false };
}

/**
 * Without `api:`, a header line makes the body chat; a first line `---` (or a leading BOM) is taken for the
 * front matter's fence (or dropped) when no front matter comes before it. `api: completion` answers both.
 */
function completionNeedsApi(template: string): boolean {
  const lines = template.split('\n');
  return template.startsWith('\uFEFF') || isFenceLine(lines[0] ?? '') || lines.some((line) => roleOfHeader(line) !== undefined);
}

function isFenceLine(line: string): boolean {
  return /^---[ \t]*$/.test(line);
}

const headerOfRole = { system: 'system:', human: 'human:', ai: 'ai:' } as const;

function messageText(message: LangChainMessage, index: number, format: TemplateFormat): string {
  if (message.kind === 'placeholder') {
    const variable = format === 'mustache' ? `{{${message.variableName}}}` : `{${message.variableName}}`;
    return `placeholder:\n${variable}`;
  }
  assertMessageTemplate(message.template, `Message ${index + 1} (${message.role})`);
  return message.template === '' ? headerOfRole[message.role] : `${headerOfRole[message.role]}\n${message.template}`;
}

/** A message's template is the lines between its header and the next one, blank lines at either end dropped. */
function assertMessageTemplate(template: string, what: string): void {
  assertNoCarriageReturn(template, what);
  if (template === '') return;
  const lines = template.split('\n');
  const header = lines.find((line) => roleOfHeader(line) !== undefined);
  if (header !== undefined) {
    throw new InteropError('invalid-source', `${what} has a line ${quotedExcerpt(header)}, which a .prompt file reads as a new message; a chat template cannot hold it.`);
  }
  if (isBlankLine(lines[0] ?? '') || isBlankLine(lines[lines.length - 1] ?? '')) {
    throw new InteropError('invalid-source', `${what} starts or ends with a blank line (or a line break), which a .prompt file drops from a message; remove it to import.`);
  }
}

function isBlankLine(line: string): boolean {
  return line.trim() === '';
}

function assertNoCarriageReturn(template: string, what: string): void {
  // Python reads a .prompt file with universal newlines: no template read from one can hold a `\r`.
  if (template.includes('\r')) {
    throw new InteropError('invalid-source', `${what} holds a carriage return (\\r), which a .prompt file reads as a line break.`);
  }
}

// ---- front matter -----------------------------------------------------------------------------------

/** The front matter keys, in the order the docs list them; only what differs from the defaults. */
function frontMatterOf(imported: ImportedPrompt, body: WrittenBody, writeInputKey = false): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (imported.name !== undefined) fields.name = imported.name;
  if (imported.description !== undefined) fields.description = imported.description;
  if (imported.model !== undefined) fields.model = imported.model;
  if (body.needsApi) fields.api = 'completion';
  if (imported.templateFormat !== 'f-string') fields.template_format = imported.templateFormat;
  if (writeInputKey && imported.inputKey !== undefined) fields.input_key = imported.inputKey;
  const partials = imported.partialVariables ?? {};
  if (Object.keys(partials).length > 0) fields.partial_variables = { ...partials };
  const memory = memoryFieldOf(imported.memory);
  if (memory !== undefined) fields.memory = memory;
  const parameters = imported.parameters ?? {};
  if (Object.keys(parameters).length > 0) fields.parameters = { ...parameters };
  return fields;
}

function memoryFieldOf(memory: ImportedPrompt['memory']): false | Record<string, unknown> | undefined {
  if (memory === false) return false;
  if (memory === undefined) return undefined;
  const type: MemoryType = memory.type ?? 'buffer';
  const fields: Record<string, unknown> = {};
  // The memory key is always written when known: the host's default (a setting) may not be LangChain's.
  if (memory.key !== undefined) fields.key = memory.key;
  if (type !== 'buffer') fields.type = type;
  if (memory.returnMessages === true) fields.return_messages = true;
  if (memory.humanPrefix !== undefined && memory.humanPrefix !== 'Human') fields.human_prefix = memory.humanPrefix;
  if (memory.aiPrefix !== undefined && memory.aiPrefix !== 'AI') fields.ai_prefix = memory.aiPrefix;
  // Settings the type does not read would be warnings in the new file: they are left out.
  if (type === 'buffer_window' && memory.k !== undefined && memory.k !== DEFAULT_WINDOW_K) fields.k = memory.k;
  if (countsTokens(type) && memory.maxTokenLimit !== undefined && memory.maxTokenLimit !== DEFAULT_MAX_TOKEN_LIMIT) {
    fields.max_token_limit = memory.maxTokenLimit;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function withFrontMatter(fields: Record<string, unknown>, body: WrittenBody): string {
  if (Object.keys(fields).length === 0) return body.text;
  // One line per scalar (double quotes, escapes, no folding): no value can put a `---` line, a `\r` or an
  // indentation-sensitive block into the front matter, and every string that looks like a number, a boolean
  // or null is quoted, so it reads back as the string it is.
  const yaml = new Document(fields).toString({ lineWidth: 0, blockQuote: false });
  if (yaml.length > MAX_YAML_LENGTH) {
    throw new InteropError('invalid-source', `The front matter would take ${yaml.length} characters, over the ${MAX_YAML_LENGTH} a .prompt file reads (a long description or partial).`);
  }
  return `---\n${yaml}---\n${body.text}`;
}

// ---- input key --------------------------------------------------------------------------------------

/** `input_key` is written when the source names one and the file alone might choose another (or none). */
function needsInputKey(imported: ImportedPrompt, text: string): boolean {
  if (imported.inputKey === undefined) return false;
  // Without a written memory key the host's default decides which variable is the memory's.
  const memoryKeyKnown = imported.memory === false || imported.memory?.key !== undefined;
  if (!memoryKeyKnown) return true;
  const doc = parsePrompt(text);
  return chooseInputKey(doc.body, resolveConfig(doc, {})) !== imported.inputKey;
}

// ---- read back --------------------------------------------------------------------------------------

function assertReadsBack(text: string, imported: ImportedPrompt): void {
  const doc = parsePrompt(text);
  const error = doc.problems.find((problem) => problem.severity === 'error');
  if (error) throw new InteropError('invalid-source', `The imported prompt would not check clean as a .prompt file: ${error.message}`);
  const difference = differenceOf(doc, resolveConfig(doc, {}), imported);
  if (difference) throw new InteropError('invalid-source', `The imported prompt cannot be written as a .prompt file: its ${difference} would read back differently.`);
}

/** What of the imported prompt the parsed file does not give back, or undefined. */
function differenceOf(doc: PromptDocument, config: ChainConfig, imported: ImportedPrompt): string | undefined {
  if (JSON.stringify(readPromptClass(doc)) !== JSON.stringify(imported.prompt)) return 'template';
  if (config.templateFormat !== imported.templateFormat) return 'template format';
  if (!sameRecord(config.partialVariables, imported.partialVariables ?? {})) return 'partial variables';
  if (!sameMemory(config, imported.memory)) return 'memory settings';
  return undefined;
}

function readPromptClass(doc: PromptDocument): ImportedPrompt['prompt'] {
  const body = doc.body;
  if (body.kind === 'completion') return { kind: 'prompt', template: body.template.source };
  const messages = body.messages.map((message): LangChainMessage =>
    message.role === 'placeholder'
      ? { kind: 'placeholder', variableName: message.placeholder?.name ?? '' }
      : { kind: 'message', role: message.role, template: message.template.source },
  );
  return { kind: 'chat', messages };
}

function sameRecord(left: Readonly<Record<string, string>>, right: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && right[key] === left[key]);
}

function sameMemory(config: ChainConfig, memory: false | ImportedMemory | undefined): boolean {
  if (memory === false) return config.memory === undefined;
  const read = config.memory;
  if (!read) return false;
  const type = memory?.type ?? 'buffer';
  return (
    read.type === type &&
    (memory?.key === undefined || read.key === memory.key) &&
    read.returnMessages === (memory?.returnMessages ?? false) &&
    read.humanPrefix === (memory?.humanPrefix ?? 'Human') &&
    read.aiPrefix === (memory?.aiPrefix ?? 'AI') &&
    (type !== 'buffer_window' || read.k === (memory?.k ?? DEFAULT_WINDOW_K)) &&
    (!countsTokens(type) || read.maxTokenLimit === (memory?.maxTokenLimit ?? DEFAULT_MAX_TOKEN_LIMIT))
  );
}
