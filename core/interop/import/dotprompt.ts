// Importer for Dotprompt `.prompt` files (google/dotprompt, Firebase Genkit): YAML front matter and a
// Handlebars template rendered with `noEscape`, whose `{{role "..."}}` and `{{history}}` helpers split the
// output into messages (js/src/parse.ts toMessages). Read here as Dotprompt reads it, then written as one
// ChatPromptTemplate: `{{name}}` becomes `{name}`, every literal brace is doubled so our engine formats it
// back as the same brace (promptfoo#2065, langfuse#7469, langchain#25703 lost or doubled them), each role
// a message, `{{history}}` a MessagesPlaceholder filled by the memory. What has no LangChain equivalent is
// listed (media, sections, output schema, tools) or, where dropping it would change what the prompt says
// (blocks, partials, helpers, paths), refused with the reason.

import type { LangChainMessage } from '../langchainPrompt';
import { otherToolOf, otherToolParts } from '../otherTools';
import { InteropError, type ImportedPrompt, type ImportReading, type Importer } from '../types';
import { fstringLiteral, inputChoiceOf, isPlainVariableName, parametersOf, trimBlankEdgeLines, importedYaml, type MessageVariables, type SourceParameter } from './importedParts';
import { quotedExcerpt } from '../../text/excerpt';
import { LineIndex } from '../../format/lineIndex';

type ChatRole = 'system' | 'human' | 'ai';

/** A piece of the template between Handlebars tags, or what a tag stands for. */
type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'role'; readonly role: ChatRole }
  | { readonly kind: 'history' };

/** Dotprompt's roles (js/src/types.ts Role) as LangChain message templates; `tool` has none. */
const roles: Readonly<Record<string, ChatRole>> = { system: 'system', user: 'human', model: 'ai' };

const historyKey = 'history';

export const dotpromptImporter: Importer = {
  format: 'dotprompt',
  recognizes: (text) => otherToolOf(text) === 'dotprompt',
  read: readDotprompt,
};

function readDotprompt(text: string): ImportReading {
  const parts = otherToolParts(text);
  const notCarried: string[] = [];
  const frontMatter = frontMatterOf(parts.yaml);
  // Dotprompt renders `template.trim()` (parseDocument): outer whitespace never reaches a message.
  const template = parts.body.trim();
  const skipped = parts.body.slice(0, parts.body.length - parts.body.trimStart().length).split('\n').length - 1;
  const pieces = piecesOf({ text: template, firstLine: parts.bodyLine + skipped }, notCarried);
  const messages = messagesOf(pieces);
  if (messages.length === 0) throw new InteropError('invalid-source', 'The Dotprompt template is empty: there is no message to import.');
  const hasHistory = messages.some((message) => message.kind === 'placeholder');
  if (!hasHistory) {
    notCarried.push('Dotprompt puts the caller\'s `messages` before the last user message when the template has no `{{history}}`; the copy keeps no memory (`memory: false`): add a `placeholder:` with `{history}` for one.');
  }
  const defaults = defaultsOf(frontMatter.input, notCarried);
  const choice = inputChoiceOf(messages.map(variablesOf), defaults, notCarried);
  const prompt: ImportedPrompt = {
    prompt: { kind: 'chat', messages: messages.map(toLangChain) },
    templateFormat: 'f-string',
    partialVariables: choice.partialVariables,
    ...(choice.inputKey !== undefined && { inputKey: choice.inputKey }),
    ...stringField('name', frontMatter.name, notCarried),
    ...stringField('description', frontMatter.description, notCarried),
    ...stringField('model', frontMatter.model, notCarried),
    parameters: parametersOf(configOf(frontMatter.config, notCarried), notCarried),
    memory: hasHistory ? { key: historyKey, returnMessages: true } : false,
  };
  notCarried.push(...otherKeys(frontMatter));
  return { prompt, notCarried };
}

// ---- front matter -----------------------------------------------------------------------------------

function frontMatterOf(yaml: string): Record<string, unknown> {
  if (yaml.trim() === '') return {};
  const parsed = importedYaml(yaml, 'The Dotprompt front matter');
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new InteropError('invalid-source', 'The Dotprompt front matter is not a map of keys.');
  return parsed;
}

function stringField(key: 'name' | 'description' | 'model', value: unknown, notCarried: string[]): Partial<ImportedPrompt> {
  if (value === undefined) return {};
  if (typeof value === 'string') return { [key]: value };
  notCarried.push(`\`${key}\`: not a string, so it is left out.`);
  return {};
}

