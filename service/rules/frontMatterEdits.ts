// Quick-fix edits to the YAML front matter that touch as little text as possible: replace a value in place,
// add a key under its existing parent with the parent's indentation, add or drop one list item. Creates the
// front matter when the file has none. Layouts these small edits cannot handle safely (flow mappings) are
// rewritten through the YAML library instead, and a front matter that does not parse gets no fix at all.

import type { TextEdit } from 'vscode-languageserver-types';
import { parseDocument, stringify } from 'yaml';
import type { FrontMatter, FrontMatterField, Located } from '../../core/format/model';
import type { PromptContext } from '../context';
import { isLineBreakCode, lineBreakOf, lineStartOf, nextLineStart, normalizeLineBreaks } from '../../core/format/text';
import { insertAt, replaceSpan } from './edits';

const indentStep = '  ';
/** Front matter the YAML parser could not read (or was not given): no edit to it can be trusted to land where it should. */
const unparsedYaml = new Set(['yaml-syntax', 'unclosed-front-matter', 'front-matter-not-a-map', 'front-matter-too-large', 'front-matter-too-deep', 'yaml-too-many-errors']);

/** A YAML scalar as it should be written: plain when YAML allows, quoted otherwise. */
export function yamlScalar(value: string | number | boolean): string {
  return stringify(value).replace(/\r?\n$/, '');
}

/** Edits that make the front-matter key at `path` hold `yamlText`; undefined when no safe edit exists. */
export function setFrontMatterValue(ctx: PromptContext, path: readonly string[], yamlText: string): TextEdit[] | undefined {
  const existing = ctx.prompt.frontMatter && fieldAt(ctx.prompt.frontMatter, path);
  if (existing && !frontMatterUnparsed(ctx)) return [replaceValue(ctx, existing, yamlText)];
  return addFrontMatterKey(ctx, path, ` ${yamlText}`);
}

/**
 * Edits that write the key at `path` (absent today) as `key:` followed by `afterColon`: the rest of its
 * line, then, after each `\n`, lines indented relative to the key (` 0.7 # warm`, or `\n  key: h` for a
 * block). Parents that do not exist yet are created; undefined when no safe edit exists.
 */
export function addFrontMatterKey(ctx: PromptContext, path: readonly string[], afterColon: string): TextEdit[] | undefined {
  const frontMatter = ctx.prompt.frontMatter;
  const nl = lineBreakOf(ctx.prompt.text);
  if (!frontMatter) return [insertAt(ctx, 0, `---${nl}${keyBlock(path, afterColon, '', nl)}---${nl}`)];
  if (frontMatterUnparsed(ctx)) return undefined;
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const parent = fieldAt(frontMatter, path.slice(0, depth));
    if (parent) return addUnderParent(ctx, frontMatter, parent, path.slice(depth), afterColon);
  }
  return addTopLevel(ctx, frontMatter, path, afterColon);
}

export function frontMatterUnparsed(ctx: PromptContext): boolean {
  return ctx.prompt.problems.some((problem) => unparsedYaml.has(problem.code));
}

export function fieldAt(frontMatter: FrontMatter, path: readonly string[]): FrontMatterField | undefined {
  return frontMatter.fields.find((field) => samePath(field.path, path));
}

/** Adds `item` at the end of the string list at `path` (creating the list when absent). */
export function addListItem(ctx: PromptContext, path: readonly string[], list: Located<readonly Located<string>[]> | undefined, item: string): TextEdit[] | undefined {
  const text = ctx.prompt.text;
  if (frontMatterUnparsed(ctx)) return undefined;
  const itemText = yamlScalar(item);
  const last = list?.value[list.value.length - 1];
  if (!list || !last) return setFrontMatterValue(ctx, path, `[${itemText}]`);
  if (text[list.span.start] === '[') return [insertAt(ctx, last.span.end, `, ${itemText}`)];
  const lineStart = lineStartOf(text, last.span.start);
  const bullet = text.slice(lineStart, last.span.start);
  if (!/^\s*-\s+$/.test(bullet)) return undefined;
  const insertion = nextLineStart(text, last.span.end);
  const nl = lineBreakOf(text);
  const atEnd = insertion === last.span.end;
  return [insertAt(ctx, insertion, atEnd ? `${nl}${bullet}${itemText}` : `${bullet}${itemText}${nl}`)];
}

