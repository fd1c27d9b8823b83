// Model spans (UTF-16 offsets) to LSP ranges and locations, through the document's own line table.

import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import { isLineBreakCode } from '../../core/format/text';
import type { PromptContext } from '../context';

export function rangeOf(ctx: PromptContext, span: Span): Range {
  const doc = ctx.textDocument;
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function locationOf(ctx: PromptContext, span: Span): Location {
  return { uri: ctx.textDocument.uri, range: rangeOf(ctx, span) };
}

/**
 * The ranges of many spans, in one pass when they come in source order (references and rename answer
 * thousands): from one offset to the next on the same line only the column moves, so the text between is
 * scanned once instead of the line table being searched for every end. Spans out of order, or with a line
 * break between, are looked up as `rangeOf` does; the result is the same either way.
 */
export function rangesOf(ctx: PromptContext, spans: readonly Span[]): Range[] {
  const doc = ctx.textDocument;
  const text = doc.getText();
  let offset = 0;
  let position: Position = { line: 0, character: 0 };
  const at = (target: number): Position => {
    position = target >= offset && onOneLine(text, offset, target) ? { line: position.line, character: position.character + target - offset } : doc.positionAt(target);
    offset = target;
    return position;
  };
  return spans.map((span) => ({ start: at(span.start), end: at(span.end) }));
}

/** No line break in text[from, to), and `to` within the text: a position there is on `from`'s line. */
function onOneLine(text: string, from: number, to: number): boolean {
  if (to > text.length) return false;
  for (let i = from; i < to; i++) if (isLineBreakCode(text.charCodeAt(i))) return false;
  return true;
}
