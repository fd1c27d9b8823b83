// Find references: every `{use}` of a variable plus, when asked, the front-matter entries declaring it.

import type { Location, Position } from 'vscode-languageserver-types';
import type { PromptContext } from '../context';
import { locationOf } from './spans';
import { occurrenceAt, occurrencesOf } from './occurrences';

export function getReferences(
  ctx: PromptContext,
  position: Position,
  context: { includeDeclaration: boolean } = { includeDeclaration: true },
): Location[] {
  const occurrence = occurrenceAt(ctx, ctx.textDocument.offsetAt(position));
  if (!occurrence) return [];
  return occurrencesOf(ctx, occurrence.name)
    .filter((o) => context.includeDeclaration || o.kind === 'use')
    .map((o) => locationOf(ctx, o.span));
}