/** Genkit's common generation config (GenerationCommonConfig) in our parameter names; the rest is the model's own. */
const configKeys: Readonly<Record<string, SourceParameter['key']>> = {
  temperature: 'temperature',
  maxOutputTokens: 'max_tokens',
  topP: 'top_p',
  stopSequences: 'stop',
};

function configOf(config: unknown, notCarried: string[]): SourceParameter[] {
  if (config === undefined) return [];
  if (!isRecord(config)) {
    notCarried.push('`config`: not a map, so it is left out.');
    return [];
  }
  const settings: SourceParameter[] = [];
  for (const [name, value] of Object.entries(config)) {
    const key = configKeys[name];
    if (key) settings.push({ key, source: `config.${name}`, value });
    else notCarried.push(`\`config.${name}\`: a setting of the Genkit model plugin, not one the OpenAI API takes.`);
  }
  return settings;
}

/** `input.default`: strings as Handlebars prints them (numbers and booleans too, as JavaScript writes them). */
function defaultsOf(input: unknown, notCarried: string[]): Map<string, string> {
  const defaults = new Map<string, string>();
  if (input === undefined) return defaults;
  if (!isRecord(input)) {
    notCarried.push('`input`: not a map, so it is left out.');
    return defaults;
  }
  if (input.schema !== undefined) notCarried.push('`input.schema`: the input types (Prompt Chain checks the variables the template uses, not their types).');
  const given = input.default;
  if (given === undefined) return defaults;
  if (!isRecord(given)) {
    notCarried.push('`input.default`: not a map, so it is left out.');
    return defaults;
  }
  for (const [name, value] of Object.entries(given)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') defaults.set(name, String(value));
    else notCarried.push(`\`input.default.${name}\`: not a string, number or boolean (a partial is a fixed string), so it is left out.`);
  }
  for (const key of Object.keys(input)) if (key !== 'schema' && key !== 'default') notCarried.push(`\`input.${key}\`: not a Dotprompt input setting Prompt Chain reads.`);
  return defaults;
}

const carriedKeys = new Set(['name', 'description', 'model', 'config', 'input']);

const otherKeyReasons: Readonly<Record<string, string>> = {
  output: 'the output format and schema (a LangChain prompt has none: use `with_structured_output` on the model)',
  tools: 'the tools the model may call (a LangChain prompt has none: bind them to the model)',
  toolDefs: 'the tool definitions (a LangChain prompt has none: bind them to the model)',
  variant: 'the prompt variant (Genkit picks files by it)',
  version: 'the prompt version',
  ext: 'extension fields',
  raw: 'raw front matter',
  metadata: 'metadata',
};

function otherKeys(frontMatter: Record<string, unknown>): string[] {
  return Object.keys(frontMatter)
    .filter((key) => !carriedKeys.has(key))
    .map((key) => `\`${key}\`: ${otherKeyReasons[key] ?? (key.includes('.') ? 'an extension field' : 'not a Dotprompt key Prompt Chain reads')}.`);
}

// ---- template -----------------------------------------------------------------------------------------

/** The template and the file's line it starts on. */
interface Source {
  readonly text: string;
  readonly firstLine: number;
  /** Line starts of `text`, made on the first message that names a line (a binary search after that). */
  lines?: LineIndex;
}

/** A Handlebars tag: `{{...}}`, `{{{...}}}`, `{{!...}}` or `{{!--...--}}`, with `~` whitespace control. */
interface Tag {
  readonly start: number;
  readonly end: number;
  /** What is between the braces, `~`, `{`, `&` and the comment marks removed, trimmed. */
  readonly content: string;
  readonly comment: boolean;
  readonly stripBefore: boolean;
  readonly stripAfter: boolean;
}

/**
 * The template as text, variables and markers, in order, as Handlebars renders it: comments produce
 * nothing (a comment alone on its line takes the line with it), `~` strips the whitespace beside the tag,
 * `\{{` is a literal `{{`.
 */
