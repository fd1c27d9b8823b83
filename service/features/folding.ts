// Folding: the front matter, its multi-line blocks (memory:, parameters:, …) and each chat message.

import type { FoldingRange } from 'vscode-languageserver-types';
import type { Span } from '../../core/format/model';
import type { PromptContext } from '../context';

export function getFoldingRanges(ctx: PromptContext): FoldingRange[] {
  const { frontMatter, body } = ctx.prompt;
  const spans: Span[] = [];
  if (frontMatter) {
    spans.push(frontMatter.span);
    for (const field of frontMatter.fields) spans.push({ start: field.keySpan.start, end: field.valueSpan.end });
  }
  if (body.kind === 'chat') {
    // A message's span runs over the blank lines before the next header; fold to its last written line.
    for (const message of body.messages) spans.push({ start: message.span.start, end: message.template.span.end });
  }
  return spans.map((span) => lineRange(ctx, span)).filter((r) => r.endLine > r.startLine);
}

function lineRange(ctx: PromptContext, span: Span): FoldingRange {
  const doc = ctx.textDocument;
  const startLine = doc.positionAt(span.start).line;
  // The span's end is exclusive: its last character (often the line break) is on the last line.
  const endLine = doc.positionAt(Math.max(span.start, span.end - 1)).line;
  return { startLine, endLine };
}