/** Removes item `index` of the string list at `path`, leaving `[]` when it was the only one. */
export function removeListItem(ctx: PromptContext, path: readonly string[], list: Located<readonly Located<string>[]>, index: number): TextEdit[] | undefined {
  const text = ctx.prompt.text;
  if (frontMatterUnparsed(ctx)) return undefined;
  const items = list.value;
  const item = items[index];
  if (!item) return undefined;
  const flow = text[list.span.start] === '[';
  if (items.length === 1) {
    if (flow) return [replaceSpan(ctx, item.span, '')];
    const field = ctx.prompt.frontMatter && fieldAt(ctx.prompt.frontMatter, path);
    return field ? [replaceSpan(ctx, { start: field.keySpan.end, end: item.span.end }, ': []')] : undefined;
  }
  if (!flow) return [replaceSpan(ctx, { start: lineStartOf(text, item.span.start), end: nextLineStart(text, item.span.end) }, '')];
  const next = items[index + 1];
  const previous = items[index - 1];
  if (next) return [replaceSpan(ctx, { start: item.span.start, end: next.span.start }, '')];
  return previous ? [replaceSpan(ctx, { start: previous.span.end, end: item.span.end }, '')] : undefined;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** `key: value` lines for a (possibly nested) path, each ending in a line break. */
function keyBlock(path: readonly string[], afterColon: string, indent: string, nl: string): string {
  const [key, ...rest] = path;
  if (rest.length > 0) return `${indent}${key}:${nl}${keyBlock(rest, afterColon, indent + indentStep, nl)}`;
  const lines = afterColon.split('\n').map((line, i) => (i === 0 || line.trim() === '' ? line : indent + line));
  return `${indent}${key}:${lines.join(nl)}${nl}`;
}

function replaceValue(ctx: PromptContext, field: FrontMatterField, yamlText: string): TextEdit {
  if (field.valueSpan.end > field.valueSpan.start) return replaceSpan(ctx, field.valueSpan, yamlText);
  // `key:` with nothing after it: the value goes after the colon.
  const colon = ctx.prompt.text.indexOf(':', field.keySpan.end);
  return insertAt(ctx, colon < 0 ? field.keySpan.end : colon + 1, ` ${yamlText}`);
}

function addUnderParent(
  ctx: PromptContext,
  frontMatter: FrontMatter,
  parent: FrontMatterField,
  rest: readonly string[],
  afterColon: string,
): TextEdit[] | undefined {
  const text = ctx.prompt.text;
  const nl = lineBreakOf(text);
  const children = frontMatter.fields.filter((f) => f.path.length === parent.path.length + 1 && isUnder(f.path, parent.path));
  const parentIndent = indentOf(text, parent.keySpan.start);
  const first = children[0];
  if (!first) {
    if (parent.value !== null && typeof parent.value === 'object' && !isEmptyObject(parent.value)) {
      return rewriteThroughYaml(ctx, frontMatter, [...parent.path, ...rest], afterColon);
    }
    // `memory: false`, `memory:` or `memory: {}`: the value becomes a block under the key.
    const block = keyBlock(rest, afterColon, parentIndent + indentStep, nl).slice(0, -nl.length);
    const end = Math.max(parent.valueSpan.end, parent.keySpan.end);
    return [replaceSpan(ctx, { start: parent.keySpan.end, end: endOfValue(text, parent.keySpan.end, end) }, `:${nl}${block}`)];
  }
  if (text[parent.valueSpan.start] === '{') return rewriteThroughYaml(ctx, frontMatter, [...parent.path, ...rest], afterColon);
  const descendantsEnd = Math.max(...frontMatter.fields.filter((f) => isUnder(f.path, parent.path)).map((f) => f.valueSpan.end));
  const insertion = nextLineStart(text, descendantsEnd);
  const block = keyBlock(rest, afterColon, indentOf(text, first.keySpan.start), nl);
  return [insertAt(ctx, insertion, insertion === descendantsEnd ? nl + block.slice(0, -nl.length) : block)];
}

function addTopLevel(ctx: PromptContext, frontMatter: FrontMatter, path: readonly string[], afterColon: string): TextEdit[] | undefined {
  const text = ctx.prompt.text;
  const { start, end } = frontMatter.yamlSpan;
  if (text.slice(start, end).trimStart().startsWith('{')) return rewriteThroughYaml(ctx, frontMatter, path, afterColon);
  const nl = lineBreakOf(text);
  const atLineStart = end === start || isLineBreakCode(text.charCodeAt(end - 1));
  const block = keyBlock(path, afterColon, '', nl);
  return [insertAt(ctx, end, atLineStart ? block : nl + block.slice(0, -nl.length))];
}

/** Last resort for layouts a line edit can't extend: set the value in the YAML tree and rewrite it. */
function rewriteThroughYaml(ctx: PromptContext, frontMatter: FrontMatter, path: readonly string[], afterColon: string): TextEdit[] | undefined {
  const { start, end } = frontMatter.yamlSpan;
  const doc = parseDocument(normalizeLineBreaks(ctx.prompt.text.slice(start, end)), { logLevel: 'silent' });
  const entry = parseDocument(`value:${afterColon}`, { logLevel: 'silent' });
  if (doc.errors.length > 0 || entry.errors.length > 0) return undefined;
  doc.setIn(path, entry.get('value', true));
  return [replaceSpan(ctx, frontMatter.yamlSpan, doc.toString())];
}

function isUnder(path: readonly string[], parent: readonly string[]): boolean {
  return path.length > parent.length && parent.every((key, i) => key === path[i]);
}

function isEmptyObject(value: object): boolean {
  return Object.keys(value).length === 0;
}

function indentOf(text: string, offset: number): string {
  const lineStart = lineStartOf(text, offset);
  return text.slice(lineStart, offset).replace(/[^\t]/g, ' ');
}

/** The end of a scalar value on the key's line (the value span, or the line's end when it is empty). */
function endOfValue(text: string, from: number, valueEnd: number): number {
  if (valueEnd > from) return valueEnd;
  let end = from;
  while (end < text.length && !isLineBreakCode(text.charCodeAt(end)) && text[end] !== '#') end++;
  return end;
}
