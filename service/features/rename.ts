// Rename a variable everywhere it is written: its `{uses}` and the front-matter entries naming it. Renaming
// the memory variable renames `memory.key` too — and writes it when the key was the implicit default, since
// otherwise the renamed `{variable}` would silently stop receiving the history.

import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { FrontMatterField, Span } from '../../core/format/model';
import { isLineBreakCode, lineBreakOf, lineEndOf, nextLineStart } from '../../core/format/text';
import type { PromptContext } from '../context';
import { occurrenceAt, occurrencesOf, type Occurrence } from './occurrences';
import { rangeOf, rangesOf } from './spans';
import { memoryDecl, memoryKeyOf, reservedVariable, templateVariableNames } from './variables';

export type RenameResult = { readonly edit: WorkspaceEdit } | { readonly error: string };

/** Python identifiers (what an f-string field name must be to reach LangChain as a variable). */
const identifier = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export function prepareRename(ctx: PromptContext, position: Position): { range: Range; placeholder: string } | null {
  const occurrence = occurrenceAt(ctx, ctx.textDocument.offsetAt(position));
  return occurrence ? { range: rangeOf(ctx, occurrence.span), placeholder: occurrence.name } : null;
}

export function getRenameEdits(ctx: PromptContext, position: Position, newName: string): RenameResult {
  const occurrence = occurrenceAt(ctx, ctx.textDocument.offsetAt(position));
  if (!occurrence) return { error: 'Only a template variable or the front-matter entry naming one can be renamed.' };
  const problem = newNameProblem(ctx, occurrence.name, newName);
  if (problem) return { error: problem };
  const edits = renameEdits(ctx, occurrencesOf(ctx, occurrence.name), newName);
  const keyInsertion = occurrence.name === memoryKeyOf(ctx) ? implicitMemoryKeyEdit(ctx, newName) : undefined;
  return { edit: { changes: { [ctx.textDocument.uri]: keyInsertion ? [keyInsertion, ...edits] : edits } } };
}

export function newNameProblem(ctx: PromptContext, oldName: string, newName: string): string | undefined {
  if (!identifier.test(newName)) return `${quoted(newName)} is not a valid variable name: use letters, digits and _, not starting with a digit.`;
  if (newName === reservedVariable) return `'stop' is reserved by LLMChain for stop sequences; choose another name.`;
  if (newName !== oldName && templateVariableNames(ctx).includes(newName)) {
    return `'${newName}' is already a variable of this prompt; renaming would merge the two.`;
  }
  return undefined;
}

/** A name the user typed, on one line and of bounded length: JSON escapes C0 controls, we escape C1 and U+2028/9. */
function quoted(name: string): string {
  const shown = JSON.stringify(name.slice(0, 80)).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return name.length > 80 ? `${shown.slice(0, -1)}…"` : shown;
}

/**
 * Past this many occurrences, neighbours are renamed by one edit. An edit costs about 90 bytes of JSON:
 * 50,000 uses of `{h}` on one line would make a 5 MB answer that takes the editor longer to receive and
 * parse than anything else about the file.
 */
export const MAX_SEPARATE_EDITS = 1000;

/** Occurrences this close (in characters between them) share an edit, once there are too many. */
const mergeGap = 80;

/** One edit per occurrence; past MAX_SEPARATE_EDITS, one per run of close ones (the renamed text is the same). */
function renameEdits(ctx: PromptContext, occurrences: readonly Occurrence[], newName: string): TextEdit[] {
  const spans = occurrences.map((o) => o.span);
  if (spans.length <= MAX_SEPARATE_EDITS) return rangesOf(ctx, spans).map((range) => ({ range, newText: newName }));
  const runs = closeRuns(ctx.prompt.text, [...spans].sort((a, b) => a.start - b.start), newName);
  return rangesOf(ctx, runs.map((run) => run.span)).map((range, i) => ({ range, newText: runs[i]!.newText }));
}

/** Consecutive spans less than mergeGap apart, each run with its text renamed. */
function closeRuns(text: string, sorted: readonly Span[], newName: string): { span: Span; newText: string }[] {
  const runs: { span: Span; newText: string }[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i]!;
    let newText = newName;
    let last = first;
    for (i++; i < sorted.length && sorted[i]!.start - last.end < mergeGap; i++) {
      newText += text.slice(last.end, sorted[i]!.start) + newName;
      last = sorted[i]!;
    }
    runs.push({ span: { start: first.start, end: last.end }, newText });
  }
  return runs;
}

/** Writes `key: <newName>` where the memory key was left to the default; undefined when it is written. */
function implicitMemoryKeyEdit(ctx: PromptContext, newName: string): TextEdit | undefined {
  const { text, frontMatter } = ctx.prompt;
  const eol = lineBreakOf(text);
  const block = `memory:${eol}  key: ${newName}`;
  if (!frontMatter) return insertAt(ctx, 0, `---${eol}${block}${eol}---${eol}`);
  const memory = memoryDecl(ctx.prompt);
  if (memory?.key) return undefined;
  const memoryField = frontMatter.fields.find((f) => f.path.length === 1 && f.path[0] === 'memory');
  if (!memoryField) {
    const end = frontMatter.yamlSpan.end;
    const atLineStart = end === frontMatter.yamlSpan.start || isLineBreakCode(text.charCodeAt(end - 1));
    return insertAt(ctx, end, atLineStart ? `${block}${eol}` : `${eol}${block}`);
  }
  // A `memory:` the parser could not read as a block is reported elsewhere; editing into it would guess.
  return memory ? keyInsideMemoryBlock(ctx, memoryField, newName, eol) : undefined;
}

function keyInsideMemoryBlock(ctx: PromptContext, memoryField: FrontMatterField, newName: string, eol: string): TextEdit {
  const text = ctx.prompt.text;
  const valueStart = memoryField.valueSpan.start;
  if (text[valueStart] === '{') {
    const empty = /^\{\s*\}/.test(text.slice(valueStart));
    return insertAt(ctx, valueStart + 1, empty ? `key: ${newName}` : `key: ${newName}, `);
  }
  const keyStart = memoryField.keySpan.start;
  const nextLine = nextLineStart(text, keyStart);
  const indent = ' '.repeat(childColumn(ctx, keyStart));
  if (nextLine === lineEndOf(text, keyStart)) return insertAt(ctx, text.length, `${eol}${indent}key: ${newName}`);
  return insertAt(ctx, nextLine, `${indent}key: ${newName}${eol}`);
}

/** The column the memory block's keys are written at (YAML needs the same), or two past `memory:`. */
function childColumn(ctx: PromptContext, memoryKeyStart: number): number {
  const child = ctx.prompt.frontMatter?.fields.find((f) => f.path.length === 2 && f.path[0] === 'memory');
  const columnOf = (offset: number): number => ctx.textDocument.positionAt(offset).character;
  return child ? columnOf(child.keySpan.start) : columnOf(memoryKeyStart) + 2;
}

function insertAt(ctx: PromptContext, offset: number, newText: string): TextEdit {
  return { range: rangeOf(ctx, { start: offset, end: offset }), newText };
}
