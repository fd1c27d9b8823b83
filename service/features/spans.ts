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
