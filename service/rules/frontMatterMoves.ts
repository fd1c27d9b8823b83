// Quick-fix edits that take a front-matter key out of where it is written: delete it (an endpoint or an
// API key that must not be in the file), or move it to the block that reads it (`temperature:` at the top
// level goes under `parameters:`). The key's lines go with their comments and nested lines; a block left
// empty goes too, since `parameters:` with nothing under it is itself an error. Flow mappings are
// rewritten through the YAML library.

import type { TextEdit } from 'vscode-languageserver-types';
import { parseDocument, type Document } from 'yaml';
import type { FrontMatter, FrontMatterField, Span } from '../../core/format/model';
import type { PromptContext } from '../context';
import { lineEndOf, lineStartOf, linesBetween, nextLineStart, normalizeLineBreaks } from '../../core/format/text';
import { combineEdits, overlap, spanEditOf, type SpanEdit } from './edits';
import { addFrontMatterKey, fieldAt, frontMatterUnparsed } from './frontMatterEdits';

/** The field whose key is written at `keySpan` (a duplicated key is told apart by where it is). */
export function fieldWithKeyAt(frontMatter: FrontMatter, keySpan: Span): FrontMatterField | undefined {
  return frontMatter.fields.find((field) => field.keySpan.start === keySpan.start && field.keySpan.end === keySpan.end);
}

/** Edits that delete `field` with its value, and the blocks that would be left empty. */
export function removeFrontMatterKey(ctx: PromptContext, field: FrontMatterField): TextEdit[] | undefined {
  const frontMatter = ctx.prompt.frontMatter;
  if (!frontMatter || frontMatterUnparsed(ctx)) return undefined;
  const removal = linesRemoval(ctx, frontMatter, field) ?? rewriteYaml(ctx, frontMatter, (doc) => deleteWithEmptiedBlocks(doc, field.path));
  return removal && [combineEdits(ctx, [removal])];
}

/** Edits that move `field` to `to` (renaming it when the last key differs); none when `to` already exists. */
export function moveFrontMatterKey(ctx: PromptContext, field: FrontMatterField, to: readonly string[]): TextEdit[] | undefined {
  const frontMatter = ctx.prompt.frontMatter;
  if (!frontMatter || frontMatterUnparsed(ctx) || to.length === 0 || fieldAt(frontMatter, to)) return undefined;
  const removal = linesRemoval(ctx, frontMatter, field);
  const addition = removal && addFrontMatterKey(ctx, to, afterColonOf(ctx.prompt.text, field))?.map((edit) => spanEditOf(ctx, edit));
  if (removal && addition && !addition.some((edit) => overlap(edit, removal))) return [combineEdits(ctx, [removal, ...addition])];
  const rewrite = rewriteYaml(ctx, frontMatter, (doc) => {
    const node = doc.getIn(field.path, true);
    deleteWithEmptiedBlocks(doc, field.path);
    doc.setIn(to, node);
  });
  return rewrite && [combineEdits(ctx, [rewrite])];
}

/** The lines of `field` (or of the block it is alone in); undefined when it does not start its line. */
function linesRemoval(ctx: PromptContext, frontMatter: FrontMatter, field: FrontMatterField): SpanEdit | undefined {
  const text = ctx.prompt.text;
  const target = outermostEmptied(frontMatter, field);
  const start = lineStartOf(text, target.keySpan.start);
  if (text.slice(start, target.keySpan.start).trim() !== '') return undefined;
  return { start, end: nextLineStart(text, Math.max(target.keySpan.end, target.valueSpan.end)), newText: '' };
}

/** `field`, or the block holding it when it is that block's only key (and so on up). */
function outermostEmptied(frontMatter: FrontMatter, field: FrontMatterField): FrontMatterField {
  let target = field;
  for (let parent = parentOf(frontMatter, target); parent && childrenOf(frontMatter, parent).length === 1; parent = parentOf(frontMatter, target)) {
    target = parent;
  }
  return target;
}

function parentOf(frontMatter: FrontMatter, field: FrontMatterField): FrontMatterField | undefined {
  const parentPath = field.path.slice(0, -1);
  if (parentPath.length === 0) return undefined;
  return frontMatter.fields.find((candidate) => samePath(candidate.path, parentPath) && contains(candidate.valueSpan, field.keySpan));
}

function childrenOf(frontMatter: FrontMatter, parent: FrontMatterField): FrontMatterField[] {
  const depth = parent.path.length;
  return frontMatter.fields.filter(
    (field) => field.path.length === depth + 1 && samePath(field.path.slice(0, depth), parent.path) && contains(parent.valueSpan, field.keySpan),
  );
}

/**
 * What follows the key's colon, as `addFrontMatterKey` takes it: the rest of the key's line (value and
 * comment; only the value inside a flow mapping), then the value's further lines with the key's own
 * indentation taken off.
 */
function afterColonOf(text: string, field: FrontMatterField): string {
  const colon = text.indexOf(':', field.keySpan.end);
  const lineStart = lineStartOf(text, field.keySpan.start);
  const startsLine = text.slice(lineStart, field.keySpan.start).trim() === '';
  const valueEnd = Math.max(field.valueSpan.end, colon + 1);
  const end = startsLine ? lineEndOf(text, valueEnd) : valueEnd;
  const lines = linesBetween(text, colon + 1, end).map((line) => text.slice(line.start, Math.min(line.end, end)));
  return lines.map((line, i) => (i === 0 ? line : dedent(line, field.keySpan.start - lineStart))).join('\n');
}

function dedent(line: string, width: number): string {
  let start = 0;
  while (start < width && (line[start] === ' ' || line[start] === '\t')) start++;
  return line.slice(start);
}

/** Flow mappings and other layouts a line edit can't take apart: change the YAML tree and rewrite it. */
function rewriteYaml(ctx: PromptContext, frontMatter: FrontMatter, change: (doc: Document) => void): SpanEdit | undefined {
  const doc = parseDocument(normalizeLineBreaks(ctx.prompt.text.slice(frontMatter.yamlSpan.start, frontMatter.yamlSpan.end)), { logLevel: 'silent' });
  if (doc.errors.length > 0) return undefined;
  try {
    change(doc);
  } catch {
    return undefined; // e.g. the target's block is `memory: false`, a scalar the tree can't nest under
  }
  return { ...frontMatter.yamlSpan, newText: doc.toString() };
}

function deleteWithEmptiedBlocks(doc: Document, path: readonly string[]): void {
  doc.deleteIn(path);
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const block = doc.getIn(path.slice(0, depth), true) as { items?: unknown[] } | undefined;
    if (!Array.isArray(block?.items) || block.items.length > 0) return;
    doc.deleteIn(path.slice(0, depth));
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

