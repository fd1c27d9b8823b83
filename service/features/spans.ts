// Model spans (UTF-16 offsets) to LSP ranges and locations, through the document's own line table.

import type { Location, Range } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';

export function rangeOf(ctx: PromptContext, span: Span): Range {
  const doc = ctx.textDocument;
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function locationOf(ctx: PromptContext, span: Span): Location {
  return { uri: ctx.textDocument.uri, range: rangeOf(ctx, span) };
}

/** Offset where the line holding `offset` starts. (`lastIndexOf` with a negative start would still look at 0.) */
export function lineStartAt(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** The file's own line break, for text an edit inserts. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
