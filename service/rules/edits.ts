// Building blocks of quick fixes: LSP text edits from model spans, and the code action that carries them.

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import { lineBreakOf, normalizeLineBreaks, withLineBreak } from '../../core/format/text';
import type { PromptContext } from '../context';
import { plainText } from '../plainText';

export function rangeOf(ctx: PromptContext, span: Span): Range {
  const doc = ctx.textDocument;
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function replaceSpan(ctx: PromptContext, span: Span, newText: string): TextEdit {
  return { range: rangeOf(ctx, span), newText };
}

export function insertAt(ctx: PromptContext, offset: number, newText: string): TextEdit {
  return replaceSpan(ctx, { start: offset, end: offset }, newText);
}

export function quickFix(
  ctx: PromptContext,
  title: string,
  edits: readonly TextEdit[],
  diagnostic: Diagnostic,
  isPreferred = false,
): CodeAction {
  const lineBreak = lineBreakOf(ctx.prompt.text);
  // Edits are built with `\n` or copy the file's text; either way they land in the file's own line breaks.
  const written = edits.map((edit) => ({ ...edit, newText: withLineBreak(normalizeLineBreaks(edit.newText), lineBreak) }));
  const action: CodeAction = {
    // A title is a menu entry, never rendered as Markdown.
    title: plainText(title),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [ctx.textDocument.uri]: written } },
  };
  if (isPreferred) action.isPreferred = true;
  return action;
}

/** A string field of a diagnostic's `data` (data comes back from the client untyped). */
export function dataString(diagnostic: Diagnostic, field: string): string | undefined {
  const value = (diagnostic.data as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : undefined;
}

export function dataStrings(diagnostic: Diagnostic, field: string): string[] {
  const value = (diagnostic.data as Record<string, unknown> | undefined)?.[field];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A replacement of a span of the file, in offsets: what several edits are combined from. */
export interface SpanEdit extends Span {
  readonly newText: string;
}

export function overlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Non-overlapping edits as one edit over the text they span. Clients order edits that touch at one
 * offset (an insertion where a deletion ends) differently; a single edit leaves nothing to order.
 */
export function combineEdits(ctx: PromptContext, edits: readonly SpanEdit[]): TextEdit {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const text = ctx.prompt.text;
  const start = Math.min(...sorted.map((edit) => edit.start));
  const end = Math.max(...sorted.map((edit) => edit.end));
  let newText = '';
  let at = start;
  for (const edit of sorted) {
    newText += text.slice(at, edit.start) + edit.newText;
    at = Math.max(at, edit.end);
  }
  return replaceSpan(ctx, { start, end }, newText);
}

/** An LSP edit of the current text in offsets. */
export function spanEditOf(ctx: PromptContext, edit: TextEdit): SpanEdit {
  const doc = ctx.textDocument;
  return { start: doc.offsetAt(edit.range.start), end: doc.offsetAt(edit.range.end), newText: edit.newText };
}