function piecesOf(source: Source, notCarried: string[]): Piece[] {
  const template = source.text;
  const pieces: Piece[] = [];
  let text = '';
  let at = 0;
  let stripNext = false;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      text += stripNext ? template.slice(at).replace(/^\s+/, '') : template.slice(at);
      break;
    }
    if (template[open - 1] === '\\' && template[open - 2] !== '\\') {
      // `\{{`: literal up to the next `{{` (Handlebars' "emu" state).
      const next = template.indexOf('{{', open + 2);
      const end = next < 0 ? template.length : next - (template[next - 1] === '\\' ? 1 : 0);
      const before = template.slice(at, open - 1);
      text += (stripNext ? before.replace(/^\s+/, '') : before) + template.slice(open, end);
      stripNext = false;
      at = end;
      continue;
    }
    const before = template[open - 1] === '\\' ? template.slice(at, open - 1) : template.slice(at, open);
    const tag = tagAt(source, open);
    // `~}}` strips the whitespace right after the tag, `{{~` the whitespace right before it.
    text += stripNext ? before.replace(/^\s+/, '') : before;
    if (tag.stripBefore) text = text.trimEnd();
    stripNext = tag.stripAfter;
    at = tag.end;
    if (tag.comment) {
      const standalone = standaloneLine(template, tag, text);
      if (standalone) {
        text = text.slice(0, text.length - standalone.before);
        at += standalone.after;
      }
      continue;
    }
    const piece = pieceOfTag(tag, source, notCarried);
    if (piece === undefined) continue;
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
    pieces.push(piece);
  }
  if (text !== '') pieces.push({ kind: 'text', text });
  return pieces;
}

function tagAt(source: Source, open: number): Tag {
  const template = source.text;
  const triple = template.startsWith('{{{', open);
  let inner = open + (triple ? 3 : 2);
  const stripBefore = template[inner] === '~';
  if (stripBefore) inner += 1;
  if (template.startsWith('!--', inner)) return commentTag(source, open, inner, '--', stripBefore);
  if (template[inner] === '!') return commentTag(source, open, inner, '', stripBefore);
  const closing = triple ? '}}}' : '}}';
  const close = template.indexOf(closing, inner);
  if (close < 0) throw new InteropError('invalid-source', `Line ${lineOf(source, open)}: a \`{{\` is never closed, so Handlebars would refuse the template.`);
  const stripAfter = template[close - 1] === '~';
  const raw = template.slice(inner, stripAfter ? close - 1 : close);
  const content = (raw.startsWith('&') ? raw.slice(1) : raw).trim();
  return { start: open, end: close + closing.length, content, comment: false, stripBefore, stripAfter };
}

function commentTag(source: Source, open: number, inner: number, dashes: string, stripBefore: boolean): Tag {
  const template = source.text;
  const closing = `${dashes}}}`;
  const close = template.indexOf(closing, inner + 1 + dashes.length);
  if (close < 0) throw new InteropError('invalid-source', `Line ${lineOf(source, open)}: a Handlebars comment is never closed.`);
  const stripAfter = template[close - 1] === '~';
  return { start: open, end: close + closing.length, content: '', comment: true, stripBefore, stripAfter };
}

/** A comment alone on its line (whitespace aside): Handlebars removes the line, its line break included. */
function standaloneLine(template: string, tag: Tag, textBefore: string): { before: number; after: number } | undefined {
  const lineStart = template.lastIndexOf('\n', tag.start - 1) + 1;
  const beforeOnLine = template.slice(lineStart, tag.start);
  if (beforeOnLine.trim() !== '' || !textBefore.endsWith(beforeOnLine)) return undefined;
  const lineEnd = template.indexOf('\n', tag.end);
  const afterOnLine = template.slice(tag.end, lineEnd < 0 ? template.length : lineEnd);
  if (afterOnLine.trim() !== '') return undefined;
  return { before: beforeOnLine.length, after: afterOnLine.length + (lineEnd < 0 ? 0 : 1) };
}

