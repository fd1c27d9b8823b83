// Building blocks of quick fixes: LSP text edits from model spans, and the code action that carries them.

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';

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
  const action: CodeAction = {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [ctx.textDocument.uri]: [...edits] } },
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

/** Offset of the start of the line after the one holding `offset` (or the end of the text). */
export function nextLineStart(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  const cr = text.indexOf('\r', offset);
  if (lf < 0 && cr < 0) return text.length;
  if (cr >= 0 && (lf < 0 || cr < lf)) return text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
  return lf + 1;
}

export function lineStartOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The line break the file already uses, so inserted lines match it. */
export function lineBreakOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
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

/** Offset of the line break ending the line that holds `offset` (or the end of the text). */
export function lineEndOf(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}
