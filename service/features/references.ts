// Find references: every `{use}` of a variable plus, when asked, the front-matter entries declaring it.
// At most MAX_REFERENCES of them: see there.

import type { Location, Position } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { rangesOf } from './spans';
import { occurrenceAt, occurrencesOf } from './occurrences';

/**
 * The first this many references are listed (declarations first, then uses in source order). A location is
 * about 110 bytes of JSON: a variable used 50,000 times (a pasted wall of `x{h}`) would make a 5 MB answer
 * that takes longer to send and parse than anything else about the file, and a list no one reads.
 */
export const MAX_REFERENCES = 2000;

export function getReferences(
  ctx: PromptContext,
  position: Position,
  context: { includeDeclaration: boolean } = { includeDeclaration: true },
): Location[] {
  const occurrence = occurrenceAt(ctx, ctx.textDocument.offsetAt(position));
  if (!occurrence) return [];
  const listed = occurrencesOf(ctx, occurrence.name, { usesOnly: !context.includeDeclaration, limit: MAX_REFERENCES });
  const spans = listed.map((o) => o.span);
  const { uri } = ctx.textDocument;
  return rangesOf(ctx, spans).map((range) => ({ uri, range }));
}