function pieceOfTag(tag: Tag, source: Source, notCarried: string[]): Piece | undefined {
  const template = source.text;
  const where = `Line ${lineOf(source, tag.start)}`;
  const written = template.slice(tag.start, tag.end);
  const words = wordsOf(tag.content);
  const head = words[0] ?? '';
  if (/^[#^/]/.test(head) || head === 'else') {
    throw new InteropError('invalid-source', `${where}: ${quotedExcerpt(written)} is a Handlebars block; a LangChain f-string template has no conditions or loops, so the prompt would not say the same. Rewrite it without blocks to import it.`);
  }
  if (head.startsWith('>')) {
    throw new InteropError('invalid-source', `${where}: ${quotedExcerpt(written)} is a Dotprompt partial, whose text lives in another file; inline it to import this one.`);
  }
  if (head === 'role' && words.length === 2) return rolePiece(unquoted(words[1] ?? ''), written, where);
  if (head === 'history' && words.length === 1) return { kind: 'history' };
  if (head === 'media' || head === 'section') {
    notCarried.push(`${where}: ${quotedExcerpt(written)} (a ${head === 'media' ? 'media part' : 'section marker'}; a LangChain message template here is text only), left out.`);
    return undefined;
  }
  if (head === 'json' && words.length === 2 && isPlainVariableName(words[1] ?? '')) {
    const name = words[1] ?? '';
    notCarried.push(`${where}: ${quotedExcerpt(written)} becomes \`{${name}}\`: pass the JSON text as its value (LangChain formats a value with str()).`);
    return { kind: 'variable', name };
  }
  if (words.length === 1 && isPlainVariableName(head) && head !== 'this') return { kind: 'variable', name: head };
  const why = words.length > 1 ? 'a Handlebars helper call' : 'a path or data variable (`a.b`, `this`, `@index`, `../x`)';
  throw new InteropError('invalid-source', `${where}: ${quotedExcerpt(written)} is ${why}; a LangChain f-string template has only plain variables \`{name}\`.`);
}

function rolePiece(role: string, written: string, where: string): Piece {
  const chatRole = roles[role];
  if (chatRole === undefined) {
    throw new InteropError('invalid-source', `${where}: ${quotedExcerpt(written)}: a ChatPromptTemplate has system, human and AI messages only (Dotprompt's system, user and model).`);
  }
  return { kind: 'role', role: chatRole };
}

/** The words of a tag: whitespace-separated, a quoted string one word with its quotes. */
function wordsOf(content: string): string[] {
  return content.match(/"[^"]*"|'[^']*'|[^\s"']+/g) ?? [];
}

function unquoted(word: string): string {
  return /^(["']).*\1$/.test(word) ? word.slice(1, -1) : `\u0000${word}`;
}

/** The file's line of an offset into the template. */
function lineOf(source: Source, offset: number): number {
  source.lines ??= new LineIndex(source.text);
  return source.firstLine + source.lines.positionAt(offset).line;
}

// ---- messages -----------------------------------------------------------------------------------------

type Draft =
  | { readonly kind: 'message'; role: ChatRole; pieces: Piece[] }
  | { readonly kind: 'placeholder'; readonly variableName: string };

/**
 * Dotprompt's toMessages on the template: a role marker opens a message (or renames the current one while it
 * holds only whitespace), `{{history}}` inserts the history and opens a model message, and messages left
 * with only whitespace are dropped.
 */
function messagesOf(pieces: readonly Piece[]): Draft[] {
  let current: Draft & { kind: 'message' } = { kind: 'message', role: 'human', pieces: [] };
  const drafts: Draft[] = [current];
  for (const piece of pieces) {
    if (piece.kind === 'role') {
      if (hasContent(current)) {
        current = { kind: 'message', role: piece.role, pieces: [] };
        drafts.push(current);
      } else {
        current.role = piece.role;
        current.pieces = [];
      }
    } else if (piece.kind === 'history') {
      drafts.push({ kind: 'placeholder', variableName: historyKey });
      current = { kind: 'message', role: 'ai', pieces: [] };
      drafts.push(current);
    } else current.pieces.push(piece);
  }
  return drafts.filter((draft) => draft.kind === 'placeholder' || hasContent(draft));
}

function hasContent(draft: Draft & { kind: 'message' }): boolean {
  return draft.pieces.some((piece) => piece.kind === 'variable' || (piece.kind === 'text' && piece.text.trim() !== ''));
}

function toLangChain(draft: Draft): LangChainMessage {
  if (draft.kind === 'placeholder') return draft;
  const template = draft.pieces.map((piece) => (piece.kind === 'variable' ? `{${piece.name}}` : piece.kind === 'text' ? fstringLiteral(piece.text) : '')).join('');
  return { kind: 'message', role: draft.role, template: trimBlankEdgeLines(template) };
}

function variablesOf(draft: Draft): MessageVariables {
  if (draft.kind === 'placeholder') return { role: 'placeholder', names: [draft.variableName] };
  return { role: draft.role, names: draft.pieces.flatMap((piece) => (piece.kind === 'variable' ? [piece.name] : [])) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
